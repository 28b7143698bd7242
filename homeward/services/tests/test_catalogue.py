"""The service catalogue: search and filters, providers and service types managed by admins."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from conftest import login
from homeward.accounts.models import AgencyKind
from homeward.geo.models import Location
from homeward.services import actions
from homeward.services.catalogue import service_types_load
from homeward.services.models import Provider, ServiceType
from homeward.services.tests.factories import ProviderFactory, ServiceTypeFactory

pytestmark = pytest.mark.django_db


def test_the_starting_catalogue_names_every_service_in_four_languages(db):
    service_types_load()  # the migration loads it; again adds nothing
    assert service_types_load() == 0
    codes = set(ServiceType.objects.values_list("code", flat=True))
    assert {"early_intervention", "respite_care", "day_care", "sos_parent"} <= codes
    for service_type in ServiceType.objects.all():
        assert service_type.name_en and service_type.name_ru
        assert service_type.name_be and service_type.name_bg
        assert 1 <= service_type.response_working_days <= 60


def test_the_catalogue_searches_and_filters_by_service_and_area(cast, ngo):
    day_care = ServiceType.objects.get(code="day_care")
    gomel = ProviderFactory(
        agency=cast.agency_b,
        name="Дневной центр Гомель",
        area=cast.agency_b.area,
        under_state_social_order=False,
        service_types=[day_care],
    )
    for index in range(30):
        ProviderFactory(agency=ngo.agency, name=f"Филиал {index:02d}", service_types=[day_care])
    client = login(cast.analyst)  # reference data: every role sees the catalogue
    everything = client.get("/services/")
    assert everything.status_code == 200
    assert everything.context["page"].paginator.count == 32
    assert len(everything.context["page"].object_list) == 25
    by_type = client.get("/services/", {"service_type": "psychological_counselling"})
    assert [p.pk for p in by_type.context["page"].object_list] == [ngo.provider.pk]
    by_area = client.get("/services/", {"area": "BY-HO", "service_type": "day_care"})
    assert [p.pk for p in by_area.context["page"].object_list] == [gomel.pk]
    # a district inside Vitebsk region is served by the region-wide NGO
    in_district = client.get(
        "/services/", {"area": cast.agency_a.area.code, "service_type": "psychological_counselling"}
    )
    assert [p.pk for p in in_district.context["page"].object_list] == [ngo.provider.pk]
    search = client.get("/services/", {"q": "Гомель"})
    assert [p.pk for p in search.context["page"].object_list] == [gomel.pk]
    bad = client.get("/services/", {"area": "NOWHERE", "service_type": "nothing"})
    assert bad.status_code == 200
    assert "Unknown location code" in bad.content.decode()
    assert "Choose a service from the list" in bad.content.decode()
    assert bad.context["page"].paginator.count == 0
    fragment = client.get(
        "/services/",
        {"q": "Гомель"},
        headers={"HX-Request": "true", "HX-Target": "provider-results"},
    )
    assert "<html" not in fragment.content.decode()
    detail = client.get(f"/services/providers/{ngo.provider.uuid}/").content.decode()
    assert "Центр «Крепкая семья»" in detail and "+375 212 55-55-55" in detail


def test_only_service_managers_add_and_edit_providers(cast, ngo):
    form = {
        "agency": ngo.agency.code,
        "name": "Служба «Няня на час»",
        "service_types": ["respite_care", "day_care"],
        "area": "BY-VI",
        "capacity": "12",
        "phone": "+375 29 123-45-67",
        "email": "nanny@ngo.example",
        "under_state_social_order": "on",
        "is_active": "on",
    }
    assert login(cast.case_manager_a).post("/services/providers/new/", form).status_code == 403
    admin = login(cast.admin)
    bad = admin.post("/services/providers/new/", {**form, "phone": "call me", "service_types": []})
    assert bad.status_code == 422
    created = admin.post("/services/providers/new/", form)
    assert created.status_code == 302
    provider = Provider.objects.get(name="Служба «Няня на час»")
    assert sorted(provider.service_types.values_list("code", flat=True)) == [
        "day_care",
        "respite_care",
    ]
    edit = admin.get(f"/services/providers/{provider.uuid}/edit/")
    assert edit.status_code == 200
    saved = admin.post(
        f"/services/providers/{provider.uuid}/edit/",
        {**form, "capacity": "15", "version": provider.version},
    )
    assert saved.status_code == 302
    provider.refresh_from_db()
    assert provider.capacity == 15 and provider.version == 2
    stale = admin.post(
        f"/services/providers/{provider.uuid}/edit/", {**form, "capacity": "9", "version": 1}
    )
    assert stale.status_code == 422
    assert "Someone else changed this record" in stale.content.decode()


def test_a_provider_is_a_state_body_or_an_ngo_and_only_ngos_work_under_social_order(cast):
    service_types_load()
    psychology = ServiceType.objects.get(code="psychological_counselling")
    region = Location.objects.get(code="BY-VI")
    base = {"name": "Служба", "area": region, "under_state_social_order": True}
    with pytest.raises(ValidationError, match="Only an NGO or a service provider"):
        actions.provider_create(
            actor=cast.admin, data={**base, "agency": cast.agency_a}, service_types=[psychology]
        )
    institution_agency = cast.region_a
    institution_agency.kind = AgencyKind.INSTITUTION
    institution_agency.save()
    with pytest.raises(ValidationError, match="state body, an NGO"):
        actions.provider_create(
            actor=cast.admin,
            data={**base, "agency": institution_agency, "under_state_social_order": False},
            service_types=[psychology],
        )
    with pytest.raises(ValidationError, match="at least one service"):
        actions.provider_create(
            actor=cast.admin,
            data={**base, "agency": cast.agency_a, "under_state_social_order": False},
            service_types=[],
        )
    state = actions.provider_create(
        actor=cast.admin,
        data={**base, "agency": cast.agency_a, "under_state_social_order": False},
        service_types=[psychology],
    )
    assert state.pk and Provider.objects.count() == 1


def test_service_types_are_managed_by_their_code_which_never_changes(cast):
    admin = login(cast.admin)
    created = admin.post(
        "/services/types/new/",
        {
            "code": "mediation",
            "name_en": "Family mediation",
            "name_ru": "Семейная медиация",
            "name_be": "Сямейная медыяцыя",
            "name_bg": "Семейна медиация",
            "response_working_days": "5",
            "is_active": "on",
        },
    )
    assert created.status_code == 302
    mediation = ServiceType.objects.get(code="mediation")
    assert mediation.response_working_days == 5
    changed = admin.post(
        "/services/types/mediation/edit/",
        {
            "code": "other",
            "name_en": "Family mediation",
            "name_ru": "Семейная медиация",
            "name_be": "Сямейная медыяцыя",
            "name_bg": "Семейна медиация",
            "response_working_days": "2",
            "is_active": "on",
            "version": "1",
        },
    )
    assert changed.status_code == 302
    mediation.refresh_from_db()
    assert mediation.code == "mediation" and mediation.response_working_days == 2
    with pytest.raises(ValidationError, match="cannot be changed"):
        actions.service_type_update(
            actor=cast.admin, service_type=mediation, version=None, changes={"code": "x"}
        )
    listing = login(cast.case_manager_a).get("/services/types/")
    assert "Family mediation" in listing.content.decode()
    assert login(cast.case_manager_a).get("/services/types/new/").status_code == 403


def test_service_type_names_follow_the_language(db):
    from django.utils import translation

    service_type = ServiceTypeFactory(code="t1", name_en="Day care", name_bg="Дневна грижа")
    with translation.override("bg"):
        assert service_type.display_name == "Дневна грижа"
    with translation.override("en"):
        assert str(service_type) == "Day care"
    assert service_type.named_by(" DAY CARE ") and service_type.named_by("t1")
    assert not service_type.named_by("")
