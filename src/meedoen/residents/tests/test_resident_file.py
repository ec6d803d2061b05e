"""The caseload and the resident file: who sees which residents, and which parts of a file."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meedoen.municipalities.tests.factories import DistrictFactory
from meedoen.residents.models import Plan, Profile
from meedoen.residents.tests.factories import LegalBasisFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_caseload_lists_own_residents_only(alice, apeldoorn, login_as):
    ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True, family_name="Eigenaar")
    ResidentFactory(municipality=apeldoorn, work=True, family_name="Collega")
    page = login_as(alice).get(reverse("residents:caseload")).content.decode()
    assert "Eigenaar" in page
    assert "Collega" not in page
    assert "1 inwoner gevonden" in page


def test_caseload_can_include_colleagues_in_the_same_domain(alice, apeldoorn, login_as):
    ResidentFactory(municipality=apeldoorn, work=True, family_name="Collega")
    ResidentFactory(municipality=apeldoorn, care=True, family_name="Zorgdomein")
    page = login_as(alice).get(reverse("residents:caseload"), {"alle": "1"}).content.decode()
    assert "Collega" in page
    assert "Zorgdomein" not in page  # a Wmo-only resident is not in the work domain


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("Zandbergen", True),
        ("zandb", True),
        ("Petra Zandbergen", True),
        ("17-05-1980", True),
        ("Jansen", False),
    ],
)
def test_search_by_name_or_date_of_birth(term, found, alice, apeldoorn, login_as):
    ResidentFactory(
        municipality=apeldoorn,
        caseworker_work=alice.user,
        work=True,
        family_name="Zandbergen",
        given_names="Petra",
    )
    page = login_as(alice).get(reverse("residents:caseload"), {"zoek": term}).content.decode()
    assert ("Zandbergen, Petra" in page) is found


def test_search_by_bsn(alice, apeldoorn, login_as):
    wanted = ResidentFactory(
        municipality=apeldoorn, caseworker_work=alice.user, work=True, family_name="Gezocht"
    )
    ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True, family_name="Anders")
    page = login_as(alice).get(reverse("residents:caseload"), {"zoek": wanted.bsn}).content.decode()
    assert "Gezocht" in page and "Anders" not in page


def test_htmx_search_returns_only_the_results(alice, apeldoorn, login_as):
    ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True, family_name="Zandbergen")
    response = login_as(alice).get(reverse("residents:caseload"), {"zoek": "Zand"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Zandbergen" in html
    assert "<html" not in html


def test_caseload_filters_narrow_the_list_and_show_what_was_chosen(alice, apeldoorn, login_as):
    centrum, zuid = DistrictFactory(municipality=apeldoorn), DistrictFactory(municipality=apeldoorn)
    mine = {"municipality": apeldoorn, "caseworker_work": alice.user}
    ResidentFactory(**mine, district=centrum, family_name="Centraal")
    ResidentFactory(**mine, district=zuid, family_name="Zuidelijk")
    query = {"wijk": str(zuid.pk), "stil": "8", "sorteer": "geboortedatum"}
    page = login_as(alice).get(reverse("residents:caseload"), query).content.decode()
    assert "Zuidelijk" in page
    assert "Centraal" not in page
    assert f'<option value="{zuid.pk}" selected>{zuid.name}</option>' in page
    assert f'<option value="{centrum.pk}">{centrum.name}</option>' in page
    assert '<option value="8" selected>8 weken</option>' in page
    assert '<option value="geboortedatum" selected>Geboortedatum</option>' in page
    assert '<option value="naam">Naam</option>' in page


def test_caseload_query_count_does_not_grow_with_the_page(alice, apeldoorn, login_as):
    client = login_as(alice)
    ResidentFactory.create_batch(2, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("residents:caseload"))
    ResidentFactory.create_batch(20, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("residents:caseload"))
    assert len(many) == len(few)
    assert len(many) <= 12


def test_work_caseworker_sees_work_basis_and_is_told_the_care_part_is_not_shared(alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, both=True)
    page = login_as(alice).get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Bijstandsuitkering" in page
    assert "Wmo: begeleiding" not in page
    assert "ook een deel onder de Wmo" in page


def test_care_caseworker_sees_care_basis_only(wendy, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_care=wendy.user, both=True)
    page = login_as(wendy).get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Wmo: begeleiding" in page
    assert "Bijstandsuitkering" not in page
    assert "ook een deel onder de Participatiewet" in page


def test_care_caseworker_cannot_open_a_work_only_file(wendy, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    assert login_as(wendy).get(reverse("residents:detail", args=[resident.pk])).status_code == 404


def test_an_ended_basis_no_longer_opens_the_file_to_the_domain(alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn)
    LegalBasisFactory(resident=resident, start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1))
    assert login_as(alice).get(reverse("residents:detail", args=[resident.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["paula", "pim", "ada", "fred", "rita"])
def test_roles_without_files_get_403(persona, request, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    client = login_as(request.getfixturevalue(persona))
    assert client.get(reverse("residents:detail", args=[resident.pk])).status_code == 403
    assert client.get(reverse("residents:caseload")).status_code == 403
    assert client.get(reverse("api:resident-detail", args=[resident.pk])).status_code == 403


def test_anonymous_visitors_go_to_the_login_page(apeldoorn, client):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    response = client.get(reverse("residents:detail", args=[resident.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_api_lists_the_caseload_with_own_domain_bases(alice, apeldoorn, login_as):
    ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, both=True, family_name="Beide")
    data = login_as(alice).get(reverse("api:resident-list")).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["family_name"] == "Beide"
    assert [basis["domain"] for basis in row["legal_bases"]] == ["participatiewet"]


def test_resident_page_query_count_does_not_grow_with_the_file(alice, apeldoorn, login_as):
    from django.utils import timezone

    from meedoen.residents.models import LadderScore, TimelineEvent

    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, both=True)
    client = login_as(alice)
    url = reverse("residents:detail", args=[resident.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(15):
        TimelineEvent.objects.create(
            resident=resident, kind="notitie", occurred_at=timezone.now(), text=f"n{i}", author=alice.user
        )
        LadderScore.objects.create(
            resident=resident, rung=3, scored_on=dt.date(2025, 1, 1 + i), rationale="r", scored_by=alice.user
        )
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == len(small)
    assert len(big) <= 18


def test_caseload_table_shows_each_cell_as_a_caseworker_reads_it(alice, apeldoorn, login_as):
    resident = ResidentFactory(
        municipality=apeldoorn,
        caseworker_work=alice.user,
        work=True,
        given_names="Anouk",
        name_prefix="van der",
        family_name="Berg",
        date_of_birth=dt.date(1979, 3, 4),
        district=apeldoorn.districts.get(name="De Maten"),
        last_activity_at=dt.datetime(2026, 2, 1, 23, 30, tzinfo=dt.UTC),  # 2 February in Apeldoorn
    )
    Plan.objects.create(resident=resident, review_on=dt.date(2026, 12, 1))
    ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, family_name="Leeg", district=None)

    page = login_as(alice).get(reverse("residents:caseload")).content.decode()
    url = reverse("residents:detail", args=[resident.pk])
    row = page[page.index(url) :].split("</tr>")[0]
    assert ">Berg, van der, Anouk</a>" in row
    assert [cell.split("</td>")[0] for cell in row.split('<td class="utrecht-table__cell">')[1:]] == [
        "04-03-1979",
        "De Maten",
        "Bijstandsuitkering (Participatiewet)",
        "01-12-2026",
        "02-02-2026",
    ]
    empty_row = page[page.index(">Leeg") :].split("</tr>")[0]
    # No district, no basis, no plan, no activity yet: a dash, not an empty cell.
    assert empty_row.count('<td class="utrecht-table__cell">—</td>') == 4


def test_caseload_pages_count_every_match_and_a_page_past_the_end_shows_the_last(alice, apeldoorn, login_as):
    for n in range(30):
        ResidentFactory(
            municipality=apeldoorn, caseworker_work=alice.user, work=True, family_name=f"Naam{n:02d}"
        )
    client = login_as(alice)
    second = client.get(reverse("residents:caseload"), {"pagina": "2"}).content.decode()
    assert "30 inwoners gevonden" in second
    assert "Pagina 2 van 2" in second
    assert "Naam25" in second and "Naam24" not in second
    with CaptureQueriesContext(connection) as queries:
        past = client.get(reverse("residents:caseload"), {"pagina": "9"}).content.decode()
    assert "Pagina 2 van 2" in past and "Naam29" in past
    assert any("COUNT(" in q["sql"] and "OVER" not in q["sql"] for q in queries.captured_queries)
    first = client.get(reverse("residents:caseload")).content.decode()
    assert "30 inwoners gevonden" in first and "Naam00" in first


def test_caseload_counts_with_the_page_not_with_a_second_query(alice, apeldoorn, login_as):
    ResidentFactory.create_batch(3, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    with CaptureQueriesContext(connection) as queries:
        page = login_as(alice).get(reverse("residents:caseload")).content.decode()
    assert "3 inwoners gevonden" in page
    assert not any(q["sql"].startswith("SELECT COUNT(") for q in queries.captured_queries)


def test_an_empty_search_still_says_so(alice, apeldoorn, login_as):
    page = login_as(alice).get(reverse("residents:caseload"), {"zoek": "Niemand"}).content.decode()
    assert "0 inwoners gevonden" in page and "Geen inwoners gevonden." in page


def _queries_for(client, url) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_caseload_and_the_file_read_the_same_number_of_times_however_much_they_show(
    alice, apeldoorn, login_as
):
    """No query per row: the caseload reads as often for 25 residents as for 2, and a file with a long
    history as often as a short one. The counts are pinned, so a new query shows up here."""
    from django.utils import timezone

    from meedoen.accounts.actor import Actor
    from meedoen.residents import actions

    # The processing log is one statement on PostgreSQL (a data-modifying WITH) and two on SQLite.
    log_statements = 1 if connection.vendor == "postgresql" else 2
    client = login_as(alice)
    mine = {"municipality": apeldoorn, "caseworker_work": alice.user, "work": True}
    quiet, busy = ResidentFactory.create_batch(2, **mine)
    caseload = reverse("residents:caseload")
    with_two = _queries_for(client, caseload)
    ResidentFactory.create_batch(23, **mine)
    assert _queries_for(client, caseload) == with_two == 6 + log_statements

    actor = Actor(alice.user, alice, "test")
    for resident in (quiet, busy):  # with a profile and a plan, so their interests and actions are read too
        Plan.objects.create(resident=resident)
        Profile.objects.create(resident=resident)
    for n in range(6):
        LegalBasisFactory(resident=busy, start_date=dt.date(2020, 1, 1 + n))
        actions.do_add_note(
            busy, kind="contact", text=f"Gesprek {n}", occurred_at=timezone.now(), domain_only=False,
            attachment=None, actor=actor,
        )  # fmt: skip
        actions.do_score_ladder(
            busy, rung=1 + n, scored_on=dt.date(2025, 1, 1 + n), rationale="Gesprek", actor=actor
        )
    busy_file = reverse("residents:detail", args=[busy.pk])
    quiet_file = reverse("residents:detail", args=[quiet.pk])
    # 12: the file also asks whether lines of the other domain are left out of the timeline, to say so, and
    # which arm of an experiment applies today (its banner).
    assert _queries_for(client, busy_file) == _queries_for(client, quiet_file) == 12 + log_statements
