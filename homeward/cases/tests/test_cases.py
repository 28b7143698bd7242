"""The case pipeline, deadlines, closure approval, reassignment, My work and My team."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from homeward.cases import actions
from homeward.cases.models import Case, CaseEvent, CaseEventType, CaseStatus, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(register_child):
    return register_child().case


def test_a_registered_child_has_a_case_managed_by_the_registering_worker(cast, case):
    assert case.status == CaseStatus.REGISTERED
    assert case.case_manager == cast.case_manager_a
    assert case.team.name == "Team A"
    assert CaseEvent.objects.filter(case=case, type="opened").exists()


def test_moves_follow_the_table_and_set_deadlines_by_risk(cast, case):
    actions.case_set_risk(actor=cast.case_manager_a, case=case, risk_level="high", version=1)
    case = actions.case_move(
        actor=cast.case_manager_a, case=case, to=CaseStatus.INITIAL_ASSESSMENT, version=2
    )
    task = Task.objects.get(case=case, source="deadline:initial_assessment")
    hours = (task.due_at - timezone.now()).total_seconds() / 3600
    assert 23 < hours <= 24
    with pytest.raises(ValidationError, match="cannot move"):
        actions.case_move(
            actor=cast.case_manager_a, case=case, to=CaseStatus.IMPLEMENTATION, version=3
        )
    case = actions.case_move(
        actor=cast.case_manager_a, case=case, to=CaseStatus.COMPREHENSIVE_ASSESSMENT, version=3
    )
    task.refresh_from_db()
    assert task.completed_at is not None
    assert [e.data.get("to") for e in case.events.filter(type="status_changed")] == [
        "comprehensive_assessment",
        "initial_assessment",
    ]


def test_a_stale_version_is_refused(cast, case):
    actions.case_set_risk(actor=cast.case_manager_a, case=case, risk_level="low", version=1)
    with pytest.raises(ValidationError, match="Someone else changed"):
        actions.case_set_risk(actor=cast.supervisor_a, case=case, risk_level="high", version=1)


def test_closure_needs_another_persons_approval_and_can_be_reopened(cast, case):
    client = login(cast.case_manager_a)
    response = client.post(
        f"/cases/{case.uuid}/close/", {"reason": "Family stable, goals met", "version": 1}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closure_requested_by == cast.case_manager_a
    assert Task.objects.get(source="approval:closure").assigned_to == cast.supervisor_a
    # the requester cannot decide; a case manager has no right to
    assert client.get(f"/cases/{case.uuid}/close/decide/").status_code == 403
    supervisor = login(cast.supervisor_a)
    decided = supervisor.post(
        f"/cases/{case.uuid}/close/decide/", {"decision": "approve", "version": case.version}
    )
    assert decided.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == timezone.localdate()
    assert not Task.objects.filter(case=case, completed_at__isnull=True).exists()
    reopened = client.post(
        f"/cases/{case.uuid}/reopen/", {"reason": "New report from school", "version": case.version}
    )
    assert reopened.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INITIAL_ASSESSMENT


def test_nobody_approves_their_own_closure(cast, register_child):
    child = register_child(actor=cast.supervisor_a)
    case = child.case
    actions.case_request_closure(
        actor=cast.supervisor_a, case=case, reason="Moved abroad", version=1
    )
    with pytest.raises(ValidationError, match="your own request"):
        actions.case_decide_closure(actor=cast.supervisor_a, case=case, approve=True, version=2)


def test_a_note_cannot_be_dated_in_the_future_nor_carry_control_characters(cast, case):
    client = login(cast.case_manager_a)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = client.post(
        f"/cases/{case.uuid}/notes/new/", {"kind": "visit", "happened_on": tomorrow, "text": "x"}
    )
    assert future.status_code == 422
    assert "cannot be dated in the future" in future.content.decode()
    bad = client.post(
        f"/cases/{case.uuid}/notes/new/",
        {"kind": "visit", "happened_on": "2025-01-01", "text": "a\x07b"},
    )
    assert bad.status_code == 422
    ok = client.post(
        f"/cases/{case.uuid}/notes/new/",
        {"kind": "visit", "happened_on": "2025-01-01", "text": "Home visit, mother present."},
    )
    assert ok.status_code == 302
    page = client.get(f"/cases/{case.uuid}/").content.decode()
    assert "Home visit, mother present." in page


def test_my_work_lists_overdue_and_coming_tasks_with_bounded_queries(cast, register_child):
    client = login(cast.case_manager_a)
    child = register_child()
    actions.case_move(
        actor=cast.case_manager_a, case=child.case, to=CaseStatus.INITIAL_ASSESSMENT, version=1
    )
    with CaptureQueriesContext(connection) as few:
        page = client.get("/cases/my-work/")
    assert len(page.context["work"].due_soon) == 1
    for index in range(8):
        other = register_child(given_name=f"Ребёнок{index}")
        actions.case_move(
            actor=cast.case_manager_a,
            case=other.case,
            to=CaseStatus.INITIAL_ASSESSMENT,
            version=1,
        )
    Task.objects.update(due_at=timezone.now() - datetime.timedelta(hours=1))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/cases/my-work/")
    assert len(page.context["work"].overdue) == 9
    assert other.case_number in page.content.decode()
    assert len(many) == len(few)


def test_my_team_shows_caseloads_and_reassigns_in_bulk(cast, register_child):
    from homeward.accounts.models import Membership
    from homeward.tests.factories import UserFactory

    colleague = UserFactory(username="cm_a2")
    Membership.objects.create(
        user=colleague,
        agency=cast.agency_a,
        role="case_manager",
        team=cast.case_manager_a.memberships.get().team,
    )
    cases = [register_child(given_name=f"Ребёнок{i}").case for i in range(3)]
    supervisor = login(cast.supervisor_a)
    page = supervisor.get("/cases/team/")
    load = {row.user.username: row.open_cases for row in page.context["load"]}
    assert load == {"cm_a": 3, "cm_a2": 0}
    response = supervisor.post(
        "/cases/team/",
        {"case_manager": "cm_a2", "cases": [str(c.uuid) for c in cases[:2]]},
    )
    assert response.status_code == 302
    assert Case.objects.filter(case_manager=colleague).count() == 2
    assert login(colleague).get(f"/children/{cases[0].child.uuid}/").status_code == 200
    assert login(cast.case_manager_a).get("/cases/team/").status_code == 403


def test_attachments_are_checked_stored_privately_and_served_after_a_permission_check(
    cast, case, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    client = login(cast.case_manager_a)
    url = f"/cases/{case.uuid}/attachments/new/"
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00rest-of-a-program")
    refused = client.post(url, {"file": exe})
    assert refused.status_code == 422
    assert "Programs cannot be attached" in refused.content.decode()
    fake = SimpleUploadedFile("photo.png", b"not really a png at all")
    assert "do not match its type" in client.post(url, {"file": fake}).content.decode()
    script = SimpleUploadedFile("run.sh", b"echo hello")
    assert client.post(url, {"file": script}).status_code == 422
    settings.ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 100)
    assert "larger than" in client.post(url, {"file": big}).content.decode()
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    assert not case.attachments.exists()
    assert not list(tmp_path.iterdir())
    pdf = SimpleUploadedFile("Заключение.pdf", b"%PDF-1.4 minimal", content_type="text/html")
    assert client.post(url, {"file": pdf, "description": "Medical"}).status_code == 302
    attachment = case.attachments.get()
    assert attachment.content_type == "application/pdf"
    download = client.get(f"/cases/attachments/{attachment.uuid}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minimal"
    assert "attachment" in download["Content-Disposition"]
    assert (
        login(cast.case_manager_b).get(f"/cases/attachments/{attachment.uuid}/").status_code == 404
    )


def test_a_conference_turns_action_items_into_tasks(cast, case):
    client = login(cast.case_manager_a)
    response = client.post(
        f"/cases/{case.uuid}/conferences/new/",
        {
            "held_on": "2026-11-02",
            "agencies": [cast.agency_a.code, cast.agency_b.code],
            "participants": "Иванова (школа), Петров (поликлиника)",
            "decisions": "Направить семью в группу поддержки.",
            "next_review_on": "2027-01-15",
            "item1_assignee": "sup_a",
            "item1_text": "Согласовать место в группе",
            "item1_due": "2026-11-20",
            "item2_text": "Без исполнителя",
        },
    )
    assert response.status_code == 422
    assert "who, what and by when" in response.content.decode()
    response = client.post(
        f"/cases/{case.uuid}/conferences/new/",
        {
            "held_on": "2026-11-02",
            "agencies": [cast.agency_a.code],
            "participants": "Иванова (школа)",
            "decisions": "Направить семью в группу поддержки.",
            "next_review_on": "2027-01-15",
            "item1_assignee": "sup_a",
            "item1_text": "Согласовать место в группе",
            "item1_due": "2026-11-20",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(source__startswith="conference:")
    assert task.assigned_to == cast.supervisor_a
    case.refresh_from_db()
    assert case.next_review_on == datetime.date(2027, 1, 15)
    assert case.events.filter(type="conference_held").exists()


def test_the_case_page_needs_as_many_queries_with_many_events_as_with_few(cast, register_child):
    client = login(cast.case_manager_a)
    case = register_child().case

    def add_notes(count: int) -> None:
        for index in range(count):
            actions.note_add(
                actor=cast.case_manager_a,
                case=case,
                kind="call",
                happened_on=datetime.date(2025, 1, 1 + index),
                participants="мать",
                text=f"Звонок {index}",
            )

    add_notes(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/cases/{case.uuid}/").status_code == 200
    add_notes(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"/cases/{case.uuid}/")
    assert page.content.decode().count("Звонок 19") == 1
    assert len(many) == len(few)


def test_the_chronology_names_each_event_as_its_choice_label(cast, case):
    client = login(cast.case_manager_a)
    actions.case_set_risk(actor=cast.case_manager_a, case=case, risk_level="high", version=1)
    for kind in CaseEventType.values:
        event = CaseEvent(case=case, type=kind)
        assert event.type_label == event.get_type_display()
    assert CaseEvent(case=case, type="gone").type_label == "gone"
    page = client.get(f"/cases/{case.uuid}/").content.decode()
    assert str(CaseEventType.RISK_SET.label) in page


def test_the_case_page_shows_the_latest_events_and_links_to_the_whole_chronology(
    cast, register_child
):
    client = login(cast.case_manager_a)
    case = register_child().case
    for index in range(30):
        actions.note_add(
            actor=cast.case_manager_a,
            case=case,
            kind="call",
            happened_on=datetime.date(2025, 1, 1),
            participants="",
            text=f"Звонок {index}",
        )
    page = client.get(f"/cases/{case.uuid}/")
    assert len(page.context["events"]) == 20
    assert f"/cases/{case.uuid}/chronology/" in page.content.decode()
    whole = client.get(f"/cases/{case.uuid}/chronology/")
    assert whole.status_code == 200
    assert whole.context["page"].paginator.count == 31  # opened, and 30 notes
    opened = client.get(f"/cases/{case.uuid}/chronology/", {"type": "opened"})
    assert [e.type for e in opened.context["page"]] == ["opened"]
    odd = client.get(f"/cases/{case.uuid}/chronology/", {"type": "<script>", "page": "x"})
    assert odd.status_code == 200
    assert odd.context["form"].errors["type"]
    assert odd.context["page"].number == 1
    outsider = login(cast.case_manager_b).get(f"/cases/{case.uuid}/chronology/")
    assert outsider.status_code == 404


def test_my_work_counts_every_task_and_pages_the_rest(cast, register_child, settings):
    from homeward.cases.selectors import MY_WORK_ROWS

    client = login(cast.case_manager_a)
    case = register_child().case
    overdue = MY_WORK_ROWS + 5
    for index in range(overdue):
        Task.objects.create(
            case=case,
            assigned_to=cast.case_manager_a,
            kind="review",
            title=f"Задача {index}",
            due_at=timezone.now() - datetime.timedelta(days=index + 1),
        )
    page = client.get("/cases/my-work/")
    work = page.context["work"]
    assert len(work.overdue) == MY_WORK_ROWS
    assert work.counts["overdue"] == overdue
    assert f"All {overdue} tasks" in page.content.decode()
    listed = client.get("/cases/my-work/overdue/")
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == overdue
    assert client.get("/cases/my-work/elsewhere/").status_code == 404
    assert client.get("/cases/my-work/overdue/", {"page": "999"}).context["page"].number == 1
    assert login(cast.analyst).get("/cases/my-work/overdue/").status_code == 403


def test_consent_is_recorded_from_the_case_page(cast, case):
    consent_url = f"/cases/children/{case.child.uuid}/consents/new/"
    page = login(cast.case_manager_a).get(f"/cases/{case.uuid}/").content.decode()
    assert f'href="{consent_url}"' in page
    assert login(cast.case_manager_a).get(consent_url).status_code == 200
