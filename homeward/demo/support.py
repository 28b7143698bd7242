"""The demo's assessments, referrals to providers and foster carers, made through the actions.

Runs after the children exist (see loader.demo_load) and, like it, only on a first load.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from homeward.access.actions import share_create
from homeward.accounts.models import Agency, User
from homeward.assessments import actions as assessments
from homeward.assessments.models import AssessmentTemplate
from homeward.care import actions as care
from homeward.carers import actions as carers
from homeward.carers.models import CarerHousehold, Stage
from homeward.cases import actions as cases
from homeward.cases.models import Case, CaseStatus
from homeward.geo.models import Location
from homeward.registry.models import Child
from homeward.services import actions as services
from homeward.services.models import Provider, Referral, ServiceType

WELLBEING_DOMAINS = [
    "food_security", "growth", "shelter", "care", "safety", "legal",
    "wellness", "health_care", "emotional", "social", "learning", "attendance",
]  # fmt: skip

# name, Latin name, agency code, area, service type codes
PROVIDERS = [
    ("Общественное объединение «Семейная опора»", "Family Support Association", "BY-VI-NGO",
     "BY-VI", ["parent_support_group", "psychological_counselling", "sos_parent", "respite_care"]),
    ("Сдружение „Еквилибриум“", "Equilibrium Association", "BG-18-EQ",
     "BG-18", ["psychological_counselling", "social_counselling", "parent_support_group"]),
]  # fmt: skip

REFERRAL_REASONS = [
    "Мать одна воспитывает троих детей, нуждается в поддержке и общении с другими родителями.",
    "Ребёнок тяжело переживает развод родителей, нужна консультация психолога.",
    "Семье нужна передышка: ребёнок с инвалидностью требует постоянного ухода.",
]

# household name, Latin, locality, languages, professional, stage reached, terms
CARERS: list[tuple[str, str, str, list[str], bool, str, dict[str, Any]]] = [
    ("Семья Мирончиков", "Mironchik family", "BY-VI-21-001", ["ru", "be"], False, Stage.APPROVED,
     {"max_children": 2, "age_min": 3, "age_max": 12, "sibling_groups": True}),
    ("Семья Дроздов", "Drozd family", "BY-VI-21-002", ["ru"], True, Stage.APPROVED,
     {"max_children": 3, "age_min": 0, "age_max": 17, "sibling_groups": True,
      "disabilities": True}),
    ("Семья Ковальчуков", "Kovalchuk family", "BY-VI-12-001", ["ru"], False, Stage.APPROVED,
     {"max_children": 1, "age_min": 0, "age_max": 6, "sibling_groups": False}),
    ("Семья Лапицких", "Lapitsky family", "BY-VI-12-002", ["be", "ru"], False, Stage.APPROVED,
     {"max_children": 2, "age_min": 6, "age_max": 17, "sibling_groups": True}),
    ("Семья Гуриновичей", "Gurinovich family", "BY-VI-21-001", ["ru"], True, Stage.APPROVED,
     {"max_children": 4, "age_min": 0, "age_max": 17, "sibling_groups": True,
      "disabilities": True}),
    ("Семья Тарасевичей", "Tarasevich family", "BY-VI-21-002", ["ru"], False, Stage.ON_HOLD,
     {"max_children": 2, "age_min": 0, "age_max": 10, "sibling_groups": True}),
    ("Семья Шевченко", "Shevchenko family", "BY-VI-12-001", ["ru"], False, Stage.PANEL, {}),
    ("Семья Бондаренко", "Bondarenko family", "BY-VI-21-001", ["ru"], False, Stage.HOME_STUDY,
     {}),
    ("Семья Жуковых", "Zhukov family", "BY-VI-21-002", ["ru"], False, Stage.TRAINING, {}),
    ("Семья Савицких", "Savitsky family", "BY-VI-12-002", ["be"], False, Stage.APPLICATION, {}),
    ("Семья Королёвых", "Korolev family", "BY-VI-21-001", ["ru"], False,
     Stage.INFORMATION_VISIT, {}),
    ("Семья Новиковых", "Novikov family", "BY-VI-12-001", ["ru"], False, Stage.ENQUIRY, {}),
    ("Семья Романовских", "Romanovsky family", "BY-VI-21-002", ["ru", "be"], False,
     Stage.ENQUIRY, {}),
]  # fmt: skip

PIPELINE: list[str] = [
    Stage.ENQUIRY, Stage.INFORMATION_VISIT, Stage.APPLICATION, Stage.TRAINING,
    Stage.HOME_STUDY, Stage.PANEL, Stage.APPROVED,
]  # fmt: skip

HOME_STUDY = {
    "motivation": "Наши дети выросли, мы хотим дать семью ребёнку из нашего района.",
    "household_agrees": True,
    "parenting": 4,
    "needs": 3,
    "birth_family": 3,
    "behaviour": 3,
    "space": 4,
    "own_bed": True,
    "network": 3,
    "recommended_term": "both",
    "recommendation": "Семья готова; рекомендуем к утверждению.",
}


def giver(child: Child) -> str:
    """Who consents at the child's age (settings.CONSENT_AGE_BANDS)."""
    age = cases.age_on(child, timezone.localdate())
    return "caregiver" if age < 6 else "both" if age < 14 else "child"


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _wellbeing(rng: random.Random, level: int) -> dict[str, Any]:
    answers: dict[str, Any] = {
        key: max(1, min(4, level + rng.choice([-1, 0, 0, 1]))) for key in WELLBEING_DOMAINS
    }
    answers["sources"] = ["observation", "carer"]
    return answers


