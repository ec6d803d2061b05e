"""The provider's weekly attendance grid: one week, every placed resident a row, saved in one go."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.catalogue import actions, rules
from meedoen.catalogue.models import Attendance, ProviderStaff
from meedoen.catalogue.tests.conftest import act
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, SeatFactory

pytestmark = pytest.mark.django_db
GRID = reverse("catalogue:portal-attendance")


def last_complete_week() -> dt.date:
    return rules.monday_of(timezone.localdate()) - dt.timedelta(weeks=1)


def place(placement, municipality, family_name: str, caseworker):
    return SeatFactory(
        proposal__placement=placement,
        proposal__municipality=municipality,
        proposal__proposed_by=caseworker.user,
        proposal__start_date=timezone.localdate() - dt.timedelta(weeks=8),
        proposal__resident__given_names="Inwoner",
        proposal__resident__family_name=family_name,
    )


@pytest.fixture
def seventy(apeldoorn, groene_schakel, alice):
    """70 residents placed with paula's provider, over three placements, named Achternaam00…69."""
    placements = [PlacementFactory(provider=groene_schakel, capacity=30) for _ in range(3)]
    return [place(placements[i % 3], apeldoorn, f"Achternaam{i:02d}", alice) for i in range(70)]


def row_data(seat, *, days="", hours="", note="", seen="", change=False) -> dict[str, str]:
    data = {f"r-{seat.pk}-days_present": days, f"r-{seat.pk}-hours_present": hours, f"r-{seat.pk}-note": note}
    data[f"r-{seat.pk}-seen"] = seen
    if change:
        data[f"r-{seat.pk}-change"] = "on"
    return data


def page_data(seats, filled: dict[int, tuple[str, str]]) -> dict[str, str]:
    """The grid as posted: every row of ``seats``, with (days, hours) for the indexes in ``filled``."""
    data: dict[str, str] = {}
    for index, seat in enumerate(seats):
        days, hours = filled.get(index, ("", ""))
        data |= row_data(seat, days=days, hours=hours)
    return data


def seen_of(html: str, seat) -> str:
    """The hidden stamp of the saved week in a row (empty when the week was not reported)."""
    found = re.search(rf'name="r-{seat.pk}-seen"(?: value="([^"]*)")?', html)
    assert found, "the row has no stamp"
    return found.group(1) or ""


def names_on(html: str) -> list[str]:
    return re.findall(r"Inwoner (Achternaam\d\d)</a>", html)


def test_the_grid_opens_on_the_last_complete_week_with_25_residents_a_page(paula, seventy, login_as):
    html = login_as(paula).get(GRID).content.decode()
    week = last_complete_week()
    assert f'<option value="{week.isoformat()}" selected>' in html
    assert names_on(html) == [f"Achternaam{i:02d}" for i in range(25)]
    assert "70 inwoners geplaatst in deze week" in html and "Pagina 1 van 3" in html
    third = login_as(paula).get(GRID, {"pagina": "3"}).content.decode()
    assert names_on(third) == [f"Achternaam{i:02d}" for i in range(50, 70)]


def test_the_grid_searches_by_name(paula, seventy, login_as):
    html = login_as(paula).get(GRID, {"zoek": "achternaam07"}).content.decode()
    assert names_on(html) == ["Achternaam07"]
    assert "1 inwoner geplaatst in deze week" in html


def test_filling_half_the_grid_saves_those_rows_and_empty_rows_stay_not_reported(paula, seventy, login_as):
    client = login_as(paula)
    first_page = seventy[:25]
    filled = dict.fromkeys(range(0, 25, 2), ("2", "7,5"))  # 13 rows filled, 12 left empty
    response = client.post(GRID, page_data(first_page, filled), follow=True)

    week = last_complete_week()
    saved = {a.seat_id: a for a in Attendance.objects.filter(week=week)}
    assert set(saved) == {first_page[i].pk for i in filled}
    assert {(a.days_present, a.hours_present, a.recorded_by_id) for a in saved.values()} == {
        (2, Decimal("7.5"), paula.user_id)
    }
    assert "13 opgeslagen, 0 niet veranderd, 12 niet gemeld (lege rij)" in response.content.decode()
    # A row left empty is not reported, not reported as 0: the grid still says so.
    again = response.content.decode()
    assert again.count("Nog niet gemeld") == 12


