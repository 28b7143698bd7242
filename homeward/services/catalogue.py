"""The starting catalogue of service types: the prevention and family support services of
DOMAIN §7, named in English, Russian, Belarusian and Bulgarian. Administrators edit them
afterwards; loading again adds what is missing and changes nothing else."""

from __future__ import annotations

from typing import Any

from django.conf import settings

# code, English, Russian, Belarusian, Bulgarian, answer within (working days; None: default)
SERVICE_TYPES: list[tuple[str, str, str, str, str, int | None]] = [
    (
        "maternity_abandonment_prevention",
        "Prevention of abandonment in maternity wards",
        "Профилактика отказов от новорождённых в роддомах",
        "Прафілактыка адмоваў ад нованароджаных у радзільных дамах",
        "Превенция на изоставянето в родилните отделения",
        1,  # a newborn's family cannot wait three days
    ),
    (
        "early_intervention",
        "Early intervention for children 0–6 with developmental difficulties",
        "Ранняя помощь детям 0–6 лет с особенностями развития",
        "Ранняя дапамога дзецям 0–6 гадоў з асаблівасцямі развіцця",
        "Ранна интервенция за деца от 0 до 6 години с проблеми в развитието",
        None,
    ),
    (
        "parent_support_group",
        "Parent mutual-support group",
        "Группа взаимной поддержки родителей",
        "Група ўзаемнай падтрымкі бацькоў",
        "Група за взаимопомощ на родители",
        None,
    ),
    (
        "sos_parent",
        "“SOS parent” help",
        "Помощь «SOS-родитель»",
        "Дапамога «SOS-бацькі»",
        "Помощ „SOS родител“",
        None,
    ),
    (
        "family_planning",
        "Family planning",
        "Планирование семьи",
        "Планаванне сям'і",
        "Семейно планиране",
        None,
    ),
    (
        "respite_care",
        "Respite care (babysitting)",
        "Временный присмотр за ребёнком (передышка для семьи)",
        "Часовы догляд за дзіцём (перадышка для сям'і)",
        "Краткосрочна грижа (детегледачество)",
        None,
    ),
    ("day_care", "Day care", "Дневной уход", "Дзённы догляд", "Дневна грижа", None),
    (
        "psychological_counselling",
        "Psychological counselling",
        "Психологическое консультирование",
        "Псіхалагічнае кансультаванне",
        "Психологическо консултиране",
        None,
    ),
    (
        "social_counselling",
        "Social counselling",
        "Социальное консультирование",
        "Сацыяльнае кансультаванне",
        "Социално консултиране",
        None,
    ),
    (
        "legal_counselling",
        "Legal counselling",
        "Юридическое консультирование",
        "Юрыдычнае кансультаванне",
        "Правно консултиране",
        None,
    ),
    (
        "labour_counselling",
        "Labour counselling",
        "Консультирование по трудовым вопросам",
        "Кансультаванне па працоўных пытаннях",
        "Трудово консултиране",
        None,
    ),
    (
        "benefits_advice",
        "Advice on social benefits",
        "Консультации по социальным пособиям",
        "Кансультацыі па сацыяльных дапамогах",
        "Консултиране за социални помощи",
        None,
    ),
    (
        "employment_advice",
        "Help with finding a job",
        "Содействие в трудоустройстве",
        "Садзейнічанне ў працаўладкаванні",
        "Съдействие за намиране на работа",
        None,
    ),
    (
        "housing_advice",
        "Advice on housing",
        "Консультации по жилищным вопросам",
        "Кансультацыі па жыллёвых пытаннях",
        "Консултиране по жилищни въпроси",
        None,
    ),
]


def service_types_load(model: Any = None) -> int:
    """Create the missing service types; ``model`` is the migration's historical model."""
    from homeward.services.models import ServiceType

    target = model or ServiceType
    created = 0
    for code, en, ru, be, bg, days in SERVICE_TYPES:
        _obj, made = target.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_ru": ru,
                "name_be": be,
                "name_bg": bg,
                "response_working_days": days or settings.REFERRAL_RESPONSE_WORKING_DAYS,
            },
        )
        created += int(made)
    return created
