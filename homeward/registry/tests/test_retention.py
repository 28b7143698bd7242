"""Closed records past retention are anonymised; counts and the audit chain survive."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from homeward.audit.chain import verify
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case, CaseStatus
from homeward.registry.actions import child_relative_register
from homeward.registry.models import Child, Person
from homeward.registry.selectors import ChildFilters, child_list

pytestmark = pytest.mark.django_db


def close(child, years_ago: int) -> None:
    Case.objects.filter(child=child).update(
        status=CaseStatus.CLOSED,
        closed_on=datetime.date.today() - datetime.timedelta(days=365 * years_ago + 30),
    )


def test_records_past_retention_are_anonymised(cast, register_child, settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 10
    old = register_child(family_name="Старый", has_disability=True, disability_domains=["seeing"])
    recent = register_child(family_name="Недавний")
    open_case = register_child(family_name="Открытый")
    child_relative_register(
        actor=cast.case_manager_a,
        child=old,
        kind="mother",
        person_data={"family_name": "Старая", "given_name": "Мать", "sex": "F", "phone": "+375"},
    )
    close(old, 11)
    close(recent, 2)
    total_before = Child.objects.count()

    call_command("retention_anonymise")

    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert old.family_name == "—" and old.family_name_latin == "—"
    assert old.date_of_birth.day == 1
    assert old.disability_domains == [] and old.has_disability is True
    mother = Person.objects.get(relationships__child=old)
    assert mother.family_name == "—" and mother.phone == ""
    assert Child.objects.count() == total_before
    for child in (recent, open_case):
        child.refresh_from_db()
        assert child.anonymised_at is None
    assert not child_list(cast.case_manager_a, ChildFilters(q="Старый")).exists()
    recorded = AuditEvent.objects.filter(object_uuid=old.uuid, redacted=True)
    assert recorded.exists()
    assert "Старый" not in str(list(recorded.values_list("changes", flat=True)))
    assert verify()[1] is None  # the chain still verifies after redaction
