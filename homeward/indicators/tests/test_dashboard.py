"""The dashboards and the drill-down: numbers only for analysts, records within one's scope."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import login
from homeward.api.tests.test_api import Api
from homeward.geo.models import Location

pytestmark = pytest.mark.django_db

D = "2025-12-31"


@pytest.fixture
def data(cast, register_child, put_placement):
    """Agency A's district: 6 children in institution A and 2 in foster care; agency B's
    district in Gomel region: 3 children in an institution without a code."""

    def place(agency, count, care_type, institution=None, prefix="A"):
        district = agency.area
        made = []
        for index in range(count):
            child = register_child(agency=agency, given_name=f"{prefix}{care_type}{index}")
            put_placement(
                child=child,
                care_type=care_type,
                provider_name="—",
                institution=institution,
                region=district.parent,
                district=district,
                start=datetime.date(2025, 1, 15),
                reason="test",
            )
            made.append(child)
        return made

    return {
        "a_home": place(cast.agency_a, 6, "institution", cast.institution, "Альфа"),
        "a_foster": place(cast.agency_a, 2, "foster", prefix="Альфа"),
        "b_home": place(cast.agency_b, 3, "institution", prefix="Бета"),
    }


def page(user, **params):
    return login(user).get("/indicators/dashboard/", {"date": D, **params})


def test_a_supervisor_sees_exact_figures_with_links_to_the_records(cast, data):
    response = page(cast.supervisor_a, indicator="RES", by="institution", compare="region")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/indicators/dashboard/records/?" in html
    assert "<polyline" in html  # the time series
    assert html.count("<table") >= 3  # a table under every chart
    assert "Дом ребёнка A" in html  # the institution by its name
    assert "&lt;5" not in html
    assert '<td class="text-end">3</td>' in html  # Gomel region, exact


def test_an_analyst_sees_suppressed_numbers_and_no_links(cast, data):
    response = page(cast.analyst, indicator="RES", by="institution", compare="region")
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;5" in html
    assert "/records/" not in html
    drill = login(cast.analyst).get(
        "/indicators/dashboard/records/", {"indicator": "RES", "date": D}
    )
    assert drill.status_code == 403


def test_the_drill_down_lists_only_the_records_in_the_readers_scope(cast, data):
    supervisor = login(cast.supervisor_a)
    mine = supervisor.get(
        "/indicators/dashboard/records/",
        {"indicator": "RES", "date": D, "g_institution": "INST-A"},
    ).content.decode()
    assert "Альфаinstitution0" in mine
    assert "Альфаfoster0" not in mine  # not in residential care
    assert "Бета" not in mine
    # Gomel region's figure counts agency B's children: none of them is listed
    gomel = supervisor.get(
        "/indicators/dashboard/records/",
        {"indicator": "RES", "date": D, "area": "BY-HO"},
    )
    assert gomel.status_code == 200
    assert "Бета" not in gomel.content.decode()
    # the case manager of agency B sees their own children there, but has no dashboards
    assert login(cast.case_manager_b).get("/indicators/dashboard/").status_code == 403
    bad = supervisor.get("/indicators/dashboard/records/", {"indicator": "XX", "date": D})
    assert bad.status_code == 400


def test_the_institution_level_and_other_levels(cast, data):
    html = page(cast.supervisor_a, institution="INST-A", indicator="CASELOAD").content.decode()
    assert "Дом ребёнка A" in html
    assert '<div class="small text-muted">CASELOAD</div>' not in html  # not for one institution
    assert '<div class="small text-muted">RES</div>' in html
    region = page(cast.supervisor_a, area="BY-VI", indicator="RES", compare="district")
    assert region.status_code == 200
    district = Location.objects.get(pk=cast.agency_a.area.pk)
    assert district.display_name in region.content.decode()
    for ident in [
        "RESCHG",
        "MOVED",
        "REINT",
        "BREAK",
        "ASSESS",
        "REFT",
        "REFOT",
        "CASELOAD",
        "FC2",
        "TTP",
    ]:
        assert page(cast.supervisor_a, indicator=ident, months=24).status_code == 200, ident


def test_the_dashboard_does_not_query_per_row(cast, data, register_child, put_placement):
    client = login(cast.supervisor_a)
    params = {"date": D, "indicator": "RES", "by": "sex", "compare": "region"}
    client.get("/indicators/dashboard/", params)  # the session's first request

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/indicators/dashboard/", params)
        assert response.status_code == 200
        return len(captured)

    before = queries()
    more = register_child(given_name="Ещё", sex="F")
    put_placement(
        child=more,
        care_type="small_group_home",
        provider_name="—",
        region=cast.agency_a.area.parent,
        district=cast.agency_a.area,
        start=datetime.date(2025, 2, 1),
        reason="test",
    )
    assert queries() == before
    assert before < 120, before


def test_the_series_api(cast, data):
    supervisor = Api(cast.supervisor_a)
    body = supervisor.get("/indicators/RES/series", to=D, months=3).json()
    assert [p["date"] for p in body["points"]] == ["2025-10-31", "2025-11-30", D]
    assert [p["numerator"] for p in body["points"]] == [9, 9, 9]
    ranged = supervisor.get("/indicators/res/series", **{"from": "2025-01-01", "to": D}).json()
    assert len(ranged["points"]) == 12
    assert ranged["points"][0]["numerator"] == 9  # 31 January
    gomel = Api(cast.analyst).get("/indicators/RES/series", to=D, months=1, area="BY-HO").json()
    assert gomel["suppressed"] is True
    assert gomel["points"][0]["numerator"] == "<5"
    one = supervisor.get("/indicators/RES/series", to=D, months=1, institution="INST-A").json()
    assert one["points"][0]["numerator"] == 6
    assert (
        supervisor.get("/indicators/RES/series", **{"from": D, "to": "2025-01-01"}).status_code
        == 422
    )
    assert supervisor.get("/indicators/CASELOAD/series", institution="INST-A").status_code == 422
    assert supervisor.get("/indicators/RES/series", institution="NOPE").status_code == 422
    assert supervisor.get("/indicators/RES/series", months=500).status_code == 422
    assert Api(cast.case_manager_a).get("/indicators/RES/series").status_code == 403


def test_the_indicator_api_serves_the_operational_indicators(cast, data):
    api = Api(cast.supervisor_a)
    change = api.get("/indicators/RESCHG", date=D, baseline="2025-01-14", by="institution").json()
    assert (change["numerator"], change["denominator"], change["value"]) == (9, 0, None)
    assert change["extra"] == {"baseline": "2025-01-14", "change": 9}
    res = api.get("/indicators/RES", date=D, by="region,institution").json()
    assert res["numerator"] == 9
    assert {(tuple(r["group"].values()), r["numerator"]) for r in res["rows"]} == {
        (("BY-HO", None), 3),
        (("BY-VI", "INST-A"), 6),
    }
    analyst = Api(cast.analyst).get("/indicators/RES", date=D, by="region").json()
    assert [r["numerator"] for r in analyst["rows"]] == ["<5", 6] or [
        r["numerator"] for r in analyst["rows"]
    ] == ["<5", "<5"]
    assert api.get("/indicators/CASELOAD", by="service_type").status_code == 422
    listing = api.get("/indicators").json()
    assert {"RES", "RESCHG", "CASELOAD"} <= {i["id"] for i in listing}


@pytest.mark.parametrize("language", ["ru", "bg"])
def test_chart_coordinates_keep_a_decimal_point_in_languages_with_a_decimal_comma(
    cast, data, language
):
    import re

    client = login(cast.supervisor_a)
    client.cookies["django_language"] = language
    html = client.get(
        "/indicators/dashboard/", {"date": D, "indicator": "RES", "by": "institution"}
    ).content.decode()
    assert f'lang="{language}"' in html
    svg = "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    assert "<polyline" in svg
    assert not re.search(r' (?:x|y|x1|x2|y1|y2|cx|cy|width|height|viewBox)="[^"]*\d,\d', svg)
    number = r"\d+(?:\.\d+)?"
    for points in re.findall(r'points="([^"]*)"', svg):
        assert re.fullmatch(rf"{number},{number}(?: {number},{number})*", points.strip()), points
