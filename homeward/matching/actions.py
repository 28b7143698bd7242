"""Every write of matching: weights, a child's needs, proposals, and the decisions on them.
Homeward never places a child by itself: a placement follows only a person's acceptance."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.actions import audit_record, diff, snapshot
from homeward.audit.models import AuditAction
from homeward.care import actions as care_actions
from homeward.care.models import CareType, ExitDestination, Placement
from homeward.carers.actions import placement_link
from homeward.carers.models import CarerHousehold, Language, MatchingRow, Stage, TrainingTopic
from homeward.core.actions import short_date
from homeward.core.errors import check_version
from homeward.geo.models import Level, Location
from homeward.matching.engine import (
    batch_plan,
    carer_table,
    group_for,
    half_km,
    score_household,
)
from homeward.matching.models import (
    MatchingNeeds,
    MatchingWeights,
    MatchProposal,
    MatchStatus,
    NeedTerm,
    ProposalKind,
    ProposedMatch,
)
from homeward.matching.scoring import CRITERIA, CarerProfile, Point, explain_many, violations
from homeward.matching.selectors import region_of, weights_for
from homeward.registry.models import Child
from homeward.registry.selectors import children_for_user

if TYPE_CHECKING:
    from homeward.accounts.models import User

MAX_WEIGHT = 100


@transaction.atomic
def weights_set(
    *, actor: User, region: Location, weights: dict[str, Any], version: int | None
) -> MatchingWeights:
    """A region's weights: every criterion a number from 0 to 100, not all zero."""
    errors: dict[str, Any] = {}
    if region.level != Level.REGION:
        errors["region"] = _("Choose a region.")
    unknown = set(weights) - set(CRITERIA)
    for name in sorted(unknown):
        errors[name] = _("This field cannot be set here.")
    clean: dict[str, float] = {}
    for name in CRITERIA:
        value = weights.get(name, settings.MATCHING_DEFAULT_WEIGHTS[name])
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not 0 <= value <= MAX_WEIGHT:
            errors[name] = _("Enter a number from 0 to 100.")
        else:
            clean[name] = float(value)
    if not errors and sum(clean.values()) == 0:
        errors["weights"] = _("At least one criterion needs a weight above 0.")
    if errors:
        raise ValidationError(errors)
    row = MatchingWeights.objects.select_for_update().filter(region=region).first()
    if row is None:
        row = MatchingWeights(region=region, weights=clean, updated_by=actor)
        before: dict[str, Any] = {}
    else:
        check_version(row.version, version)
        before = dict(row.weights)
        row.weights = clean
        row.updated_by = actor
        row.version += 1
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=region,
        changes=diff(before, clean),
        detail="matching weights",
    )
    return row


@transaction.atomic
def needs_set(*, actor: User, child: Child, data: dict[str, Any]) -> MatchingNeeds:
    allowed = {"languages", "topics", "term", "notes"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    errors: dict[str, Any] = {}
    languages = data.get("languages", [])
    if not isinstance(languages, list) or set(languages) - set(Language.values):
        errors["languages"] = _("Choose languages from the list.")
    topics = data.get("topics", [])
    if not isinstance(topics, list) or set(topics) - set(TrainingTopic.values):
        errors["topics"] = _("Choose topics from the list.")
    if data.get("term", "") not in NeedTerm.values:
        errors["term"] = _("Choose a term from the list.")
    if errors:
        raise ValidationError(errors)
    needs = MatchingNeeds.objects.select_for_update().filter(child=child).first()
    needs = needs or MatchingNeeds(child=child)
    before = snapshot(needs, ["languages", "topics", "term", "notes"])
    needs.languages = [code for code in Language.values if code in languages]
    needs.topics = [code for code in TrainingTopic.values if code in topics]
    needs.term = data.get("term", "")
    needs.notes = data.get("notes", "")
    needs.updated_by = actor
    if needs.pk:
        needs.version += 1
    needs.full_clean()
    needs.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=child,
        changes={
            f"matching.{k}": v for k, v in diff(before, snapshot(needs, list(before))).items()
        },
    )
    return needs


def _parameters() -> dict[str, Any]:
    return {
        "distance_half_km": float(settings.MATCHING_DISTANCE_HALF_KM),
        "exact_pairs": int(settings.MATCHING_EXACT_PAIRS),
    }


