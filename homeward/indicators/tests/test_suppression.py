"""Small cells are hidden, and no hidden cell can be worked out from the total and the rest."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.api.tests.test_api import Api
from homeward.indicators.suppression import cells_to_hide


def test_a_row_with_a_small_denominator_is_hidden_with_a_complementary_row():
    from homeward.indicators.suppression import rows_to_hide

    assert rows_to_hide([(10, 20), (3, 3), (8, 30)]) == {0, 1}
    assert rows_to_hide([(10, 20), (6, 6), (8, 30)]) == set()


def test_counts_of_one_to_four_are_hidden_with_a_complementary_cell():
    assert cells_to_hide([3, 10, 20]) == {0, 1}
    assert cells_to_hide([3, 4, 20]) == {0, 1}
    assert cells_to_hide([0, 10, 20]) == set()
    assert cells_to_hide([5, 6]) == set()


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_no_hidden_cell_is_recoverable_from_the_total(counts):
    hidden = cells_to_hide(counts)
    assert all(i in hidden for i, c in enumerate(counts) if 0 < c < 5)
    nonzero_hidden = [i for i in hidden if counts[i] > 0]
    # With the total published, one hidden non-zero cell would equal total minus the others.
    assert len(nonzero_hidden) != 1 or sum(1 for c in counts if c > 0) == 1


@pytest.mark.django_db
def test_analysts_get_suppressed_figures_and_supervisors_exact_ones(
    cast, register_child, put_placement
):
    district = cast.agency_a.area
    for index in range(3):
        child = register_child(given_name=f"Ребёнок{index}")
        put_placement(
            child=child,
            care_type="foster",
            provider_name="—",
            region=district.parent,
            district=district,
            start=datetime.date(2025, 3, 1),
            reason="test",
        )
    analyst = Api(cast.analyst).get("/indicators/FC4", date="2025-12-31").json()
    assert analyst["suppressed"] is True
    assert analyst["denominator"] == "<5"
    assert analyst["value"] is None
    exact = Api(cast.supervisor_a).get("/indicators/FC4", date="2025-12-31", by="sex").json()
    assert exact["denominator"] == 3
    assert exact["rows"] == [
        {"group": {"sex": "M"}, "numerator": 0, "denominator": 3, "value": 0.0, "extra": {}}
    ]
    bad = Api(cast.analyst).get("/indicators/FC4", by="shoe_size")
    assert bad.status_code == 422
    assert Api(cast.analyst).get("/indicators/XX").status_code == 422
    assert len(Api(cast.analyst).get("/indicators").json()) == 20  # 11 of DOMAIN §9, 9 more


@pytest.mark.django_db
def test_the_indicator_page_shows_a_chart_and_a_table(cast, register_child, put_placement):
    from conftest import login

    district = cast.agency_a.area
    for index in range(6):
        child = register_child(given_name=f"Ребёнок{index}", sex="F" if index % 2 else "M")
        put_placement(
            child=child,
            care_type="institution",
            provider_name="—",
            region=district.parent,
            district=district,
            start=datetime.date(2025, 3, 1),
            reason="test",
        )
    page = login(cast.analyst).get(
        "/indicators/", {"indicator": "FC4", "date": "2025-12-31", "by": "sex"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<table" in html
    assert "&lt;5" in html  # 3 and 3: both hidden for an analyst
    assert "Иван" not in html
    assert login(cast.case_manager_a).get("/indicators/").status_code == 403


@pytest.mark.django_db
def test_population_import_is_all_or_nothing(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from homeward.indicators.models import Population

    admin = Api(cast.admin)

    def upload(text: str, commit: bool):
        return admin.client.post(
            "/api/v1/population",
            {"file": SimpleUploadedFile("p.csv", text.encode()), "commit": commit},
            headers=admin.headers,
        ).json()

    bad = upload("location_code,year,children\nBY-VI,2025,190000\nXX,2025,1\nBY-HO,year,3\n", True)
    assert [e["line"] for e in bad["errors"]] == [3, 4]
    assert not Population.objects.exists()
    dry = upload("location_code,year,children\nBY-VI,2025,190000\n", False)
    assert dry["committed"] is False and not Population.objects.exists()
    done = upload("location_code,year,children\nBY-VI,2025,190000\nBY,2025,1500000\n", True)
    assert done["created"] == 2
    again = upload("location_code,year,children\nBY-VI,2025,191000\n", True)
    assert again["updated"] == 1
    assert Population.objects.get(location__code="BY-VI").children == 191000
    assert (
        Api(cast.analyst)
        .client.post("/api/v1/population", headers=Api(cast.analyst).headers)
        .status_code
        == 403
    )


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=60)),
        min_size=1,
        max_size=10,
    )
)
def test_no_hidden_row_is_recoverable_from_either_margin(rows):
    from homeward.indicators.suppression import rows_to_hide

    hidden = rows_to_hide(rows)
    assert all(i in hidden for i, (n, d) in enumerate(rows) if 0 < n < 5 or 0 < d < 5)
    nonzero_hidden = [i for i in hidden if rows[i][0] > 0 or rows[i][1] > 0]
    nonzero = [i for i, (n, d) in enumerate(rows) if n > 0 or d > 0]
    assert len(nonzero_hidden) != 1 or len(nonzero) == 1