def assessments_demo(actor: User, rng: random.Random) -> int:
    """A child well-being scale now and three months earlier for the cases being implemented
    or reviewed, so that the comparison shows what improved and what got worse."""
    template = AssessmentTemplate.objects.filter(code="wellbeing_scale").order_by("-version")[0]
    made = 0
    active = [CaseStatus.IMPLEMENTATION, CaseStatus.REVIEW]
    for case in Case.objects.filter(case_manager=actor, status__in=active).order_by("id")[:25]:
        for level, days in ((2, rng.randint(85, 110)), (3, rng.randint(3, 20))):
            assessment = assessments.assessment_start(actor=actor, case=case, template=template)
            assessments.assessment_submit(
                actor=actor,
                assessment=assessment,
                version=assessment.version,
                answers=_wellbeing(rng, level),
                completed_on=_days_ago(days),
            )
            made += 1
    return made


def _providers(admin: User, agencies: dict[str, Agency]) -> list[Provider]:
    found = []
    for name, latin, agency, area, codes in PROVIDERS:
        provider = Provider.objects.filter(name=name).first() or services.provider_create(
            actor=admin,
            data={
                "agency": agencies[agency],
                "name": name,
                "name_latin": latin,
                "area": Location.objects.get(code=area),
                "capacity": 40,
                "phone": "+375 212 55-12-40" if area.startswith("BY") else "+359 82 82 00 00",
                "email": f"info@{agency.lower()}.demo.homeward.invalid",
                "under_state_social_order": True,
            },
            service_types=list(ServiceType.objects.filter(code__in=codes)),
        )
        found.append(provider)
    return found


def referrals_demo(users: dict[str, User], agencies: dict[str, Agency]) -> int:
    """Anna refers families to the NGO in Vitebsk under their consent; the NGO answers some,
    one waits, and one is past its deadline and escalated to her supervisor."""
    provider = _providers(users["admin"], agencies)[0]
    anna, nina = users["anna"], users["nina"]
    service = ServiceType.objects.get(code="parent_support_group")
    open_cases = Case.objects.filter(
        case_manager=anna, status__in=[CaseStatus.CASE_PLANNING, CaseStatus.IMPLEMENTATION]
    ).select_related("child")
    # what the NGO has done with each referral by the time the demo starts
    answers = ["accepted", "in_progress", "completed", "sent", "sent", "overdue"]
    referrals: list[Referral] = []
    for answer, case in zip(answers, open_cases.order_by("id"), strict=False):
        consent = cases.consent_record(
            actor=anna, child=case.child, kind="sharing", given_by=giver(case.child),
            given_on=_days_ago(12), agency=provider.agency,
        )  # fmt: skip
        referral = services.referral_send(
            actor=anna,
            case=case,
            provider=provider,
            service_type=service,
            reason=REFERRAL_REASONS[len(referrals) % len(REFERRAL_REASONS)],
            consent=consent,
        )
        referrals.append(referral)
        if answer in ("accepted", "in_progress", "completed"):
            referral = services.referral_accept(
                actor=nina, referral=referral, version=referral.version
            )
        if answer in ("in_progress", "completed"):
            referral = services.referral_start(
                actor=nina, referral=referral, version=referral.version
            )
        if answer == "completed":
            services.referral_complete(
                actor=nina,
                referral=referral,
                outcome="Мать посетила 8 встреч группы, наладила общение с другими родителями.",
                version=referral.version,
            )
        if answer == "overdue":
            # The demo starts a few days into the work: this referral was sent a week ago and
            # nobody answered it, so the escalation sweep finds it overdue.
            week_ago = timezone.now() - datetime.timedelta(days=7)
            Referral.objects.filter(pk=referral.pk).update(
                sent_at=week_ago, due_at=week_ago + datetime.timedelta(days=3)
            )
            services.referrals_escalate(referral_uuids=[str(referral.uuid)])
    return len(referrals)


