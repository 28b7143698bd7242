"""The register's web pages, through HTTP."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from homeward.registry.models import Child, Person

pytestmark = pytest.mark.django_db


def form_data(cast, **overrides):
    data = {
        "agency": cast.agency_a.code,
        "family_name": "Коваленко",
        "given_name": "Дарья",
        "patronymic": "Игоревна",
        "sex": "F",
        "date_of_birth": "2016-05-20",
        "legal_status": "unknown",
        "home_location": cast.agency_a.area.code,
    }
    data.update(overrides)
    return data


def test_register_a_child_and_open_the_profile(cast):
    client = login(cast.case_manager_a)
    response = client.post("/children/new/", form_data(cast))
    assert response.status_code == 302
    child = Child.objects.get(family_name="Коваленко")
    assert response["Location"] == f"/children/{child.uuid}/"
    assert child.family_name_latin == "Kovalenko"
    assert child.case_number.startswith("BY-VI-")
    assert child.agency == cast.agency_a
    profile = client.get(response["Location"]).content.decode()
    assert "Коваленко Дарья Игоревна" in profile
    assert "Kovalenko Daria Igorevna" in profile or "Kovalenko Dar" in profile
    assert child.case_number in profile


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "", "This field is required."),
        ("given_name", "   ", "This field is required."),
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("date_of_birth", "1899-12-31", "cannot be before 1900"),
        ("date_of_birth", "31.02.2015", "Enter a valid date."),
        ("family_name", "Я" * 100_000, "at most 100 characters"),
        ("family_name", "Ив\x00анов", "Null characters are not allowed"),
        ("given_name", "Ann\x1b[31m", "control characters"),
        ("home_location", "XX-NOWHERE", "Unknown location code"),
        ("home_location", "BY-VI", "Unknown location code"),
        ("sex", "X", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(cast, field, value, message):
    client = login(cast.case_manager_a)
    response = client.post("/children/new/", form_data(cast, **{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Child.objects.exists()


def test_disability_domains_require_the_disability_tick(cast):
    client = login(cast.case_manager_a)
    response = client.post("/children/new/", form_data(cast, disability_domains=["hearing"]))
    assert response.status_code == 422
    assert "Tick disability" in response.content.decode()
    response = client.post(
        "/children/new/", form_data(cast, has_disability="on", disability_domains=["hearing"])
    )
    assert response.status_code == 302
    assert Child.objects.get().disability_domains == ["hearing"]


def test_a_near_twin_shows_the_duplicate_warning_before_saving(cast, register_child):
    existing = register_child(
        family_name="Іваноў", given_name="Алесь", date_of_birth=datetime.date(2015, 3, 14)
    )
    client = login(cast.case_manager_a)
    twin = form_data(
        cast, family_name="Ivanov", given_name="Ales", sex="M", date_of_birth="2015-03-14"
    )
    response = client.post("/children/new/", twin)
    page = response.content.decode()
    assert response.status_code == 422
    assert "This child may already be registered" in page
    assert existing.case_number in page
    assert Child.objects.count() == 1
    twin["not_a_duplicate"] = "on"
    assert client.post("/children/new/", twin).status_code == 302
    assert Child.objects.count() == 2


def test_list_filters_sorts_and_pages(cast, register_child):
    today = timezone.localdate()
    for index in range(30):
        register_child(
            family_name=f"Семенов{'а' if index % 2 else ''}",
            given_name=f"Имя{index:02d}",
            sex="F" if index % 2 else "M",
            date_of_birth=today.replace(year=today.year - 5 - index % 10),
        )
    client = login(cast.case_manager_a)
    first = client.get("/children/?sort=name")
    assert first.status_code == 200
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    second = client.get("/children/?sort=name&page=2")
    assert len(second.context["page"].object_list) == 5
    girls = client.get("/children/?sex=F").context["page"].paginator.count
    assert girls == 15
    young = client.get("/children/?age_band=3-6").context["page"].paginator.count
    assert young == 6  # ages 5 and 6, three children each
    youngest = client.get("/children/?sort=-born").context["page"].object_list[0]
    assert youngest.date_of_birth == max(c.date_of_birth for c in Child.objects.all())
    assert client.get("/children/?page=999").status_code == 200
    assert client.get("/children/?sort=nonsense&sex=Q").status_code == 200


def test_filter_by_institution_lists_its_current_residents(cast, register_child):
    from homeward.institutions.actions import resident_admit

    resident = register_child(given_name="Резидент")
    register_child(given_name="Дома")
    resident_admit(
        actor=cast.case_manager_a,
        institution=cast.institution,
        child=resident,
        admitted_on=datetime.date(2023, 1, 1),
    )
    page = login(cast.case_manager_a).get(f"/children/?institution={cast.institution.code}")
    assert [c.given_name for c in page.context["page"].object_list] == ["Резидент"]


def test_the_list_page_runs_a_fixed_number_of_queries(cast, register_child):
    client = login(cast.case_manager_a)
    register_child()
    with CaptureQueriesContext(connection) as few:
        client.get("/children/")
    for index in range(20):
        register_child(given_name=f"Ребёнок{index}", date_of_birth=datetime.date(2014, 1, 1))
    with CaptureQueriesContext(connection) as many:
        client.get("/children/")
    assert len(many) == len(few)


def test_search_as_you_type_returns_only_the_results_fragment(cast, register_child):
    register_child(family_name="Петров", given_name="Олег")
    client = login(cast.case_manager_a)
    response = client.get(
        "/children/?q=Petrov", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="child-results"
    )
    page = response.content.decode()
    assert "Петров Олег" in page
    assert "<html" not in page
    assert "<form" not in page


def test_a_child_outside_the_users_scope_answers_404(cast, register_child):
    child = register_child(agency=cast.agency_b)
    client = login(cast.case_manager_a)
    assert client.get(f"/children/{child.uuid}/").status_code == 404
    assert client.get(f"/children/{child.uuid}/edit/").status_code == 404
    assert child.case_number not in client.get("/children/").content.decode()


@pytest.mark.parametrize("user", ["analyst", "admin"])
def test_roles_without_child_data_are_refused(cast, register_child, user):
    child = register_child()
    client = login(getattr(cast, user))
    assert client.get("/children/").status_code == 403
    assert client.get(f"/children/{child.uuid}/").status_code == 403


def test_edit_keeps_history_of_version_and_refuses_a_stale_save(cast, register_child):
    child = register_child()
    first = login(cast.case_manager_a)
    second = login(cast.supervisor_a)
    data = form_data(cast, family_name="Иванов", given_name="Алексей", sex="M", version=1)
    data["date_of_birth"] = "2015-03-14"
    data.pop("agency")
    assert (
        first.post(f"/children/{child.uuid}/edit/", {**data, "school_name": "СШ № 1"}).status_code
        == 302
    )
    stale = second.post(f"/children/{child.uuid}/edit/", {**data, "school_name": "СШ № 2"})
    assert stale.status_code == 422
    assert "Someone else changed this record" in stale.content.decode()
    child.refresh_from_db()
    assert child.school_name == "СШ № 1"
    assert child.version == 2


def test_changing_a_written_name_updates_its_automatic_latin_form(cast, register_child):
    child = register_child(family_name="Иванов")
    client = login(cast.case_manager_a)
    data = form_data(cast, family_name="Петров", given_name="Алексей", sex="M", version=1)
    data.update(
        date_of_birth="2015-03-14",
        family_name_latin=child.family_name_latin,
        given_name_latin=child.given_name_latin,
        patronymic="Сергеевич",
        patronymic_latin=child.patronymic_latin,
    )
    assert client.post(f"/children/{child.uuid}/edit/", data).status_code == 302
    child.refresh_from_db()
    assert child.family_name_latin == "Petrov"


def test_household_and_relatives(cast, register_child):
    child = register_child()
    client = login(cast.case_manager_a)
    response = client.post(
        f"/children/households/new/?child={child.uuid}",
        {"name": "Семья Ивановых", "address": "ул. Ленина, 5", "location": cast.agency_a.area.code},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.household is not None
    response = client.post(
        f"/children/{child.uuid}/relatives/new/",
        {
            "kind": "mother",
            "lives_with_child": "on",
            "family_name": "Иванова",
            "given_name": "Ольга",
            "sex": "F",
            "date_of_birth": "1988-02-02",
        },
    )
    assert response.status_code == 302
    mother = Person.objects.get()
    assert mother.household == child.household
    profile = client.get(f"/children/{child.uuid}/").content.decode()
    assert "Иванова Ольга" in profile
    assert "Семья Ивановых" in profile
    household_page = client.get(f"/children/households/{child.household.uuid}/").content.decode()
    assert "Иванова Ольга" in household_page
    person_page = client.get(f"/children/persons/{mother.uuid}/").content.decode()
    assert "Иванов Алексей" in person_page
    # the other agency sees none of it
    other = login(cast.case_manager_b)
    assert other.get(f"/children/persons/{mother.uuid}/").status_code == 404
    assert other.get(f"/children/households/{child.household.uuid}/").status_code == 404


def test_a_person_edit_with_bad_input_changes_nothing(cast, register_child):
    child = register_child()
    client = login(cast.case_manager_a)
    client.post(
        f"/children/{child.uuid}/relatives/new/",
        {"kind": "father", "family_name": "Иванов", "given_name": "Сергей", "sex": "M"},
    )
    father = Person.objects.get()
    response = client.post(
        f"/children/persons/{father.uuid}/edit/",
        {"family_name": "", "given_name": "Сергей", "sex": "M", "version": 1},
    )
    assert response.status_code == 422
    father.refresh_from_db()
    assert father.family_name == "Иванов"


def test_a_script_in_a_name_is_shown_as_text(cast, register_child):
    child = register_child(family_name="<script>alert(1)</script>")
    page = login(cast.case_manager_a).get(f"/children/{child.uuid}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_pages_send_a_strict_content_security_policy(cast):
    response = login(cast.case_manager_a).get("/children/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_subject_access_export_in_pdf_and_json_is_audited(cast, register_child):
    import json

    from homeward.audit.models import AuditAction, AuditEvent

    child = register_child(family_name="Іваноў", given_name="Алесь")
    supervisor = login(cast.supervisor_a)
    pdf = supervisor.get(f"/children/{child.uuid}/subject-access/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    body = supervisor.get(f"/children/{child.uuid}/subject-access/?format=json")
    data = json.loads(body.content)
    assert data["child"]["family_name"] == "Іваноў"
    assert data["child"]["case_number"] == child.case_number
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_uuid=child.uuid).count() == 2
    assert (
        login(cast.case_manager_a).get(f"/children/{child.uuid}/subject-access/").status_code == 403
    )


def test_a_filter_that_cannot_be_read_is_shown_not_dropped(cast, register_child):
    register_child(given_name="Видна", sex="F")
    client = login(cast.case_manager_a)
    response = client.get("/children/", {"location": "NOPE", "sex": "F"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unknown location code" in html
    assert "Correct the filters marked above" in html
    assert "Видна" not in html  # the list is not shown with the other filters dropped
    assert "Видна" in client.get("/children/", {"sex": "F"}).content.decode()
