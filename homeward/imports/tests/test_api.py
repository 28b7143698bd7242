"""POST /api/v1/imports, its status and report, and the commit."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from homeward.api.tests.test_api import Api
from homeward.imports.models import ImportJob
from homeward.imports.tests.test_census import csv_file, row
from homeward.registry.models import Child

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    storage = FileSystemStorage(location=tmp_path / "imports")
    monkeypatch.setattr(ImportJob._meta.get_field("file"), "storage", storage)


def upload(api, content, **fields):
    return api.client.post("/api/v1/imports", {"file": content, **fields}, headers=api.headers)


def test_upload_dry_run_read_the_report_then_commit(cast, django_capture_on_commit_callbacks):
    api = Api(cast.supervisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        created = upload(api, csv_file([row(cast), row(cast, external_id="EXT-2")]))
    assert created.status_code == 202, created.content
    job = created.json()
    assert (job["status"], job["dry_run"], job["agency"]) == ("queued", True, cast.agency_a.code)

    checked = api.get(f"/imports/{job['id']}").json()
    assert checked["status"] == "valid"
    assert checked["counts"]["children_new"] == 2
    assert checked["error_count"] == 0
    assert not Child.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        committed = api.send("post", f"/imports/{job['id']}/commit", {})
    assert committed.status_code == 202, committed.content
    done = api.get(f"/imports/{job['id']}").json()
    assert done["status"] == "done"
    assert done["counts"]["placements_new"] == 2
    assert Child.objects.count() == 2

    again = api.send("post", f"/imports/{job['id']}/commit", {})
    assert again.status_code == 422
    listed = api.get("/imports").json()
    assert listed["count"] == 1


def test_the_report_gives_line_column_and_a_translated_message(
    cast, django_capture_on_commit_callbacks
):
    api = Api(cast.supervisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        created = upload(api, csv_file([row(cast, placement_start="2021-02-30")]), dry_run="false")
    report = api.get(f"/imports/{created.json()['id']}").json()
    assert report["status"] == "invalid"
    assert report["errors"] == [
        {
            "line": 2,
            "column": "placement_start",
            "code": "date_impossible",
            "message": "This date does not exist.",
        }
    ]


def test_a_file_that_is_not_a_census_is_refused_with_422(cast):
    png = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n")
    response = upload(Api(cast.supervisor_a), png)
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not ImportJob.objects.exists()


def test_only_importers_and_only_their_own_jobs(cast, django_capture_on_commit_callbacks):
    assert upload(Api(cast.case_manager_a), csv_file([row(cast)])).status_code == 403
    refused = upload(Api(cast.supervisor_a), csv_file([row(cast)]), agency=cast.agency_b.code)
    assert refused.status_code == 422
    assert refused.json()["errors"]["agency"]
    created = upload(Api(cast.supervisor_a), csv_file([row(cast)]))
    job_id = created.json()["id"]
    assert Api(cast.analyst).get(f"/imports/{job_id}").status_code == 403
    assert (
        Api(cast.supervisor_a).get("/imports/00000000-0000-0000-0000-000000000000").status_code
        == 404
    )
