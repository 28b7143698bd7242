"""Every write to children, persons, households and relationships."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.actions import audit_record, audit_redact, created_fields, diff, snapshot
from homeward.audit.models import AuditAction
from homeward.core.actions import check_fields
from homeward.core.errors import check_version
from homeward.registry.models import (
    CaseNumberCounter,
    Child,
    Household,
    Person,
    Relationship,
)
from homeward.registry.names import search_key_for, to_latin

if TYPE_CHECKING:
    from homeward.accounts.models import Agency, User
    from homeward.registry.models import NamedPerson

NAME_FIELDS = ("family_name", "given_name", "patronymic")

CHILD_FIELDS = frozenset(
    {
        *NAME_FIELDS,
        *(f"{f}_latin" for f in NAME_FIELDS),
        "sex",
        "date_of_birth",
        "date_of_birth_estimated",
        "has_disability",
        "disability_domains",
        "legal_status",
        "home_location",
        "school_name",
        "school_location",
        "household",
    }
)
PERSON_FIELDS = frozenset(
    {
        *NAME_FIELDS,
        *(f"{f}_latin" for f in NAME_FIELDS),
        "sex",
        "date_of_birth",
        "phone",
        "location",
        "household",
        "notes",
    }
)
HOUSEHOLD_FIELDS = frozenset({"name", "address", "location", "notes"})


def _country_code(person: NamedPerson) -> str:
    location = getattr(person, "home_location", None) or getattr(person, "location", None)
    return location.country_code if location is not None else ""


def _fill_latin_and_key(person: NamedPerson, previous: dict[str, str] | None = None) -> None:
    """Fill each empty Latin name from the written one; rebuild the search key.

    When a written name changes and its Latin form was the automatic one, the Latin form
    follows the change.
    """
    country = _country_code(person)
    for field in NAME_FIELDS:
        written = (getattr(person, field) or "").strip()
        setattr(person, field, written)
        latin_field = f"{field}_latin"
        latin = (getattr(person, latin_field) or "").strip()
        automatic = previous is not None and latin == to_latin(previous.get(field, ""), country)
        if previous is not None and previous.get(field) != written and automatic:
            latin = ""
        setattr(person, latin_field, latin or to_latin(written, country))
    person.search_key = search_key_for(
        *(getattr(person, f) for f in NAME_FIELDS),
        *(getattr(person, f"{f}_latin") for f in NAME_FIELDS),
    )


def _next_case_number(child: Child) -> str:
    path = child.home_location.path.split("/")
    prefix = path[1] if len(path) > 1 else path[0]
    year = timezone.localdate().year
    counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"


@transaction.atomic
def child_register(*, actor: User, agency: Agency, data: dict[str, Any]) -> Child:
    check_fields(data, CHILD_FIELDS)
    child = Child(agency=agency, created_by=actor, **data)
    _fill_latin_and_key(child)
    child.full_clean(exclude=["case_number"])
    child.case_number = _next_case_number(child)
    child.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=child, changes=created_fields(child))
    from homeward.cases.actions import case_open

    case_open(actor=actor, child=child, agency=agency)
    return child


def _apply_changes(
    instance: Any, model: type[Any], version: int | None, changes: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """Lock the stored row, refuse a stale version, apply the changes; return the row and
    a snapshot of it from before."""
    locked = model.objects.select_for_update().get(pk=instance.pk)
    check_version(locked.version, version)
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    return locked, before


def _save_changed(actor: User, locked: Any, before: dict[str, Any]) -> None:
    """Save with a new version and record the fields that changed; nothing changed, no write."""
    changed = diff(before, snapshot(locked))
    changed.pop("version", None)
    if not changed:
        return
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changed)


@transaction.atomic
def child_update(
    *, actor: User, child: Child, version: int | None, changes: dict[str, Any]
) -> Child:
    check_fields(changes, CHILD_FIELDS)
    locked, before = _apply_changes(child, Child, version, changes)
    _fill_latin_and_key(locked, {f: before[f] for f in NAME_FIELDS})
    locked.full_clean()
    _save_changed(actor, locked, before)
    if FACT_FIELDS & changes.keys():
        _refresh_facts(locked)
    return locked  # type: ignore[no-any-return]


# what the indicators copy from the child beside each placement (indicators.facts)
FACT_FIELDS = {"date_of_birth", "sex", "has_disability"}


def _refresh_facts(child: Child) -> None:
    from homeward.indicators.facts import refresh

    refresh([child.pk])


@transaction.atomic
def household_create(*, actor: User, agency: Agency, data: dict[str, Any]) -> Household:
    check_fields(data, HOUSEHOLD_FIELDS)
    household = Household(agency=agency, created_by=actor, **data)
    household.full_clean()
    household.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=household, changes=created_fields(household)
    )
    return household


@transaction.atomic
def household_update(
    *, actor: User, household: Household, version: int | None, changes: dict[str, Any]
) -> Household:
    check_fields(changes, HOUSEHOLD_FIELDS)
    locked, before = _apply_changes(household, Household, version, changes)
    locked.full_clean()
    _save_changed(actor, locked, before)
    return locked  # type: ignore[no-any-return]


@transaction.atomic
def child_household_set(*, actor: User, child: Child, household: Household | None) -> Child:
    return child_update(actor=actor, child=child, version=None, changes={"household": household})


@transaction.atomic
def person_create(*, actor: User, agency: Agency, data: dict[str, Any]) -> Person:
    check_fields(data, PERSON_FIELDS)
    person = Person(agency=agency, created_by=actor, **data)
    _fill_latin_and_key(person)
    person.full_clean()
    person.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=person, changes=created_fields(person))
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, version: int | None, changes: dict[str, Any]
) -> Person:
    check_fields(changes, PERSON_FIELDS)
    locked, before = _apply_changes(person, Person, version, changes)
    _fill_latin_and_key(locked, {f: before[f] for f in NAME_FIELDS})
    locked.full_clean()
    _save_changed(actor, locked, before)
    return locked  # type: ignore[no-any-return]


@transaction.atomic
def relationship_add(
    *,
    actor: User,
    child: Child,
    kind: str,
    person: Person | None = None,
    related_child: Child | None = None,
    lives_with_child: bool = False,
    notes: str = "",
) -> Relationship:
    if related_child is not None and related_child.pk == child.pk:
        raise ValidationError({"related_child": _("A child cannot be their own relative.")})
    relationship = Relationship(
        child=child,
        kind=kind,
        person=person,
        related_child=related_child,
        lives_with_child=lives_with_child,
        notes=notes,
    )
    relationship.full_clean()
    relationship.save()
    counterpart = person or related_child
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=child,
        changes={"relationship": [None, f"{kind}:{getattr(counterpart, 'uuid', '')}"]},
    )
    return relationship


@transaction.atomic
def child_relative_register(
    *,
    actor: User,
    child: Child,
    kind: str,
    person_data: dict[str, Any],
    lives_with_child: bool = False,
) -> Relationship:
    """Register a new person and link them to the child in one step."""
    data = {"household": child.household if lives_with_child else None, **person_data}
    person = person_create(actor=actor, agency=child.agency, data=data)
    return relationship_add(
        actor=actor, child=child, kind=kind, person=person, lives_with_child=lives_with_child
    )


ANONYMISED = "—"


@transaction.atomic
def child_anonymise(*, actor: User | None, child: Child) -> Child:
    """Remove what identifies a child whose record is past retention.

    Kept, so that aggregate counts stay right: sex, year and month of birth, disability yes/no,
    legal status, district, agency, case, institution stays and the kinds of relationships.
    Removed: names, exact birth day, disability details, school, addresses, and the names and
    contacts of relatives; the audit trail's recorded values for these records are redacted.
    """
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if locked.anonymised_at is not None:
        return locked
    touched = [locked.uuid]
    for field in NAME_FIELDS:
        setattr(locked, field, ANONYMISED if field != "patronymic" else "")
        setattr(locked, f"{field}_latin", ANONYMISED if field != "patronymic" else "")
    locked.search_key = ""
    locked.date_of_birth = locked.date_of_birth.replace(day=1)
    locked.disability_domains = []
    locked.school_name = ""
    if locked.home_location.parent is not None and locked.home_location.level == "locality":
        locked.home_location = locked.home_location.parent
    locked.school_location = None
    locked.anonymised_at = timezone.now()
    locked.version += 1
    locked.save()
    for person in Person.objects.filter(relationships__child=locked).distinct():
        person.family_name = person.given_name = ANONYMISED
        person.family_name_latin = person.given_name_latin = ANONYMISED
        person.patronymic = person.patronymic_latin = person.phone = person.notes = ""
        person.date_of_birth = None
        person.search_key = ""
        person.save()
        touched.append(person.uuid)
    if locked.household is not None:
        household = locked.household
        household.name, household.address, household.notes = ANONYMISED, "", ""
        household.save()
        touched.append(household.uuid)
    _refresh_facts(locked)
    audit_redact(object_uuids=touched)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, detail="anonymised")
    return locked
