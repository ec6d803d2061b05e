"""Small counts stay hidden on the allocation page, and so does every figure that would give them away: a
total of points beside a mean per resident gives the count (total / mean), and so do percentages."""

import re

import pytest
from django.urls import reverse

from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.matching.models import AllocationRun
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

COMPARISON_ROWS = [
    "Inwoners met een plek",
    "Totaal aantal punten (hoe goed het past)",
    "Gemiddelde punten per inwoner met een plek",
    "Gemiddelde afstand (km)",
]


def comparison(page: str) -> dict[str, list[str]]:
    """The two cells (best allocation, first come first served) of each row of the comparison table."""
    cells = {}
    for row in COMPARISON_ROWS:
        match = re.search(
            re.escape(row) + r"</th>" + r"<td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>", page.replace("&lt;", "<")
        )
        assert match, row
        cells[row] = [match[1].strip(), match[2].strip()]
    return cells


def run_allocation(pim, login_as, capture) -> tuple[AllocationRun, str]:
    client = login_as(pim)
    with capture(execute=True):
        client.post(reverse("matching:allocations"), {})
    run = AllocationRun.objects.get()
    assert run.status == AllocationRun.Status.DONE
    return run, client.get(reverse("matching:allocation", args=[run.pk])).content.decode()


def test_with_three_placed_no_total_mean_or_share_is_shown(
    pim, alice, apeldoorn, moestuin, login_as, django_capture_on_commit_callbacks
):
    moestuin.capacity = 5
    moestuin.save()
    ResidentFactory.create_batch(3, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    run, page = run_allocation(pim, login_as, django_capture_on_commit_callbacks)
    assert "<5 inwoners wachten op een plek" in page.replace("&lt;", "<")
    assert comparison(page) == {
        "Inwoners met een plek": ["<5", "<5"],
        "Totaal aantal punten (hoe goed het past)": ["—", "—"],
        "Gemiddelde punten per inwoner met een plek": ["—", "—"],
        "Gemiddelde afstand (km)": ["—", "—"],
    }
    assert "van de punten van de beste verdeling" not in page
    # What is stored is what may be shown (the API reads the same summary).
    for side in ("optimal", "fcfs"):
        assert run.summary[side] | {"placed": None} == dict.fromkeys(run.summary[side])
    assert run.summary["share_of_optimal"] is None and run.summary["pairs"] is None


def test_with_enough_placed_the_figures_are_shown(
    pim, alice, apeldoorn, moestuin, login_as, django_capture_on_commit_callbacks
):
    moestuin.capacity = 3
    moestuin.save()
    PlacementFactory(provider=moestuin.provider, title="Kringloop", capacity=3, funding="participatiewet")
    ResidentFactory.create_batch(6, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    run, page = run_allocation(pim, login_as, django_capture_on_commit_callbacks)
    cells = comparison(page)
    assert cells["Inwoners met een plek"] == ["6", "6"]
    for row in COMPARISON_ROWS[1:]:
        assert all(re.fullmatch(r"[\d.,]+", cell) for cell in cells[row]), (row, cells[row])
    assert run.summary["share_of_optimal"] is not None
    assert "van de punten van de beste verdeling" in page


def test_the_aggregates_are_only_for_the_programme_manager_of_the_municipality(
    pim, alice, charlie, apeldoorn, moestuin, login_as, django_capture_on_commit_callbacks
):
    ResidentFactory.create_batch(3, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    run, _page = run_allocation(pim, login_as, django_capture_on_commit_callbacks)
    assert login_as(charlie).get(reverse("matching:allocation", args=[run.pk])).status_code == 404
    own = login_as(alice).get(reverse("matching:allocation", args=[run.pk])).content.decode()
    assert "Totaal aantal punten" not in own


def test_a_run_stored_before_the_rule_hides_its_derived_figures_on_the_page(pim, apeldoorn, login_as):
    run = AllocationRun.objects.create(
        municipality=apeldoorn,
        started_by=pim,
        status=AllocationRun.Status.DONE,
        summary={
            "waiting": 12,
            "free_seats": 3,
            "pairs": 20,
            "optimal": {"placed": None, "total_fit": 171.0, "average_fit": 57.0, "average_km": 2.5},
            "fcfs": {"placed": None, "total_fit": 150.0, "average_fit": 50.0, "average_km": 3.0},
            "share_of_optimal": 87.7,
            "by_group": [],
            "by_district": [],
        },
    )
    page = login_as(pim).get(reverse("matching:allocation", args=[run.pk])).content.decode()
    assert comparison(page)["Totaal aantal punten (hoe goed het past)"] == ["—", "—"]
    assert comparison(page)["Gemiddelde punten per inwoner met een plek"] == ["—", "—"]
    # The figures are looked for as whole numbers in the text a reader sees: ids in links may hold
    # "57", and so may a clock time ("20:57") or a date beside the run.
    text = re.sub(r"<[^>]+>", " ", page)
    words = set(re.findall(r"(?<![\w:/-])(?<!\d[.,])\d+(?:[.,]\d+)?(?![\w:/-]|[.,]\d)", text))
    assert not words & {"171", "171,0", "57", "57,0", "87,7", "87.7"}