def _to_stage(actor: User, household: CarerHousehold, stage: str, course: Any) -> None:
    """Walk a household along the pipeline, doing what each step asks before the next."""
    main = carers.member_add(
        actor=actor,
        household=household,
        data={
            "family_name": household.name.split()[-1],
            "given_name": "Наталья",
            "sex": "F",
            "date_of_birth": datetime.date(1981, 4, 12),
            "role": "main_carer",
        },
    )
    target = PIPELINE.index(Stage.APPROVED if stage == Stage.ON_HOLD else stage)
    done, valid = _days_ago(30), _days_ago(-700)
    for step in PIPELINE[1 : min(target, 5) + 1]:
        if step == Stage.TRAINING:
            for kind in ("references", "home_safety"):
                carers.check_record(
                    actor=actor,
                    household=household,
                    data={"kind": kind, "done_on": done, "expires_on": valid, "result": "passed"},
                )
            for kind in ("health", "criminal_record"):
                carers.check_record(
                    actor=actor, household=household,
                    data={"kind": kind, "member": main, "done_on": done, "expires_on": valid,
                          "result": "passed"},
                )  # fmt: skip
        if step == Stage.HOME_STUDY:
            carers.training_record(
                actor=actor, household=household, course=course, completed_on=done
            )
        if step == Stage.PANEL:
            study = carers.home_study_start(actor=actor, household=household)
            carers.home_study_save(
                actor=actor, study=study, answers=HOME_STUDY, completed_on=done,
                version=study.version, submit=True,
            )  # fmt: skip
        household.refresh_from_db()
        household = carers.carer_move(
            actor=actor, household=household, to=step, version=household.version
        )


def carers_demo(users: dict[str, User], agencies: dict[str, Agency]) -> int:
    """Elena's foster-care service: households at every stage, five approved with places."""
    elena = users["elena"]
    agency = agencies["BY-VI-FOSTER"]
    course = carers.course_create(
        actor=elena,
        data={
            "name": "Школа замещающих родителей",
            "topics": ["disability", "trauma", "sibling_groups", "birth_family"],
            "hours": Decimal(48),
        },
    )
    for name, latin, place, languages, professional, stage, terms in CARERS:
        household = carers.carer_enquiry(
            actor=elena,
            agency=agency,
            data={
                "name": name,
                "location": Location.objects.get(code=place),
                "languages": languages,
                "professional": professional,
                "enquiry_on": _days_ago(200 if terms else 20),
                "notes": latin,
            },
        )
        if stage == Stage.ENQUIRY:
            continue
        _to_stage(elena, household, stage, course)
        if stage in (Stage.APPROVED, Stage.ON_HOLD):
            household.refresh_from_db()
            household = carers.carer_approve(
                actor=elena,
                household=household,
                decided_on=_days_ago(60),
                terms={
                    "panel": "Комиссия по опеке и попечительству Витебского облисполкома",
                    "sexes": ["F", "M"],
                    "disabilities": False,
                    "disability_domains": [],
                    "term": "both",
                    "professional": professional,
                    "notes": "",
                    **terms,
                },
                version=household.version,
            )
            carers.visit_record(
                actor=elena,
                household=household,
                data={"visited_on": _days_ago(14), "kind": "psychological",
                      "visitor": "Психолог службы", "notes": "Семья справляется, тревог нет."},
            )  # fmt: skip
        if stage == Stage.ON_HOLD:
            household.refresh_from_db()
            carers.carer_move(
                actor=elena,
                household=household,
                to=Stage.ON_HOLD,
                version=household.version,
                note="Переезд семьи, пауза на три месяца.",
            )
    return len(CARERS)


def waiting_for_family_demo(users: dict[str, User], agencies: dict[str, Agency]) -> int:
    """Children of Vitebsk district for whom the commission decided on a foster family: the
    centre shares their records with the foster-care service under the family's consent."""
    anna, foster = users["anna"], agencies["BY-VI-FOSTER"]
    candidates = (
        Child.objects.filter(agency__code="BY-VI-SEC-VIT", placements__isnull=True)
        .filter(case__status=CaseStatus.COMPREHENSIVE_ASSESSMENT)
        .order_by("case_number")[:10]
    )
    for child in candidates:
        care.gatekeeping_record(
            actor=anna,
            child=child,
            agency=child.agency,
            data={
                "decided_on": _days_ago(5),
                "outcome": "place",
                "care_type": "foster",
                "necessity": "Мать в больнице, родственников рядом нет; помощь на дому не "
                "обеспечивает безопасность ребёнка.",
                "suitability": "Ребёнку нужна семья в своём районе, чтобы не менять школу.",
                "alternatives": "Родственники проверены: бабушка по состоянию здоровья не может.",
                "assessment_reference": "Комплексная оценка",
                "decision_maker": "Комиссия по делам несовершеннолетних",
                "legal_basis": "Кодекс о браке и семье, гл. 12",
            },
        )
        consent = cases.consent_record(
            actor=anna, child=child, kind="sharing", given_by=giver(child),
            given_on=_days_ago(5), agency=foster,
        )  # fmt: skip
        share_create(actor=anna, child=child, consent=consent)
    return len(candidates)