def test_one_wrong_row_saves_no_row_and_the_error_is_at_that_rows_field(paula, seventy, login_as):
    client = login_as(paula)
    seats = seventy[:25]
    data = page_data(seats, {0: ("2", "8"), 1: ("1", "30"), 2: ("3", "")})
    html = client.post(GRID, data).content.decode()

    assert not Attendance.objects.exists()
    assert "Er is niets opgeslagen." in html
    assert re.search(
        rf'id="id_r-{seats[1].pk}-hours_present".*?Zoveel uren passen niet in de dagen die de inwoner er was',
        html,
        re.S,
    )
    assert re.search(rf'id="id_r-{seats[2].pk}-hours_present".*?Vul ook de uren in', html, re.S)
    assert f'name="r-{seats[0].pk}-days_present" value="2"' in html  # what was typed stays


def test_a_reported_week_shows_its_values_and_changing_it_needs_an_explicit_yes(paula, seventy, login_as):
    client = login_as(paula)
    seat = seventy[0]
    week = last_complete_week()
    actions.do_record_attendance(
        seat, week=week, days_present=3, hours_present=Decimal(12), note="", actor=act(paula)
    )
    html = client.get(GRID).content.decode()
    assert f'name="r-{seat.pk}-days_present" value="3"' in html
    assert "Gemeld: 3 dagen, 12,0 uur (Paula" in html
    seen = seen_of(html, seat)
    assert seen

    asked = client.post(GRID, row_data(seat, days="2", hours="8", seen=seen)).content.decode()
    assert re.search(r"Al gemeld op [\d-]+ [\d:]+ door Paula [^:]+: 3 dagen, 12,0 uur\. Wijzigen\?", asked)
    assert Attendance.objects.get().days_present == 3  # not overwritten

    same = client.post(GRID, row_data(seat, days="3", hours="12", seen=seen), follow=True)
    assert "0 opgeslagen, 1 niet veranderd" in same.content.decode()

    client.post(GRID, row_data(seat, days="2", hours="8", seen=seen, change=True))
    assert (Attendance.objects.get().days_present, Attendance.objects.get().hours_present) == (2, Decimal(8))


def test_a_week_someone_else_reported_after_the_grid_was_opened_is_a_clash(
    paula, apeldoorn, groene_schakel, seventy, login_as
):
    colleague = MembershipFactory(municipality=apeldoorn, role=Role.PROVIDER, user__first_name="Kees")
    ProviderStaff.objects.create(membership=colleague, provider=groene_schakel)
    client = login_as(paula)
    seat = seventy[0]
    html = client.get(GRID).content.decode()
    seen = seen_of(html, seat)
    assert seen == ""  # not reported when paula opened the grid

    actions.do_record_attendance(
        seat,
        week=last_complete_week(),
        days_present=4,
        hours_present=Decimal(16),
        note="",
        actor=act(colleague),
    )
    clash = client.post(GRID, row_data(seat, days="1", hours="4", seen=seen, change=True)).content.decode()
    assert "door Kees" in clash and "opgeslagen nadat u deze pagina opende" in clash
    assert Attendance.objects.get().days_present == 4

    # The grid now shows Kees's values; a deliberate change goes through.
    fresh = seen_of(clash, seat)
    client.post(GRID, row_data(seat, days="1", hours="4", seen=fresh, change=True))
    assert Attendance.objects.get().days_present == 1


