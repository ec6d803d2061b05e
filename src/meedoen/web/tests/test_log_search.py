"""The privacy officer finds a resident in the processing log by BSN or name, sees who was concerned, who
acted and on which screen, pages through the result and exports it; all within their own municipality."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meedoen.accounts.actor import Actor
from meedoen.audit import log
from meedoen.audit.models import LogAction, ProcessingLogEntry, Purpose
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def _looked_at(membership, resident, endpoint="residents:detail"):
    log.record(Actor(membership.user, membership, endpoint), LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])


@pytest.fixture
def anouk(apeldoorn, alice):
    return ResidentFactory(
        municipality=apeldoorn,
        given_names="Anouk",
        family_name="Visser",
        bsn="111222333",
        caseworker_work=alice.user,
    )


@pytest.fixture
def bram(apeldoorn, alice):
    return ResidentFactory(
        municipality=apeldoorn,
        given_names="Bram",
        family_name="Visscher",
        bsn="123456782",
        caseworker_work=alice.user,
    )


def _page(client, **params) -> str:
    response = client.get(reverse("audit:log"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_fred_finds_a_resident_by_bsn_and_sees_who_what_and_where(fred, alice, anouk, bram, login_as):
    alice.user.first_name, alice.user.last_name = "Alice", "de Vries"
    alice.user.save()
    _looked_at(alice, anouk)
    _looked_at(alice, bram, "routes:route")

    page = _page(login_as(fred), inwoner="111 222 333")
    assert "1 verwerking" in page
    assert "Verwerkingen over Anouk Visser (BSN ******333)" in page
    assert "Alice de Vries" in page  # the user's name, not only an id
    assert "Dossier van inwoner" in page  # the screen in words
    assert "Bram" not in page and "Route" not in page.split("<table", 1)[1]


def test_a_bsn_without_its_leading_zero_is_found_too(fred, alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, given_names="Nina", family_name="Bos", bsn="012345672")
    _looked_at(alice, resident)
    assert "Verwerkingen over Nina Bos" in _page(login_as(fred), inwoner="12345672")


def test_an_invalid_bsn_is_an_error_at_the_field_and_shows_no_entries(fred, alice, anouk, login_as):
    _looked_at(alice, anouk)
    page = _page(login_as(fred), inwoner="111222334")
    assert "Dit is geen geldig BSN." in page
    assert "Anouk" not in page
    assert "Dossier van inwoner" not in page


def test_part_of_a_name_finds_the_resident(fred, alice, anouk, login_as):
    _looked_at(alice, anouk)
    page = _page(login_as(fred), inwoner="viss")
    assert "Verwerkingen over Anouk Visser" in page
    assert "1 verwerking" in page


def test_a_name_of_several_residents_lists_them_and_shows_all_their_entries(
    fred, alice, anouk, bram, apeldoorn, login_as
):
    other = ResidentFactory(municipality=apeldoorn, given_names="Cor", family_name="Jansen")
    _looked_at(alice, anouk)
    _looked_at(alice, bram)
    _looked_at(alice, other)

    page = _page(login_as(fred), inwoner="viss")
    assert "2 inwoners gevonden" in page
    assert f"inwoner={anouk.pk}" in page and f"inwoner={bram.pk}" in page  # one click narrows it down
    assert "2 verwerkingen" in page
    assert "Cor Jansen" not in page

    narrowed = _page(login_as(fred), inwoner=str(bram.pk))
    # Bram's entry, and fred's own look at the list above, which named Bram.
    assert "Verwerkingen over Bram Visscher" in narrowed and "2 verwerkingen" in narrowed


def test_a_search_that_finds_nobody_says_so_and_shows_no_entries(fred, alice, anouk, login_as):
    _looked_at(alice, anouk)
    page = _page(login_as(fred), inwoner="Niemand")
    assert "Geen inwoner van Apeldoorn gevonden" in page
    assert "Dossier van inwoner" not in page
    assert "<table" not in page


def test_fred_cannot_find_a_resident_of_epe(fred, epe, charlie, login_as):
    resident = ResidentFactory(municipality=epe, given_names="Evi", family_name="Epema", bsn="111222333")
    _looked_at(charlie, resident)
    for term in ("111222333", "Epema", str(resident.pk)):
        page = _page(login_as(fred), inwoner=term)
        assert "Geen inwoner van Apeldoorn gevonden" in page
        assert "Evi" not in page


def test_fred_never_sees_entries_of_epe(fred, epe, charlie, login_as):
    resident = ResidentFactory(municipality=epe, given_names="Evi", family_name="Epema")
    _looked_at(charlie, resident)
    page = _page(login_as(fred))
    assert "charlie" not in page.lower() and "Epema" not in page
    export = login_as(fred).get(reverse("audit:export")).content.decode("utf-8-sig")
    assert "charlie" not in export.lower() and "Epema" not in export


def test_an_entry_about_many_residents_names_a_few_and_counts_the_rest(fred, alice, apeldoorn, login_as):
    residents = ResidentFactory.create_batch(5, municipality=apeldoorn, family_name="Smit")
    log.record(
        Actor(alice.user, alice, "residents:caseload"),
        LogAction.SEARCH,
        Purpose.GUIDANCE,
        [r.pk for r in residents],
    )
    page = _page(login_as(fred))
    assert "Caseload" in page
    assert page.count(" Smit <span") == 3
    assert "en nog 2 inwoners" in page


@pytest.mark.parametrize("persona", ["alice", "wendy", "pim", "paula", "ada", "rita"])
def test_other_roles_cannot_search_or_export_the_log(persona, request, login_as):
    client = login_as(request.getfixturevalue(persona))
    assert client.get(reverse("audit:log"), {"inwoner": "111222333"}).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_the_export_is_a_dutch_csv_of_the_search_and_is_itself_logged(fred, alice, anouk, bram, login_as):
    _looked_at(alice, anouk)
    _looked_at(alice, bram)
    response = login_as(fred).get(reverse("audit:export"), {"inwoner": "111222333"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())  # so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Tijdstip", "Gebruikersnaam", "Naam gebruiker"]
    assert len(rows) == 2  # the header and Anouk's entry, not Bram's
    assert rows[1][1] == "alice" and rows[1][6] == "Dossier van inwoner"
    assert rows[1][9] == "Anouk Visser (******333)"

    export = ProcessingLogEntry.objects.get(actor=fred.user, action="export")
    assert export.purpose == "toezicht"
    assert list(export.subjects.values_list("resident_id", flat=True)) == [anouk.pk]


def test_an_export_with_an_invalid_bsn_gives_the_error_not_a_file(fred, login_as):
    response = login_as(fred).get(reverse("audit:export"), {"inwoner": "123"})
    assert response.status_code == 400
    assert "Dit is geen geldig BSN." in response.content.decode()
    assert not ProcessingLogEntry.objects.filter(action="export").exists()


def test_a_look_at_the_log_is_one_supervision_row_with_the_residents_named(fred, alice, anouk, login_as):
    _looked_at(alice, anouk)
    _page(login_as(fred), inwoner="Visser")
    own = ProcessingLogEntry.objects.get(actor=fred.user)
    assert (own.action, own.purpose, own.endpoint) == ("search", "toezicht", "audit:log")
    assert list(own.subjects.values_list("resident_id", flat=True)) == [anouk.pk]


def test_fred_pages_through_a_long_result_and_keeps_the_search(fred, alice, anouk, login_as):
    for _ in range(55):
        _looked_at(alice, anouk)
    client = login_as(fred)
    first = _page(client, inwoner="111222333")
    assert "55 verwerkingen" in first and "Pagina 1 van 2" in first
    assert "?inwoner=111222333&amp;pagina=2" in first
    second = _page(client, inwoner="111222333", pagina="2")
    # fred's look at page 1 named Anouk: it is in her log now, on top.
    assert "56 verwerkingen" in second and "Pagina 2 van 2" in second
    assert second.count("Dossier van inwoner") == 6


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("audit:log"), params).status_code == 200
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_entries_shown(fred, alice, apeldoorn, login_as):
    residents = ResidentFactory.create_batch(4, municipality=apeldoorn, family_name="Smit")
    client = login_as(fred)
    _looked_at(alice, residents[0])
    few = _queries(client, inwoner="Smit")
    for resident in residents * 10:
        _looked_at(alice, resident)
    many = _queries(client, inwoner="Smit")
    assert few == many
    # session, membership with user and device id; the residents found; count, page, subjects; their names;
    # the log row (one statement on PostgreSQL, two on SQLite)
    assert many == 7 + (1 if connection.vendor == "postgresql" else 2)


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name and namespace:
            yield f"{namespace}:{pattern.name}"


def test_every_screen_of_the_file_and_the_route_has_a_name_in_words():
    """The log records the URL name; the privacy officer must never read a code for a screen that shows or
    changes a resident's file or route (a new view adds its name to audit/endpoints.py)."""
    from django.urls import get_resolver

    from meedoen.audit.endpoints import LABELS

    names = set(_url_names(get_resolver().url_patterns))
    file_and_route = {name for name in names if name.split(":")[0] in ("residents", "routes")}
    portal = {name for name in names if name.startswith(("catalogue:portal", "catalogue:resident"))}
    assert len(file_and_route) > 25
    assert not sorted((file_and_route | portal) - set(LABELS))