@transaction.atomic
def proposal_for_region(
    *, actor: User, region: Location, today: datetime.date | None = None
) -> MatchProposal:
    """A batch proposal for every child waiting in the region, stored with its weights. Each
    match waits for a person to accept, change or reject it."""
    if region.level != Level.REGION:
        raise ValidationError({"region": _("Choose a region.")})
    plan = batch_plan(actor, region, today=today)
    assigned = [u for u, h in enumerate(plan.solution.household_of) if h >= 0]
    proposal = MatchProposal.objects.create(
        kind=ProposalKind.REGION,
        region=region,
        weights=plan.weights.as_dict(),
        parameters=_parameters(),
        summary={
            "units": len(plan.units),
            "children": sum(len(unit) for unit in plan.units),
            "households": len(plan.table),
            "matched_units": len(assigned),
            "matched_children": sum(len(plan.units[u]) for u in assigned),
            "total_score": round(plan.solution.total, 2),
            # no assignment can total more than this: how close to the best the proposal is
            "bound": round(plan.solution.bound, 2) if plan.solution.bound is not None else None,
            "solver": plan.solution.status,
            "candidate_pairs": plan.solution.edges,
            "seconds": round(plan.seconds, 3),
        },
        created_by=actor,
    )
    households = CarerHousehold.objects.in_bulk(
        [int(plan.table.keys[plan.solution.household_of[u]]) for u in assigned]
    )
    matches: list[ProposedMatch] = []
    explained = explain_many(
        [plan.groups[u] for u in assigned],
        plan.table,
        [int(plan.solution.household_of[u]) for u in assigned],
        plan.weights,
        half_km(),
    )
    for u, reasons in zip(assigned, explained, strict=True):
        h = int(plan.solution.household_of[u])
        matches.append(
            ProposedMatch(
                proposal=proposal,
                household=households[int(plan.table.keys[h])],
                score=round(float(plan.scores[u, h]), 2),
                reasons=[reason.as_json() for reason in reasons],
            )
        )
    ProposedMatch.objects.bulk_create(matches, batch_size=1000)
    through = ProposedMatch.children.through
    through.objects.bulk_create(
        [
            through(proposedmatch_id=match.pk, child_id=child.pk)
            for match, u in zip(matches, assigned, strict=True)
            for child in plan.units[u]
        ],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=region,
        changes={"proposal": [None, str(proposal.uuid)]},
        detail="match proposal",
    )
    return proposal


def _household_profile(
    household: CarerHousehold, vacancy: int, today: datetime.date
) -> CarerProfile:
    terms = household.terms
    expires = household.approval_expires_on
    location = household.location
    return CarerProfile(
        key=household.pk,
        vacancy=vacancy,
        age_min=terms.age_min if terms else 0,
        age_max=terms.age_max if terms else -1,
        accepts_female=terms.accepts_female if terms else False,
        accepts_male=terms.accepts_male if terms else False,
        sibling_groups=terms.sibling_groups if terms else False,
        disabilities=terms.disabilities if terms else False,
        domains_mask=terms.domains_mask if terms else 0,
        term=terms.term if terms else "both",
        professional=household.professional,
        location=Point(float(location.latitude), float(location.longitude))
        if location.latitude is not None and location.longitude is not None
        else None,
        available=household.stage == Stage.APPROVED
        and terms is not None
        and expires is not None
        and expires >= today,
    )


def _refuse_unless_placeable(
    household: CarerHousehold, children: list[Child], start: datetime.date, today: datetime.date
) -> None:
    """The carers' approval must hold on the day, and the children fit its terms and room."""
    expires = household.approval_expires_on
    name = household.name
    if (
        household.stage == Stage.APPROVED
        and expires is not None
        and (expires < today or expires < start)
    ):
        raise ValidationError(
            _(
                "The approval of %(name)s lapsed on %(date)s: hold their annual review "
                "before a child is placed with them."
            )
            % {"name": name, "date": short_date(expires)}
        )
    if household.stage != Stage.APPROVED:
        raise ValidationError(
            _("%(name)s are not approved now (%(stage)s): choose other carers.")
            % {"name": name, "stage": household.get_stage_display()}
        )
    group = group_for(children, today)
    table = carer_table(MatchingRow.objects.filter(pk=household.pk, available=True))
    vacancy = int(table.vacancy[0]) if len(table) else 0
    failed = violations(group, _household_profile(household, vacancy, today))
    if failed:
        raise ValidationError(
            [
                _("%(name)s cannot take the child now:") % {"name": name},
                *[reason.text for reason in failed],
            ]
        )


def _district_of(location: Location) -> Location:
    return location.parent if location.level == Level.LOCALITY and location.parent else location