def test_a_post_saves_only_rows_of_the_page_shown(paula, seventy, login_as):
    client = login_as(paula)
    data = row_data(seventy[30], days="1", hours="2") | row_data(seventy[0], days="1", hours="2")
    client.post(GRID + "?pagina=2", data)
    assert list(Attendance.objects.values_list("seat_id", flat=True)) == [seventy[30].pk]


@pytest.mark.parametrize("asked", ["next week", "2026-02-31", "geen datum"])
def test_a_week_that_has_not_started_or_is_no_date_shows_the_last_complete_week(
    asked, paula, seventy, login_as
):
    next_week = rules.monday_of(timezone.localdate()) + dt.timedelta(weeks=1)
    week = next_week.isoformat() if asked == "next week" else asked
    response = login_as(paula).get(GRID, {"week": week})
    assert response.status_code == 200
    assert f'<option value="{last_complete_week().isoformat()}" selected>' in response.content.decode()


# session, membership with user (and the id of their authenticator app), provider, count, the page of seats,
# their week, and the processing log (entry and subjects: one statement on PostgreSQL, two on SQLite): the
# same for 7 or 70 residents
def queries() -> int:
    return 6 + (1 if connection.vendor == "postgresql" else 2)


def test_the_grid_page_runs_a_fixed_number_of_queries_for_70_residents(
    paula, seventy, login_as, django_assert_num_queries
):
    client = login_as(paula)
    week = last_complete_week()
    for seat in seventy[:10]:
        actions.do_record_attendance(
            seat, week=week, days_present=2, hours_present=Decimal(8), note="", actor=act(paula)
        )
    with django_assert_num_queries(queries()):
        response = client.get(GRID)
    assert len(names_on(response.content.decode())) == 25


def test_residents_of_another_municipality_are_not_in_the_grid(
    paula, apeldoorn, epe, groene_schakel, alice, charlie, login_as
):
    ContractFactory(provider=groene_schakel, municipality=epe)
    placement = PlacementFactory(provider=groene_schakel, capacity=5)
    place(placement, apeldoorn, "Apeldoorner", alice)
    elsewhere = place(placement, epe, "Epenaar", charlie)
    client = login_as(paula)
    html = client.get(GRID).content.decode()
    assert "Apeldoorner" in html and "Epenaar" not in html
    client.post(GRID, row_data(elsewhere, days="1", hours="2"))
    assert not Attendance.objects.exists()
    # and the action itself refuses a seat of another municipality, whatever a screen sends it
    entry = actions.WeekEntry(seat=elsewhere, days_present=1, hours_present=Decimal(2))
    with pytest.raises(PermissionDenied):
        actions.do_record_week(last_complete_week(), [entry], actor=act(paula))
    assert not Attendance.objects.exists()


def test_other_roles_are_refused_the_grid(alice, charlie, login_as):
    assert login_as(alice).get(GRID).status_code == 403
    assert login_as(charlie).post(GRID, {}).status_code == 403


def test_the_single_resident_form_also_asks_before_changing_a_reported_week(paula, seventy, login_as):
    client = login_as(paula)
    seat = seventy[0]
    url = reverse("catalogue:portal-seat-attendance", args=[seat.pk])
    week = last_complete_week().isoformat()
    form = {"aanwezigheid-week": week}
    client.post(url, form | {"aanwezigheid-days_present": "3", "aanwezigheid-hours_present": "12"})
    asked = client.post(url, form | {"aanwezigheid-days_present": "1", "aanwezigheid-hours_present": "4"})
    assert "Wijzigen? Vink" in asked.content.decode()
    assert Attendance.objects.get().days_present == 3
    changed = client.post(
        url,
        form
        | {"aanwezigheid-days_present": "1", "aanwezigheid-hours_present": "4", "aanwezigheid-change": "on"},
    )
    assert changed.status_code == 302
    assert Attendance.objects.get().days_present == 1
