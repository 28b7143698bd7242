"""The census import: checks with line and column, all-or-nothing, idempotent, area-bound."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from homeward.audit.models import AuditAction, AuditEvent
from homeward.care.models import Placement
from homeward.cases.models import Case, CaseEvent
from homeward.geo.models import Location
from homeward.imports.actions import import_job_commit, import_job_create, import_job_run
from homeward.imports.census import COLUMNS, message
from homeward.imports.models import ImportJob, ImportStatus
from homeward.indicators.engine import compute
from homeward.indicators.models import Population
from homeward.institutions.models import Residence
from homeward.registry.models import Child
from homeward.registry.selectors import children_for_user

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 12, 31)


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    """Files go to a temporary folder (the field's storage is made when the model loads)."""
    storage = FileSystemStorage(location=tmp_path / "imports")
    monkeypatch.setattr(ImportJob._meta.get_field("file"), "storage", storage)
    return storage


def row(cast, **overrides):
    district = cast.agency_a.area
    values = {
        "external_id": "EXT-1",
        "family_name": "Петров",
        "given_name": "Иван",
        "patronymic": "Сергеевич",
        "sex": "M",
        "date_of_birth": "2016-04-12",
        "disability": "no",
        "legal_status": "parental_rights_deprived",
        "region_code": district.parent.code,
        "district_code": district.code,
        "care_type": "foster",
        "placement_start": "2023-06-01",
        "placement_end": "",
        "exit_destination": "",
        "institution_code": "",
    }
    values.update(overrides)
    return values


def csv_file(rows, columns=COLUMNS, delimiter=",", bom=False, name="census.csv"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns])
    data = out.getvalue().encode("utf-8-sig" if bom else "utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_file(rows, name="census.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for values in rows:
        sheet.append([values.get(c) for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def run(cast, django_capture_on_commit_callbacks):
    """Upload as the agency A supervisor and let the task run; the job as it ends up."""

    def run(upload, dry_run=False, actor=None, agency=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(
                actor=actor or cast.supervisor_a,
                upload=upload,
                agency=agency or cast.agency_a,
                dry_run=dry_run,
            )
        job.refresh_from_db()
        return job

    return run


def errors(job):
    return [(e["line"], e["column"], e["code"]) for e in job.report["errors"]]


def digest():
    """Everything an import writes, as one hash."""
    rows = [
        list(Child.objects.order_by("pk").values_list()),
        list(Placement.objects.order_by("pk").values_list()),
        list(Case.objects.order_by("pk").values_list()),
        list(Residence.objects.order_by("pk").values_list()),
        list(CaseEvent.objects.order_by("pk").values_list()),
    ]
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


def test_a_dry_run_reports_what_would_change_and_writes_nothing(cast, run):
    rows = [
        row(cast, care_type="institution", institution_code="INST-A",
            placement_start="2019-09-01", placement_end="2023-05-31",
            exit_destination="other_formal_care"),
        row(cast),
        row(cast, external_id="EXT-2", given_name="Мария", sex="F", disability="yes"),
    ]  # fmt: skip
    job = run(csv_file(rows), dry_run=True)
    assert job.status == ImportStatus.VALID, job.report
    assert job.report["error_count"] == 0
    assert job.report["children_new"] == 2
    assert job.report["placements_new"] == 3
    assert job.rows_done == job.rows_total == 3
    assert not Child.objects.exists() and not Placement.objects.exists()
    assert job.file  # kept until "import now"

    with pytest.raises(ValidationError):
        import_job_commit(actor=cast.case_manager_a, job=job)  # only the uploader
    assert import_job_run(job_uuid=str(job.uuid)).status == ImportStatus.VALID  # left alone


def test_import_now_writes_children_cases_placements_and_one_audit_event(
    cast, run, django_capture_on_commit_callbacks
):
    rows = [
        row(cast, care_type="institution", institution_code="INST-A",
            placement_start="2019-09-01", placement_end="2023-05-31",
            exit_destination="other_formal_care"),
        row(cast),
        row(cast, external_id="EXT-2", given_name="Мария", sex="F", disability="yes"),
    ]  # fmt: skip
    job = run(csv_file(rows), dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(actor=cast.supervisor_a, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.report
    assert not job.file  # the census is not kept once imported

    ivan = Child.objects.get(external_id="EXT-1")
    assert ivan.family_name_latin == "Petrov"
    assert "petrov" in ivan.search_key
    assert ivan.case_number.startswith(cast.agency_a.area.parent.code + "-")
    assert ivan.agency == cast.agency_a
    assert ivan.home_location == cast.agency_a.area
    assert ivan.created_by == cast.supervisor_a
    assert Child.objects.get(external_id="EXT-2").has_disability is True
    assert Case.objects.filter(child=ivan, team__isnull=False).exists()
    history = list(Placement.objects.filter(child=ivan).order_by("start"))
    assert [(p.care_type, p.end, p.exit_destination) for p in history] == [
        ("institution", datetime.date(2023, 5, 31), "other_formal_care"),
        ("foster", None, ""),
    ]
    assert history[0].institution == cast.institution
    assert history[0].region == cast.agency_a.area.parent
    assert history[0].gatekeeping is None
    assert Residence.objects.get(child=ivan).left_on == datetime.date(2023, 5, 31)
    # the importer sees the children they imported
    assert set(children_for_user(cast.supervisor_a)) == set(Child.objects.all())
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_uuid=job.uuid)
    assert event.changes["children_new"] == [None, 2]


def test_the_same_file_again_changes_nothing(cast, run):
    rows = [
        row(cast, placement_start="2020-01-01", placement_end="2021-01-01",
            exit_destination="reunified"),
        row(cast, placement_start="2022-03-01"),
        row(cast, external_id="EXT-2", care_type="kinship"),
    ]  # fmt: skip
    first = run(csv_file(rows))
    assert first.status == ImportStatus.DONE, first.report
    before = digest()
    again = run(csv_file(rows))
    assert again.status == ImportStatus.DONE
    assert again.report["children_new"] == 0
    assert again.report["children_existing"] == 2
    assert again.report["placements_new"] == 0
    assert again.report["placements_unchanged"] == 3
    assert digest() == before
    assert Child.objects.count() == 2
    assert Placement.objects.count() == 3


def test_a_later_census_ends_an_open_placement(cast, run):
    start = row(cast, care_type="institution", institution_code="INST-A")
    assert run(csv_file([start])).status == ImportStatus.DONE
    ended = dict(start, placement_end="2024-02-01", exit_destination="reunified")
    job = run(csv_file([ended]))
    assert job.status == ImportStatus.DONE, job.report
    assert job.report["placements_ended"] == 1
    placement = Placement.objects.get()
    assert (placement.end, placement.exit_destination, placement.version) == (
        datetime.date(2024, 2, 1),
        "reunified",
        2,
    )
    assert Residence.objects.get().left_on == datetime.date(2024, 2, 1)


def test_an_xlsx_census_with_real_date_cells(cast, run):
    rows = [
        row(cast, date_of_birth=datetime.datetime(2015, 1, 2), disability=True,
            placement_start=datetime.date(2021, 5, 4)),
    ]  # fmt: skip
    job = run(xlsx_file(rows))
    assert job.status == ImportStatus.DONE, job.report
    child = Child.objects.get()
    assert child.date_of_birth == datetime.date(2015, 1, 2)
    assert child.has_disability
    assert Placement.objects.get().start == datetime.date(2021, 5, 4)


def test_semicolons_and_a_byte_order_mark_are_read(cast, run):
    job = run(csv_file([row(cast)], delimiter=";", bom=True))
    assert job.status == ImportStatus.DONE, job.report


@pytest.mark.parametrize(
    ("overrides", "column", "code"),
    [
        ({"care_type": "orphanage"}, "care_type", "care_type"),
        ({"legal_status": "lost"}, "legal_status", "legal_status"),
        ({"exit_destination": "home", "placement_end": "2024-01-01"}, "exit_destination",
         "exit_destination"),
        ({"district_code": "XX-99"}, "district_code", "district"),
        ({"region_code": "BY-HO"}, "district_code", "district_region"),
        ({"institution_code": "NOPE"}, "institution_code", "institution"),
        ({"care_type": "institution"}, "institution_code", "institution_needed"),
        ({"date_of_birth": "2021-02-30"}, "date_of_birth", "date_impossible"),
        ({"date_of_birth": "14.03.2015"}, "date_of_birth", "date"),
        ({"placement_start": "2999-01-01"}, "placement_start", "date_future"),
        ({"placement_start": "2010-01-01"}, "placement_start", "before_birth"),
        ({"placement_end": "2023-01-01", "exit_destination": "reunified"}, "placement_end",
         "end_before_start"),
        ({"placement_end": "2024-01-01"}, "exit_destination", "exit_needed"),
        ({"exit_destination": "reunified"}, "exit_destination", "exit_without_end"),
        ({"sex": "X"}, "sex", "sex"),
        ({"disability": "maybe"}, "disability", "yes_no"),
        ({"family_name": ""}, "family_name", "required"),
        ({"external_id": "x" * 65}, "external_id", "too_long"),
        ({"given_name": "=HYPERLINK(\"http://x\")"}, "given_name", "formula"),
        ({"patronymic": "@SUM(A1)"}, "patronymic", "formula"),
        ({"family_name": "Пет\x07ров"}, "family_name", "control"),
    ],
)  # fmt: skip
def test_each_bad_value_is_reported_with_line_and_column_and_nothing_is_imported(
    cast, run, overrides, column, code
):
    rows = [row(cast, external_id="GOOD"), row(cast, **overrides)]
    job = run(csv_file(rows))
    assert job.status == ImportStatus.INVALID
    assert (3, column, code) in errors(job), job.report
    assert not Child.objects.exists()
    assert message(code, job.report["errors"][0]["params"])  # a sentence, not a code


def test_a_missing_a_wrong_and_a_repeated_column(cast, run):
    columns = [c for c in COLUMNS if c != "sex"] + ["nickname", "care_type"]
    job = run(csv_file([row(cast)], columns=columns))
    assert job.status == ImportStatus.INVALID
    assert set(errors(job)) == {
        (1, "sex", "header_missing"),
        (1, "nickname", "header_unknown"),
        (1, "care_type", "header_duplicate"),
    }


def test_a_text_file_that_is_not_a_census(cast, run):
    upload = SimpleUploadedFile("notes.csv", b"Dear colleagues,\nplease find\n")
    job = run(upload)
    assert errors(job) == [(1, "", "no_header")]


def test_a_line_with_too_many_cells(cast, run):
    upload = csv_file([row(cast)])
    data = upload.read() + b"A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P\n"
    job = run(SimpleUploadedFile("c.csv", data))
    assert (3, "", "cells") in errors(job)


def test_an_encoding_error_part_way_through(cast, run):
    # past the first 64 KB, which are checked at upload
    rows = [row(cast, external_id=f"EXT-{n}") for n in range(800)]
    data = csv_file(rows).read() + "Петров".encode("cp1251") + b",x\n"
    assert len(data) > 65536
    job = run(SimpleUploadedFile("c.csv", data))
    assert job.status == ImportStatus.INVALID
    assert errors(job) == [(802, "", "encoding")]


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "CSV (UTF-8) or an Excel workbook"),
        (b"%PDF-1.7\n", "CSV (UTF-8) or an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "XLS"),
        (b"", "empty"),
        ("Петров;Иван".encode("cp1251"), "CSV (UTF-8)"),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx_is_refused_at_upload(cast, content, text):
    with pytest.raises(ValidationError) as raised:
        import_job_create(
            actor=cast.supervisor_a,
            upload=SimpleUploadedFile("census.csv", content),
            agency=cast.agency_a,
        )
    assert text in raised.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(cast):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("census.csv", "a,b\n")
    with pytest.raises(ValidationError):
        import_job_create(
            actor=cast.supervisor_a,
            upload=SimpleUploadedFile("census.xlsx", out.getvalue()),
            agency=cast.agency_a,
        )


def test_a_file_over_the_limit_is_refused(cast, settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as raised:
        import_job_create(
            actor=cast.supervisor_a, upload=csv_file([row(cast)] * 5), agency=cast.agency_a
        )
    assert "larger than" in raised.value.message_dict["file"][0]


def test_a_formula_in_an_xlsx_cell_is_reported(cast, run):
    job = run(xlsx_file([row(cast, family_name="=1+1")]))
    assert errors(job) == [(2, "family_name", "formula")]


def test_overlapping_and_repeated_placements_of_one_child(cast, run):
    rows = [
        row(cast, placement_start="2020-01-01", placement_end="2021-01-01",
            exit_destination="other_formal_care"),
        row(cast, placement_start="2020-12-31"),  # starts before the first ends
        row(cast, external_id="EXT-2", placement_start="2020-01-01"),
        row(cast, external_id="EXT-2", placement_start="2020-01-01", care_type="kinship"),
        row(cast, external_id="EXT-3", placement_start="2020-01-01", placement_end="2021-01-01",
            exit_destination="other_formal_care"),
        row(cast, external_id="EXT-3", placement_start="2021-01-01"),  # [start, end): fine
    ]  # fmt: skip
    job = run(csv_file(rows))
    assert errors(job) == [
        (3, "placement_start", "overlap"),
        (5, "placement_start", "duplicate_placement"),
    ]
    assert job.report["errors"][0]["params"] == {"other": 2}


def test_one_child_must_have_the_same_details_on_every_row(cast, run):
    rows = [
        row(cast, placement_start="2020-01-01", placement_end="2021-01-01",
            exit_destination="other_formal_care"),
        row(cast, placement_start="2021-02-01", date_of_birth="2016-04-13"),
    ]  # fmt: skip
    job = run(csv_file(rows))
    assert errors(job) == [(3, "date_of_birth", "child_differs")]


def test_an_import_outside_the_agency_area_is_refused(cast, run):
    gomel = Location.objects.filter(parent__code="BY-HO", level="district").first()
    assert gomel is not None
    rows = [
        row(cast),
        row(cast, external_id="EXT-2", region_code="BY-HO", district_code=gomel.code),
    ]
    job = run(csv_file(rows))
    assert job.status == ImportStatus.INVALID
    assert errors(job) == [(3, "district_code", "area")]
    assert "outside the area" in message("area", job.report["errors"][0]["params"])
    assert not Child.objects.exists()


def test_only_importing_roles_for_their_own_agencies(cast):
    with pytest.raises(ValidationError):
        import_job_create(
            actor=cast.case_manager_a, upload=csv_file([row(cast)]), agency=cast.agency_a
        )
    with pytest.raises(ValidationError):
        import_job_create(
            actor=cast.supervisor_a, upload=csv_file([row(cast)]), agency=cast.agency_b
        )


def test_a_child_of_another_agency_is_not_touched(cast, run, register_child):
    theirs = register_child(agency=cast.agency_b)
    Child.objects.filter(pk=theirs.pk).update(external_id="EXT-1")
    job = run(csv_file([row(cast)]))
    assert errors(job) == [(2, "external_id", "other_agency")]


def test_a_new_placement_overlapping_a_recorded_one(cast, run):
    assert run(csv_file([row(cast, placement_start="2023-06-01")])).status == ImportStatus.DONE
    job = run(csv_file([row(cast, placement_start="2024-01-01")]))
    assert errors(job) == [(2, "placement_start", "overlap_recorded")]
    assert Placement.objects.count() == 1


def test_all_or_nothing_when_the_records_change_after_the_dry_run(
    cast, run, django_capture_on_commit_callbacks
):
    rows = [row(cast, external_id=f"EXT-{n}") for n in range(5)]
    job = run(csv_file(rows), dry_run=True)
    assert job.status == ImportStatus.VALID
    # Meanwhile someone registers a child with one of the file's identifiers elsewhere.
    other = Child.objects.create(
        agency=cast.agency_b, external_id="EXT-3", case_number="X-1", family_name="A",
        given_name="B", sex="F", date_of_birth=datetime.date(2015, 1, 1),
        home_location=cast.agency_b.area,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(actor=cast.supervisor_a, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert errors(job) == [(5, "external_id", "other_agency")]
    assert list(Child.objects.all()) == [other]
    assert not Placement.objects.exists()


def test_rerunning_a_finished_job_does_nothing(cast, run):
    job = run(csv_file([row(cast)]))
    before = digest()
    assert import_job_run(job_uuid=str(job.uuid)).status == ImportStatus.DONE
    assert digest() == before


def test_indicators_from_an_imported_census_alone(cast, run):
    """FC1, FC2 and FC4 on D = 2025-12-31 counted by hand from the file."""
    Population.objects.create(location=cast.agency_a.area, year=2025, children=10_000)
    rows = [
        # 1: in an institution since 2024, moved to a foster family in 2025 (same episode)
        row(cast, external_id="A", care_type="institution", institution_code="INST-A",
            placement_start="2024-03-01", placement_end="2025-04-30",
            exit_destination="other_formal_care"),
        row(cast, external_id="A", care_type="foster", placement_start="2025-05-01"),
        # 2: entered in 2025, in a small group home on D
        row(cast, external_id="B", given_name="Б", care_type="small_group_home",
            placement_start="2025-02-01"),
        # 3: entered and reunified in 2025: an entry, not in care on D
        row(cast, external_id="C", given_name="В", care_type="kinship",
            placement_start="2025-01-10", placement_end="2025-06-01", exit_destination="reunified"),
        # 4: in kinship care since 2022; 18 before D: not counted on D
        row(cast, external_id="D", given_name="Г", date_of_birth="2007-06-01",
            care_type="kinship", placement_start="2022-01-01"),
        # 5: in an institution on D since 2023
        row(cast, external_id="E", given_name="Д", care_type="institution",
            institution_code="INST-A", placement_start="2023-09-01"),
    ]  # fmt: skip
    job = run(csv_file(rows))
    assert job.status == ImportStatus.DONE, job.report
    area = cast.agency_a.area
    fc2 = compute("FC2", D, area)
    assert (fc2.numerator, fc2.denominator) == (3, 10_000)  # A, B, E
    assert fc2.value == pytest.approx(30.0)
    fc1 = compute("FC1", D, area)
    assert fc1.numerator == 2  # B and C; A's foster placement continues its episode
    fc4 = compute("FC4", D, area)
    assert (fc4.numerator, fc4.denominator) == (2, 1)  # B, E residential; A family-based
    by_type = {
        r.group["care_type"]: r.numerator for r in compute("FC2", D, area, ["care_type"]).rows
    }
    assert by_type == {"foster": 1, "institution": 1, "small_group_home": 1}


def test_the_template_file_is_a_valid_census(cast, run):
    path = Path(__file__).resolve().parents[1] / "static" / "imports" / "census_template.csv"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == list(COLUMNS)
    # The template names real codes; here agency A's district and institution stand in.
    text = text.replace("BY-VI-21", cast.agency_a.area.code).replace("BY-VI-DR-01", "INST-A")
    job = run(SimpleUploadedFile("t.csv", text.encode()), dry_run=True)
    assert job.status == ImportStatus.VALID, job.report
    assert (job.report["children_new"], job.report["placements_new"]) == (1, 2)
    assert Location.objects.filter(code="BY-VI-21").exists()


# --- pages ---------------------------------------------------------------------------------


def test_upload_page_job_page_with_progress_and_import_now(
    cast, django_capture_on_commit_callbacks
):
    client = login(cast.supervisor_a)
    page = client.get("/imports/")
    assert page.status_code == 200
    assert "census_template.csv" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/",
            {"file": csv_file([row(cast)]), "agency": cast.agency_a.pk, "dry_run": "on"},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "Import now" in detail
    assert 'hx-trigger="every 2s"' not in detail  # finished: no more polling
    with django_capture_on_commit_callbacks(execute=True):
        committed = client.post(f"/imports/{job.uuid}/import/")
    assert committed.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Child.objects.count() == 1


def test_a_running_job_polls_and_htmx_gets_the_fragment(cast):
    job = import_job_create(
        actor=cast.supervisor_a, upload=csv_file([row(cast)]), agency=cast.agency_a
    )
    client = login(cast.supervisor_a)
    page = client.get(f"/imports/{job.uuid}/").content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "<progress" in page
    fragment = client.get(f"/imports/{job.uuid}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-status"')


def test_the_report_table_shows_line_column_and_message(cast, run):
    job = run(csv_file([row(cast, sex="X")]))
    page = login(cast.supervisor_a).get(f"/imports/{job.uuid}/").content.decode()
    assert "Enter F or M." in page
    assert "<code>sex</code>" in page


def test_others_cannot_see_or_use_the_import_pages(cast, run):
    job = run(csv_file([row(cast)]), dry_run=True)
    assert login(cast.case_manager_a).get("/imports/").status_code == 403
    assert login(cast.analyst).get(f"/imports/{job.uuid}/").status_code == 403


def test_a_bad_upload_shows_the_error_on_the_form(cast):
    client = login(cast.supervisor_a)
    response = client.post(
        "/imports/",
        {"file": SimpleUploadedFile("x.csv", b"%PDF-1.4\n"), "agency": cast.agency_a.pk},
    )
    assert response.status_code == 422
    assert "CSV (UTF-8) or an Excel workbook" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_agency_administrator_imports_across_the_agency_area(cast, run):
    from conftest import make_user
    from homeward.access.roles import Role

    admin = make_user("agency_admin", cast.region_a, Role.AGENCY_ADMIN)
    other_district = (
        Location.objects.filter(parent=cast.region_a.area, level="district")
        .exclude(pk=cast.agency_a.area.pk)
        .first()
    )
    assert other_district is not None
    rows = [row(cast), row(cast, external_id="EXT-2", district_code=other_district.code)]
    job = run(csv_file(rows), actor=admin, agency=cast.region_a)
    assert job.status == ImportStatus.DONE, job.report
    assert set(Child.objects.values_list("agency", flat=True)) == {cast.region_a.pk}
    assert login(admin).get("/imports/").status_code == 200


def test_an_unexpected_error_fails_the_job_and_writes_nothing(cast, run, monkeypatch):
    def broken(**kwargs):
        Child.objects.create(
            agency=cast.agency_a, external_id="HALF", case_number="X-1", family_name="A",
            given_name="B", sex="F", date_of_birth=datetime.date(2015, 1, 1),
            home_location=cast.agency_a.area,
        )  # fmt: skip
        raise RuntimeError("disk full")

    monkeypatch.setattr("homeward.imports.actions.census_write", broken)
    job = run(csv_file([row(cast)]))
    assert job.status == ImportStatus.FAILED
    assert errors(job) == [(0, "", "failed")]
    assert not Child.objects.exists()
    assert not job.file


def test_progress_is_reported_as_rows_are_checked(cast):
    from homeward.imports.actions import _references
    from homeward.imports.census import check_file

    job = ImportJob(agency=cast.agency_a)
    seen: list[int] = []
    rows = [row(cast, external_id=f"EXT-{n}") for n in range(5)]
    checked = check_file(csv_file(rows), "csv", _references(job), seen.append, every=2)
    assert seen == [2, 4]
    assert (checked.lines, len(checked.rows), checked.issues) == (5, 5, [])