@transaction.atomic
def match_accept(
    *,
    actor: User,
    match: ProposedMatch,
    start: datetime.date | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> list[Placement]:
    """A person confirms one match: each child of it is placed with the carers (a placement
    still open elsewhere ends that day, as a move to another care type)."""
    today = today or timezone.localdate()
    start = start or today
    locked = ProposedMatch.objects.select_for_update().get(pk=match.pk)
    if locked.status != MatchStatus.PROPOSED:
        raise ValidationError(_("This match has already been decided."))
    household = (
        CarerHousehold.objects.select_for_update(of=("self",))
        .select_related("terms", "location", "location__parent")
        .get(pk=locked.household_id)
    )
    children = list(locked.children.select_related("home_location", "school_location"))
    children.sort(key=lambda c: (c.date_of_birth, c.pk))
    if children_for_user(actor).filter(pk__in=[c.pk for c in children]).count() != len(children):
        raise ValidationError(_("Only children in your records can be placed."))
    if start > today:
        raise ValidationError({"start": _("A placement cannot start in the future.")})
    _refuse_unless_placeable(household, children, start, today)
    care_type = CareType.FOSTER_PROFESSIONAL if household.professional else CareType.FOSTER
    placements: list[Placement] = []
    for child in children:
        current = Placement.objects.filter(child=child, end__isnull=True).first()
        if current is not None:
            if current.start >= start:
                raise ValidationError(
                    {"start": _("The child's current placement starts on or after this day.")}
                )
            care_actions.placement_end(
                actor=actor,
                placement=current,
                end=start,
                exit_destination=ExitDestination.OTHER_FORMAL_CARE,
            )
        placement = care_actions.placement_start(
            actor=actor,
            child=child,
            care_type=care_type,
            start=start,
            district=_district_of(household.location),
            reason=reason.strip() or _("Placed with foster carers after matching"),
            provider_name=household.name,
        )
        placement_link(actor=actor, household=household, placement=placement)
        placements.append(placement)
    locked.status = MatchStatus.ACCEPTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.version += 1
    locked.save()
    # The children are placed: other proposals for them no longer stand.
    ProposedMatch.objects.filter(
        status=MatchStatus.PROPOSED, children__in=[c.pk for c in children]
    ).exclude(pk=locked.pk).update(status=MatchStatus.SUPERSEDED, decided_at=timezone.now())
    for child in children:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=child,
            changes={"match": [None, str(locked.uuid)]},
            detail="match accepted",
        )
    return placements


@transaction.atomic
def match_reject(*, actor: User, match: ProposedMatch, note: str = "") -> ProposedMatch:
    locked = ProposedMatch.objects.select_for_update().get(pk=match.pk)
    if locked.status != MatchStatus.PROPOSED:
        raise ValidationError(_("This match has already been decided."))
    locked.status = MatchStatus.REJECTED
    locked.note = note.strip()
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked.proposal.region,
        changes={"match": [MatchStatus.PROPOSED, MatchStatus.REJECTED]},
        detail=f"match {locked.uuid}",
    )
    return locked


def _new_match(
    *,
    proposal: MatchProposal,
    children: list[Child],
    household: CarerHousehold,
    today: datetime.date,
    replaces: ProposedMatch | None = None,
) -> ProposedMatch:
    group = group_for(children, today)
    weights = weights_for(proposal.region)
    scored = score_household(household, group, weights, today)
    if scored is None:
        _refuse_unless_placeable(household, children, today, today)
        raise ValidationError(_("These carers cannot take the child now."))
    score, reasons = scored
    match = ProposedMatch.objects.create(
        proposal=proposal,
        household=household,
        score=round(score, 2),
        reasons=[r.as_json() for r in reasons],
        replaces=replaces,
    )
    match.children.set(children)
    return match


@transaction.atomic
def match_change(
    *,
    actor: User,
    match: ProposedMatch,
    household: CarerHousehold,
    today: datetime.date | None = None,
) -> ProposedMatch:
    """A person changes one match to other carers: the new pair is checked and scored and
    waits in the same proposal for acceptance; the old one is set aside."""
    today = today or timezone.localdate()
    locked = ProposedMatch.objects.select_for_update().select_related("proposal").get(pk=match.pk)
    if locked.status != MatchStatus.PROPOSED:
        raise ValidationError(_("This match has already been decided."))
    if household.pk == locked.household_id:
        raise ValidationError({"household": _("These are the carers already proposed.")})
    children = list(locked.children.select_related("home_location", "school_location"))
    new = _new_match(
        proposal=locked.proposal,
        children=children,
        household=household,
        today=today,
        replaces=locked,
    )
    locked.status = MatchStatus.REJECTED
    locked.note = _("Changed to other carers.")
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked.proposal.region,
        changes={"match": [str(locked.uuid), str(new.uuid)]},
        detail="match changed",
    )
    return new


@transaction.atomic
def match_for_child(
    *,
    actor: User,
    children: list[Child],
    household: CarerHousehold,
    today: datetime.date | None = None,
) -> ProposedMatch:
    """A one-match proposal from a child's ranking, stored with the region's weights."""
    today = today or timezone.localdate()
    region = region_of(children[0].home_location)
    proposal = MatchProposal.objects.create(
        kind=ProposalKind.CHILD,
        region=region,
        weights=weights_for(region).as_dict(),
        parameters=_parameters(),
        summary={"children": len(children)},
        created_by=actor,
    )
    return _new_match(proposal=proposal, children=children, household=household, today=today)
