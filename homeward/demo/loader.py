"""A realistic demo: Vitebsk and Gomel regions (Belarus) and Ruse province (Bulgaria).

Everything goes through the same actions people use, so the demo data obeys every rule the
application enforces. Loading twice creates nothing new.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from homeward.access.roles import Role
from homeward.accounts.models import Agency, AgencyKind, Membership, Team, User, WorkingGroup
from homeward.assessments.loader import assessments_load
from homeward.care import actions as care
from homeward.cases import actions as cases
from homeward.cases.models import Case, CaseStatus
from homeward.demo import names as n
from homeward.demo import support
from homeward.geo.models import Location
from homeward.indicators.models import Population
from homeward.institutions.actions import institution_create
from homeward.institutions.models import Institution
from homeward.plans import actions as plans
from homeward.registry import actions as registry
from homeward.registry.models import Child

PASSWORD = "homeward-demo"

# code, name, Latin name, kind, area, parent code
AGENCIES = [
    ("BY-MOE", "Министерство образования Республики Беларусь", "Ministry of Education of Belarus", AgencyKind.MINISTRY, "BY", None),
    ("BY-VI-EDU", "Главное управление по образованию Витебского облисполкома", "Vitebsk Regional Education Department", AgencyKind.REGIONAL_BODY, "BY-VI", "BY-MOE"),
    ("BY-VI-SEC-VIT", "Социально-педагогический центр Витебского района", "Vitebsk District Social Educational Centre", AgencyKind.SOCIAL_EDUCATIONAL_CENTRE, "BY-VI-21", "BY-VI-EDU"),
    ("BY-VI-SEC-POL", "Социально-педагогический центр Полоцкого района", "Polotsk District Social Educational Centre", AgencyKind.SOCIAL_EDUCATIONAL_CENTRE, "BY-VI-12", "BY-VI-EDU"),
    ("BY-VI-FOSTER", "Служба замещающих семей Витебской области", "Vitebsk Regional Foster Care Service", AgencyKind.SERVICE_PROVIDER, "BY-VI", "BY-VI-EDU"),
    ("BY-HO-EDU", "Главное управление образования Гомельского облисполкома", "Gomel Regional Education Department", AgencyKind.REGIONAL_BODY, "BY-HO", "BY-MOE"),
    ("BY-HO-SEC-GOM", "Социально-педагогический центр Гомельского района", "Gomel District Social Educational Centre", AgencyKind.SOCIAL_EDUCATIONAL_CENTRE, "BY-HO-05", "BY-HO-EDU"),
    ("BY-VI-NGO", "Общественное объединение «Семейная опора»", "Family Support Association", AgencyKind.NGO, "BY-VI-21", None),
    ("BG-ASA", "Агенция за социално подпомагане", "Agency for Social Assistance", AgencyKind.MINISTRY, "BG", None),
    ("BG-18-RDSA", "Регионална дирекция за социално подпомагане – Русе", "Regional Directorate for Social Assistance Ruse", AgencyKind.REGIONAL_BODY, "BG-18", "BG-ASA"),
    ("BG-18-CPD", "Отдел „Закрила на детето“ – Русе", "Child Protection Department Ruse", AgencyKind.CHILD_PROTECTION_DEPARTMENT, "BG-18-05", "BG-18-RDSA"),
    ("BG-18-EQ", "Сдружение „Еквилибриум“", "Equilibrium Association", AgencyKind.NGO, "BG-18-05", None),
]  # fmt: skip

# username, first, last, agency, role, team, institution code
USERS = [
    ("admin", "Администратор", "Системы", "BY-MOE", Role.SYSTEM_ADMIN, None, None),
    ("anna", "Анна", "Ковалёва", "BY-VI-SEC-VIT", Role.CASE_MANAGER, "Команда 1", None),
    ("boris", "Борис", "Лукашевич", "BY-VI-SEC-VIT", Role.SUPERVISOR, "Команда 1", None),
    ("oleg", "Олег", "Станкевич", "BY-VI-SEC-POL", Role.CASE_MANAGER, None, None),
    ("vera", "Вера", "Мельник", "BY-HO-SEC-GOM", Role.CASE_MANAGER, None, None),
    ("galina", "Галина", "Жук", "BY-VI-SEC-VIT", Role.WORKING_GROUP_MEMBER, None, None),
    ("dina", "Дина", "Радкевич", "BY-MOE", Role.ANALYST, None, None),
    ("elena", "Елена", "Климович", "BY-VI-FOSTER", Role.FOSTER_CARE_WORKER, None, None),
    ("ivan", "Иван", "Сенкевич", "BY-VI-EDU", Role.INSTITUTION_STAFF, None, "BY-VI-DR-01"),
    ("petya", "Петя", "Колева", "BG-18-CPD", Role.CASE_MANAGER, None, None),
    ("nina", "Нина", "Савчук", "BY-VI-NGO", Role.WORKING_GROUP_MEMBER, None, None),
]

# code, name, Latin, kind, operating agency, locality, capacity
INSTITUTIONS = [
    ("BY-VI-DR-01", "Витебский областной дом ребёнка", "Vitebsk Regional Infant Home", "infant_home", "BY-VI-EDU", "BY-VI-21-001", 60),
    ("BY-VI-BS-02", "Полоцкая вспомогательная школа-интернат", "Polotsk Auxiliary Boarding School", "boarding_school", "BY-VI-EDU", "BY-VI-12-001", 120),
    ("BY-VI-DD-03", "Новополоцкий детский дом", "Novopolotsk Children's Home", "childrens_home", "BY-VI-EDU", "BY-VI-12-002", 45),
    ("BY-HO-DD-01", "Гомельский областной детский дом", "Gomel Regional Children's Home", "childrens_home", "BY-HO-EDU", "BY-HO-05-001", 150),
    ("BY-HO-DI-02", "Жлобинский дом-интернат для детей-инвалидов", "Zhlobin Home for Children with Disabilities", "disability_home", "BY-HO-EDU", "BY-HO-21-001", 90),
    ("BG-18-CNST-01", "Център за настаняване от семеен тип „Слънце“", "Family-type Placement Centre Slantse", "small_group_home", "BG-18-RDSA", "BG-18-05-001", 14),
    ("BG-18-DD-02", "Дом за деца „Родина“", "Rodina Children's Home", "childrens_home", "BG-18-RDSA", "BG-18-05-002", 40),
]  # fmt: skip

# Children aged 0–17 by area for the current year, for the indicator rates.
POPULATION = {"BY": 1_840_000, "BY-VI": 203_000, "BY-HO": 279_000, "BG": 1_160_000, "BG-18": 33_000}

# registering case manager, agency, districts (with a weight), share of children
AREAS = [
    ("anna", "BY-VI-SEC-VIT", ["BY-VI-21"], "BY", 0.30),
    ("oleg", "BY-VI-SEC-POL", ["BY-VI-12", "BY-VI-11", "BY-VI-06"], "BY", 0.15),
    ("vera", "BY-HO-SEC-GOM", ["BY-HO-05", "BY-HO-21", "BY-HO-11", "BY-HO-15"], "BY", 0.33),
    ("petya", "BG-18-CPD", ["BG-18-05", "BG-18-02", "BG-18-08"], "BG", 0.22),
]

SCHOOLS_BY = ["ГУО «Средняя школа № {n} г. {town}»", "ГУО «Гимназия № {n} г. {town}»"]
SCHOOLS_BG = [
    "ОУ „Христо Ботев“ – {town}",
    "СУ „Васил Левски“ – {town}",
    "ОУ „Иван Вазов“ – {town}",
]
STREETS_BY = [
    "ул. Ленина",
    "ул. Советская",
    "ул. Гагарина",
    "ул. Мира",
    "пр-т Строителей",
    "ул. Лесная",
]
STREETS_BG = ["ул. „Александровска“", "бул. „Липник“", "ул. „Борисова“", "ул. „Плиска“"]


@dataclass
class Counts:
    children: int = 0
    households: int = 0
    relatives: int = 0
    placements: int = 0
    skipped: bool = False


def _agencies() -> dict[str, Agency]:
    from homeward.accounts.actions import agency_save

    found: dict[str, Agency] = {}
    for code, name, latin, kind, area, parent in AGENCIES:
        agency = Agency.objects.filter(code=code).first() or Agency(code=code)
        agency.name, agency.name_latin, agency.kind = name, latin, kind
        agency.area = Location.objects.get(code=area)
        agency.parent = found.get(parent) if parent else None
        system = User.objects.filter(username="admin").first()
        found[code] = agency_save(actor=system, agency=agency) if system else _save_plain(agency)
    return found


def _save_plain(agency: Agency) -> Agency:
    agency.path = f"{agency.parent.path}/{agency.code}" if agency.parent else agency.code
    agency.full_clean()
    agency.save()
    return agency


def _institutions(agencies: dict[str, Agency], actor: User) -> dict[str, Institution]:
    found: dict[str, Institution] = {}
    for code, name, latin, kind, agency, place, capacity in INSTITUTIONS:
        existing = Institution.objects.filter(code=code).first()
        found[code] = existing or institution_create(
            actor=actor,
            data={
                "code": code,
                "name": name,
                "name_latin": latin,
                "kind": kind,
                "agency": agencies[agency],
                "location": Location.objects.get(code=place),
                "capacity": capacity,
            },
        )
    return found


def _users(agencies: dict[str, Agency], institutions: dict[str, Institution]) -> dict[str, User]:
    found: dict[str, User] = {}
    for username, first, last, agency_code, role, team_name, institution in USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.homeward.invalid"
        user.is_staff = user.is_superuser = username == "admin"
        user.set_password(PASSWORD)
        user.save()
        agency = agencies[agency_code]
        team = Team.objects.get_or_create(agency=agency, name=team_name)[0] if team_name else None
        Membership.objects.update_or_create(
            user=user,
            agency=agency,
            role=role,
            defaults={"team": team, "institution": institutions.get(institution or "")},
        )
        found[username] = user
    return found


class Builder:
    """Registers the demo's children, families, cases and placements through the actions."""

    def __init__(self, users: dict[str, User], agencies: dict[str, Agency],
                 institutions: dict[str, Institution], rng: random.Random) -> None:  # fmt: skip
        self.users, self.agencies, self.institutions, self.rng = users, agencies, institutions, rng
        self.today = timezone.localdate()
        self.counts = Counts()
        self.places: dict[str, list[Location]] = {}

    def places_in(self, district: str) -> list[Location]:
        if district not in self.places:
            self.places[district] = list(Location.objects.filter(parent__code=district)) or [
                Location.objects.get(code=district)
            ]
        return self.places[district]

    def family(self, country: str) -> tuple[str, Callable[[bool], str], Callable[[bool], str]]:
        """A family name, and pickers of given names and patronymics for its children."""
        rng = self.rng
        if country == "BG":
            family = rng.choice(n.BG_FAMILY)
            father = rng.choice(n.BG_FATHERS)
            return (
                family,
                lambda girl: rng.choice(n.BG_GIRLS if girl else n.BG_BOYS),
                lambda girl: n.patronymic(father, girl, bulgarian=True),
            )
        belarusian = rng.random() < 0.15
        family = rng.choice(n.BE_FAMILY if belarusian else n.RU_FAMILY + n.UNCHANGED)
        father = rng.choice(n.RU_FATHERS)
        return (
            family,
            lambda girl: rng.choice(
                (n.BE_GIRLS if girl else n.BE_BOYS)
                if belarusian
                else (n.RU_GIRLS if girl else n.RU_BOYS)
            ),
            lambda girl: n.patronymic(father, girl),
        )

    def birth(self, lowest: int = 0, highest: int = 17) -> datetime.date:
        age_days = self.rng.randint(lowest * 365 + 30, highest * 365 + 300)
        return self.today - datetime.timedelta(days=age_days)

    def household(self, manager: str, agency_code: str, districts: list[str], country: str) -> None:
        rng = self.rng
        actor, agency = self.users[manager], self.agencies[agency_code]
        district = rng.choice(districts)
        place = rng.choice(self.places_in(district))
        family, given, middle = self.family(country)
        streets = STREETS_BG if country == "BG" else STREETS_BY
        address = f"{rng.choice(streets)}, {rng.randint(1, 90)}"
        if country == "BY" and rng.random() < 0.6:
            address += f", кв. {rng.randint(1, 120)}"
        household = registry.household_create(
            actor=actor,
            agency=agency,
            data={
                "name": f"{n.feminine(family)} / {family}" if False else family,
                "address": address,
                "location": place,
            },
        )
        del streets
        self.counts.households += 1
        children = []
        for _ in range(rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0]):
            girl = rng.random() < 0.48
            born = self.birth()
            disability = rng.random() < 0.15
            domains = (
                rng.sample(
                    [
                        "seeing",
                        "hearing",
                        "mobility",
                        "communication",
                        "learning",
                        "self_care",
                        "behaviour",
                    ],
                    rng.randint(1, 3),
                )
                if disability
                else []
            )
            school = ""
            if (self.today - born).days > 6.5 * 365:
                town = place.name_ru or place.name_local
                school = rng.choice(SCHOOLS_BG if country == "BG" else SCHOOLS_BY).format(
                    n=rng.randint(1, 40), town=town
                )
            child = registry.child_register(
                actor=actor,
                agency=agency,
                data={
                    "family_name": n.feminine(family) if girl else family,
                    "given_name": given(girl),
                    "patronymic": middle(girl),
                    "sex": "F" if girl else "M",
                    "date_of_birth": born,
                    "date_of_birth_estimated": rng.random() < 0.04,
                    "has_disability": disability,
                    "disability_domains": domains,
                    "legal_status": rng.choices(
                        [
                            "unknown",
                            "parental_rights_deprived",
                            "orphan",
                            "temporary_placement_by_parents",
                            "parental_rights_restricted",
                        ],
                        weights=[55, 18, 7, 12, 8],
                    )[0],
                    "home_location": place,
                    "school_name": school,
                    "school_location": place if school else None,
                    "household": household,
                },
            )
            children.append(child)
            self.counts.children += 1
        for older, younger in itertools.pairwise(children):
            registry.relationship_add(
                actor=actor, child=older, kind="sibling", related_child=younger
            )
            registry.relationship_add(
                actor=actor, child=younger, kind="sibling", related_child=older
            )
        self.parents(actor, children, family, country)
        self.care(actor, agency, children, district)

    def parents(self, actor: User, children: list[Child], family: str, country: str) -> None:
        rng = self.rng
        bg = country == "BG"
        adults = [
            ("mother", "F", n.feminine(family), rng.choice(n.BG_MOTHERS if bg else n.RU_MOTHERS))
        ]
        if rng.random() < 0.6:
            adults.append(("father", "M", family, rng.choice(n.BG_FATHERS if bg else n.RU_FATHERS)))
        if rng.random() < 0.25:
            adults.append(
                (
                    "grandparent",
                    "F",
                    n.feminine(family),
                    rng.choice(n.BG_MOTHERS if bg else n.RU_MOTHERS),
                )
            )
        first = children[0]
        for kind, sex, surname, given in adults:
            years = 60 if kind == "grandparent" else rng.randint(24, 45)
            relationship = registry.child_relative_register(
                actor=actor,
                child=first,
                kind=kind,
                lives_with_child=kind != "father" or rng.random() < 0.5,
                person_data={
                    "family_name": surname,
                    "given_name": given,
                    "sex": sex,
                    "date_of_birth": self.today
                    - datetime.timedelta(days=years * 365 + rng.randint(0, 300)),
                    "phone": f"+375 29 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
                    if not bg
                    else f"+359 88 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                },
            )
            for sibling in children[1:]:
                registry.relationship_add(
                    actor=actor, child=sibling, kind=kind, person=relationship.person
                )
            self.counts.relatives += 1

    def care(self, actor: User, agency: Agency, children: list[Child], district_code: str) -> None:
        """About a third of the children are or were in formal care."""
        rng = self.rng
        if rng.random() > 0.38:
            self.casework(actor, children)
            return
        region = district_code[:5]
        homes = [
            i
            for i in self.institutions.values()
            if i.location.path.startswith(f"{region[:2]}/{region}")
        ]
        district = Location.objects.get(code=district_code)
        for child in children:
            age_days = (self.today - child.date_of_birth).days
            start = self.today - datetime.timedelta(
                days=rng.randint(20, min(age_days - 10, 3 * 365))
            )
            care.gatekeeping_record(
                actor=actor,
                child=child,
                agency=agency,
                data={
                    "decided_on": start - datetime.timedelta(days=rng.randint(0, 12)),
                    "outcome": "place",
                    "care_type": "institution",
                    "necessity": "Семья не обеспечивала безопасность ребёнка; помощь семье не дала результата.",
                    "suitability": "Временное размещение до подбора замещающей семьи.",
                    "alternatives": "Родственники отказались; приёмной семьи в районе нет.",
                    "assessment_reference": "Комплексная оценка",
                    "decision_maker": "Комиссия по делам несовершеннолетних",
                    "legal_basis": "Кодекс о браке и семье, гл. 12",
                },
            )
            if homes and rng.random() < 0.75 and (age_days > 3 * 365 or rng.random() < 0.3):
                home = rng.choice(homes)
                kind = "small_group_home" if home.kind == "small_group_home" else "institution"
                placement = care.placement_start(
                    actor=actor,
                    child=child,
                    care_type=kind,
                    start=start,
                    district=district,
                    institution=home,
                    reason="Угроза жизни и здоровью ребёнка",
                )
            else:
                kind = rng.choice(["kinship", "foster", "foster_professional", "guardianship"])
                placement = care.placement_start(
                    actor=actor,
                    child=child,
                    care_type=kind,
                    start=start,
                    district=district,
                    provider_name=f"Семья {rng.choice(n.RU_FAMILY)}ых",
                    reason="Родители лишены родительских прав",
                )
            self.counts.placements += 1
            days_in_care = (self.today - start).days
            if days_in_care > 95 and rng.random() < 0.88:
                # most placements had their last quarterly review lately; a few are overdue
                care.placement_review(
                    actor=actor,
                    placement=placement,
                    reviewed_on=self.today - datetime.timedelta(days=rng.randint(1, 85)),
                    notes="Ребёнок адаптировался, посещает школу; контакты с семьёй поддерживаются.",
                )
            if rng.random() < 0.3 and days_in_care > 60:
                end = start + datetime.timedelta(
                    days=rng.randint(30, (self.today - start).days - 1)
                )
                care.placement_end(
                    actor=actor,
                    placement=placement,
                    end=end,
                    exit_destination=rng.choice(["reunified", "reunified", "adopted", "other"]),
                )

    def finish(self, actor: User, supervisor: User, case: Case) -> Case:
        """Some cases come to a review, some are closed with the supervisor's approval."""
        case = cases.case_move(actor=actor, case=case, to=CaseStatus.REVIEW, version=case.version)
        if self.rng.random() < 0.5:
            case = cases.case_request_closure(
                actor=actor,
                case=case,
                reason="Цели плана достигнуты, риск снижен",
                version=case.version,
            )
            case = cases.case_decide_closure(
                actor=supervisor, case=case, approve=True, version=case.version
            )
        return case

    def casework(self, actor: User, children: list[Child]) -> None:
        """Cases at every step of the six, for the families kept at home."""
        rng = self.rng
        case = children[0].case
        steps = rng.choices([0, 1, 2, 3, 4, 5], weights=[20, 20, 15, 15, 20, 10])[0]
        case = cases.case_set_risk(
            actor=actor,
            case=case,
            risk_level=rng.choice(["high", "medium", "low", "low"]),
            version=case.version,
        )
        path = [
            CaseStatus.INITIAL_ASSESSMENT,
            CaseStatus.COMPREHENSIVE_ASSESSMENT,
            CaseStatus.CASE_PLANNING,
        ]
        for step in path[: min(steps, 3)]:
            case = cases.case_move(actor=actor, case=case, to=step, version=case.version)
        closing: User | None = None
        if steps >= 3:
            plan = plans.plan_create(
                actor=actor,
                case=case,
                starts_on=self.today - datetime.timedelta(days=rng.randint(5, 60)),
            )
            plans.goal_add(
                actor=actor, plan=plan, version=plan.version, domain="family",
                text="Родители восстанавливают навыки ухода за ребёнком",
                action_text="Посещение группы поддержки родителей", responsible="Социальный педагог",
                agency=None, due_on=self.today + datetime.timedelta(days=rng.randint(20, 120)),
            )  # fmt: skip
            plan.refresh_from_db()
            if steps >= 4 and case.supervisor is None and case.team_id:
                plan = plans.plan_submit(actor=actor, plan=plan, version=plan.version)
                supervisor = self.users.get("boris")
                if supervisor is not None and actor.username == "anna":
                    plans.plan_decide(
                        actor=supervisor, plan=plan, approve=True, version=plan.version
                    )
                    case.refresh_from_db()
                    case = cases.case_move(
                        actor=actor, case=case, to=CaseStatus.IMPLEMENTATION, version=case.version
                    )
                    closing = supervisor if steps == 5 else None
        if steps >= 2:
            cases.note_add(
                actor=actor, case=case, kind=rng.choice(["visit", "call", "meeting"]),
                happened_on=self.today - datetime.timedelta(days=rng.randint(1, 30)), participants="мать",
                text=rng.choice([
                    "Визит на дом: в квартире чисто, продукты есть, ребёнок посещает школу.",
                    "Звонок матери: записались к психологу, ждут приёма.",
                    "Встреча с классным руководителем: пропуски уроков сократились.",
                ]),
            )  # fmt: skip
        if closing is not None:
            self.finish(actor, closing, case)


def _shares(users: dict[str, User]) -> None:
    """Galina's working group sees a few Vitebsk children, under the family's consent."""
    from homeward.access.actions import share_create

    group, _created = WorkingGroup.objects.get_or_create(
        name="Межведомственная рабочая группа Витебского района",
        defaults={"area": Location.objects.get(code="BY-VI-21")},
    )
    group.members.add(users["galina"])
    anna = users["anna"]
    for child in Child.objects.filter(agency__code="BY-VI-SEC-VIT").order_by("case_number")[:8]:
        consent = cases.consent_record(
            actor=anna, child=child, kind="sharing",
            given_by=support.giver(child), given_on=timezone.localdate(), working_group=group,
        )  # fmt: skip
        share_create(actor=anna, child=child, consent=consent)


def _population() -> None:
    year = timezone.localdate().year
    for code, children in POPULATION.items():
        for y in (year - 1, year):
            Population.objects.update_or_create(
                location=Location.objects.get(code=code), year=y, defaults={"children": children}
            )


@transaction.atomic
def demo_load(*, children: int = 500, seed: int = 2026) -> Counts:
    agencies = _agencies()
    admin = User.objects.filter(username="admin").first() or User.objects.create(username="admin")
    assessments_load()
    institutions = _institutions(agencies, admin)
    users = _users(agencies, institutions)
    _population()
    if Child.objects.filter(agency__code__in=[a[0] for a in AGENCIES]).exists():
        return Counts(skipped=True)
    rng = random.Random(seed)
    builder = Builder(users, agencies, institutions, rng)
    for manager, agency, districts, country, share in AREAS:
        target = round(children * share)
        start = builder.counts.children
        while builder.counts.children - start < target:
            builder.household(manager, agency, districts, country)
    _shares(users)
    support.assessments_demo(users["anna"], rng)
    support.waiting_for_family_demo(users, agencies)
    support.referrals_demo(users, agencies)
    support.carers_demo(users, agencies)
    return builder.counts
