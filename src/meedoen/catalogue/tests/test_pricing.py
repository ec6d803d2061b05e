"""How a placement is priced (the iWmo uitvoeringsvarianten) and a contract's lump sum, as the provider, the
functioneel beheerder and the provider's own system see it: one rule for screens and API, errors at the
field, amounts as Dutch people write them."""

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.catalogue import rules
from meedoen.catalogue.models import EFFORT_UNITS, OUTPUT_UNITS, Contract, Placement, Pricing
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory
from meedoen.catalogue.tests.test_api import JSON, ROW, bearer, names, rows
from meedoen.catalogue.tests.test_screens import PLACEMENT_FORM
from meedoen.formatting import euro

pytestmark = pytest.mark.django_db

# Only what the form marks as required (the price is, unless taakgericht): no variant, no unit.
REQUIRED_ONLY = {
    name: value
    for name, value in PLACEMENT_FORM.items()
    if name not in ("tags", "is_open", "reference", "district", "learning", "dutch_level")
}
EVERYTHING = PLACEMENT_FORM | {
    "reference": "GS-7",
    "learning": "Samenwerken.",
    "dutch_level": "A2",
    "physical_demands": ["buiten"],
    "wheelchair_accessible": "on",
    "transit_nearby": "on",
    "pricing": "outputgericht",
    "price": "3250,00",
    "price_unit": "traject",
}


TASK_PRICED = (
    "Bij taakgericht krijgt de aanbieder een vast bedrag via het contract, geen prijs per plek. "
    "Laat de prijs leeg."
)
NO_VARIANT = "Kies inspanningsgericht, outputgericht of taakgericht."


def field_error(html: str, name: str) -> str:
    """The error text shown in the form field of ``name`` (empty when that field has none)."""
    match = re.search(rf'id="id_{name}_error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


# ------------------------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("pricing", "unit", "price", "stored", "errors"),
    [
        ("inspanningsgericht", "uur", Decimal("62.50"), ("uur", Decimal("62.50")), {}),
        ("inspanningsgericht", "", Decimal("95"), ("week", Decimal("95")), {}),
        ("inspanningsgericht", "dagdeel", Decimal("0"), ("dagdeel", Decimal("0")), {}),
        ("outputgericht", "traject", Decimal("3250"), ("traject", Decimal("3250")), {}),
        ("outputgericht", "maand", Decimal("450"), ("maand", Decimal("450")), {}),
        ("taakgericht", "", None, ("", Decimal("0.00")), {}),
        ("taakgericht", "week", Decimal("0"), ("", Decimal("0.00")), {}),
        (
            "inspanningsgericht",
            "traject",
            Decimal("10"),
            None,
            {"price_unit": "Kies een eenheid die past bij inspanningsgericht: uur, dagdeel, etmaal of week."},
        ),
        (
            "outputgericht",
            "",
            Decimal("10"),
            None,
            {"price_unit": "Kies een eenheid die past bij outputgericht: traject of maand."},
        ),
        ("outputgericht", "maand", None, None, {"price": "Vul de prijs in. Bij outputgericht is die nodig."}),
        ("inspanningsgericht", "uur", Decimal("-1"), None, {"price": "De prijs kan niet negatief zijn."}),
        ("taakgericht", "", Decimal("12"), None, {"price": TASK_PRICED}),
        ("per_stuk", "uur", Decimal("1"), None, {"pricing": NO_VARIANT}),
    ],
)  # fmt: skip
def test_the_price_rule_stores_what_fits_and_names_the_field_that_does_not(
    pricing, unit, price, stored, errors
):
    terms = rules.settle_price(pricing, unit, price)
    assert dict(terms.errors) == errors
    if stored is not None:
        assert (terms.unit, terms.price) == stored


def test_a_taakgericht_price_is_refused_with_the_reason():
    assert "vast bedrag via het contract" in rules.settle_price("taakgericht", "", Decimal("5")).errors[0][1]


def test_the_rule_and_the_database_agree_on_the_units():
    assert {
        Pricing.EFFORT.value: tuple(unit.value for unit in EFFORT_UNITS),
        Pricing.OUTPUT.value: tuple(unit.value for unit in OUTPUT_UNITS),
        Pricing.TASK.value: (),
    } == rules.UNITS_BY_PRICING


@pytest.mark.parametrize(
    "values",
    [
        {"pricing": "inspanningsgericht", "price_unit": "traject"},
        {"pricing": "outputgericht", "price_unit": "week"},
        {"pricing": "taakgericht", "price_unit": "", "price": Decimal("10")},
        {"pricing": "taakgericht", "price_unit": "uur", "price": Decimal("0")},
    ],
)
def test_the_database_refuses_a_unit_that_does_not_fit_even_without_the_rule(groene_schakel, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(provider=groene_schakel, **values)


# ---------------------------------------------------------------------------------------- amounts shown


def test_amounts_are_written_the_dutch_way_and_the_english_way():
    assert euro(Decimal("12.5")) == "€\u00a012,50"
    assert euro(Decimal("2500")) == "€\u00a02.500,00"
    with translation.override("en"):
        assert euro(Decimal("2500")) == "€\u00a02,500.00"


# ----------------------------------------------------------------------------------- the placement form


def test_the_form_with_only_its_required_fields_is_inspanningsgericht_per_week(
    paula, groene_schakel, login_as
):
    client = login_as(paula)
    form = client.get(reverse("catalogue:placement-new")).content.decode()
    assert re.search(r'<input type="radio" name="pricing" value="inspanningsgericht"[^>]*checked', form)
    assert re.search(r'<option value="week" selected>', form)
    assert re.search(r'<input type="text" name="price"[^>]*required', form)  # no "(niet verplicht)"

    response = client.post(reverse("catalogue:placement-new"), REQUIRED_ONLY)
    assert response.status_code == 302, field_error(response.content.decode(), "price")
    placement = Placement.objects.get()
    assert (placement.pricing, placement.price_unit, placement.price) == ("inspanningsgericht", "week", 95)


def test_the_form_with_every_field_takes_a_dutch_amount(paula, groene_schakel, login_as):
    response = login_as(paula).post(reverse("catalogue:placement-new"), EVERYTHING)
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.pricing, placement.price_unit, placement.price) == (
        "outputgericht",
        "traject",
        Decimal("3250.00"),
    )


def test_a_unit_that_does_not_fit_the_variant_is_an_error_at_the_unit(paula, groene_schakel, login_as):
    client = login_as(paula)
    wrong = client.post(
        reverse("catalogue:placement-new"),
        REQUIRED_ONLY | {"pricing": "inspanningsgericht", "price_unit": "maand"},
    )
    html = wrong.content.decode()
    assert wrong.status_code == 200
    assert field_error(html, "price_unit") == (
        "Kies een eenheid die past bij inspanningsgericht: uur, dagdeel, etmaal of week."
    )
    output = client.post(
        reverse("catalogue:placement-new"), REQUIRED_ONLY | {"pricing": "outputgericht", "price_unit": "uur"}
    )
    assert field_error(output.content.decode(), "price_unit") == (
        "Kies een eenheid die past bij outputgericht: traject of maand."
    )
    no_price = client.post(reverse("catalogue:placement-new"), REQUIRED_ONLY | {"price": ""})
    assert field_error(no_price.content.decode(), "price") == (
        "Vul de prijs in. Alleen bij taakgericht blijft die leeg."
    )
    assert not Placement.objects.exists()


def test_taakgericht_needs_no_price_and_refuses_one(paula, groene_schakel, login_as):
    client = login_as(paula)
    priced = client.post(
        reverse("catalogue:placement-new"), REQUIRED_ONLY | {"pricing": "taakgericht", "price": "40"}
    )
    assert "vast bedrag via het contract" in field_error(priced.content.decode(), "price")
    assert not Placement.objects.exists()

    response = client.post(
        reverse("catalogue:placement-new"),
        REQUIRED_ONLY | {"pricing": "taakgericht", "price": "", "price_unit": "week"},
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.pricing, placement.price_unit, placement.price) == ("taakgericht", "", 0)
    edit = client.get(reverse("catalogue:placement-edit", args=[placement.pk])).content.decode()
    assert re.search(r'<input type="text" name="price"(?![^>]*value=)[^>]*>', edit)  # empty, not "0,00"


def test_changing_the_variant_is_kept_in_the_history(paula, groene_schakel, login_as):
    client = login_as(paula)
    client.post(reverse("catalogue:placement-new"), REQUIRED_ONLY)
    placement = Placement.objects.get()
    client.post(
        reverse("catalogue:placement-edit", args=[placement.pk]),
        REQUIRED_ONLY
        | {"pricing": "inspanningsgericht", "price_unit": "uur", "price": "12,50", "version": "1"},
    )
    change = placement.changes.get(version=2)
    assert change.changes == {"price": ["95.00", "12.50"], "price_unit": ["week", "uur"]}
    page = client.get(reverse("catalogue:placement", args=[placement.pk])).content.decode()
    assert "Gewijzigd: prijs (euro), prijs per" in page


# ------------------------------------------------------------------------------------------- the pages


def test_the_placement_page_says_price_unit_and_variant(alice, groene_schakel, login_as):
    hourly = PlacementFactory(
        provider=groene_schakel, pricing="inspanningsgericht", price_unit="uur", price=12.5
    )
    route = PlacementFactory(
        provider=groene_schakel, pricing="outputgericht", price_unit="traject", price=3250
    )
    task = PlacementFactory(provider=groene_schakel, pricing="taakgericht", price_unit="", price=0)
    client = login_as(alice)

    def shown(placement):
        return client.get(reverse("catalogue:placement", args=[placement.pk])).content.decode()

    assert "€\u00a012,50 per uur · inspanningsgericht" in shown(hourly)
    assert "€\u00a03.250,00 per traject · outputgericht" in shown(route)
    task_page = shown(task)
    assert "vast bedrag via het contract" in task_page
    assert "€\u00a00,00" not in task_page
    with translation.override("en"):
        assert hourly.price_text() == "€\u00a012.50 per hour · effort-based"
        assert task.price_text() == "fixed sum through the contract · task-based"


def test_the_provider_sees_the_price_of_each_own_placement_in_the_portal(paula, groene_schakel, login_as):
    PlacementFactory(provider=groene_schakel, pricing="inspanningsgericht", price_unit="dagdeel", price=47.5)
    portal = login_as(paula).get(reverse("catalogue:portal")).content.decode()
    assert "€\u00a047,50 per dagdeel (4 uur) · inspanningsgericht" in portal


def test_another_provider_cannot_change_the_price(paula, apeldoorn, login_as):
    other = ProviderFactory(name="De Kringloop")
    ContractFactory(provider=other, municipality=apeldoorn)
    placement = PlacementFactory(provider=other)
    response = login_as(paula).post(
        reverse("catalogue:placement-edit", args=[placement.pk]),
        REQUIRED_ONLY | {"price": "1", "version": "1"},
    )
    assert response.status_code in (403, 404)
    assert Placement.objects.get(pk=placement.pk).price == Decimal("120.00")


def test_a_caseworker_cannot_open_the_placement_form(alice, groene_schakel, login_as):
    assert login_as(alice).post(reverse("catalogue:placement-new"), REQUIRED_ONLY).status_code == 403
    assert not Placement.objects.exists()


# ---------------------------------------------------------------------------------------------- the API


def test_the_api_round_trips_variant_price_and_unit(paula, groene_schakel, login_as):
    client = login_as(paula)
    body = ROW | {"pricing": "outputgericht", "price": "3250.00", "price_unit": "traject"}
    created = client.post(reverse("api:provider-placement-list"), body, content_type=JSON)
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["pricing"], item["price"], item["price_unit"]) == ("outputgericht", "3250.00", "traject")
    url = reverse("api:provider-placement-detail", args=[item["id"]])

    wrong = client.patch(url, {"price_unit": "uur", "version": 1}, content_type=JSON)
    assert wrong.status_code == 400
    assert names(wrong) == {"price_unit"}
    assert wrong.json()["invalidParams"][0]["reason"] == (
        "Kies een eenheid die past bij outputgericht: traject of maand."
    )
    task = client.patch(url, {"pricing": "taakgericht", "price": None, "version": 1}, content_type=JSON)
    assert task.status_code == 200, task.content
    assert (task.json()["pricing"], task.json()["price"], task.json()["price_unit"]) == (
        "taakgericht",
        "0.00",
        "",
    )
    read = client.get(reverse("api:placement-detail", args=[item["id"]])).json()
    assert (read["pricing"], read["price"], read["price_unit"]) == ("taakgericht", "0.00", "")


def test_an_api_client_that_sends_no_variant_gets_a_price_per_week(paula, groene_schakel):
    response = bearer(paula).post(reverse("api:provider-placement-list"), ROW, content_type=JSON)
    assert response.status_code == 201, response.content
    assert (response.json()["pricing"], response.json()["price_unit"]) == ("inspanningsgericht", "week")


def test_a_sync_names_every_row_whose_price_does_not_fit_and_saves_nothing(paula, groene_schakel):
    body = rows(
        {"pricing": "inspanningsgericht", "price_unit": "dagdeel", "price": "47.50"},
        {"pricing": "outputgericht", "price_unit": "week"},
        {"pricing": "taakgericht", "price": "10.00"},
        {"pricing": "inspanningsgericht", "price": None},
        {"price_unit": "stuk"},
        {"price": "-5"},
    )
    response = bearer(paula).put(reverse("api:provider-placement-sync"), body, content_type=JSON)
    assert response.status_code == 400
    assert names(response) == {
        "placements[1].price_unit",
        "placements[2].price",
        "placements[3].price",
        "placements[4].price_unit",
        "placements[5].price",
    }
    reasons = {param["name"]: param["reason"] for param in response.json()["invalidParams"]}
    assert reasons["placements[5].price"] == "De prijs kan niet negatief zijn."
    assert not Placement.objects.exists()


def test_a_sync_stores_taakgericht_without_a_price_and_is_idempotent(paula, groene_schakel):
    body = rows(
        {"pricing": "taakgericht", "price": None}, {"pricing": "outputgericht", "price_unit": "maand"}
    )
    client = bearer(paula)
    first = client.put(reverse("api:provider-placement-sync"), body, content_type=JSON)
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}, first.content
    task = Placement.objects.get(reference="GS-000")
    assert (task.pricing, task.price_unit, task.price) == ("taakgericht", "", 0)
    again = client.put(reverse("api:provider-placement-sync"), body, content_type=JSON)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}


def test_a_caseworker_cannot_write_placements_through_the_api(alice, groene_schakel, login_as):
    body = ROW | {"pricing": "taakgericht", "price": None}
    assert (
        login_as(alice).post(reverse("api:provider-placement-list"), body, content_type=JSON).status_code
        == 403
    )


# ------------------------------------------------------------------------------------------ the contract


def test_the_beheerder_sets_a_yearly_lump_sum_on_the_contract(ada, groene_schakel, login_as):
    client = login_as(ada)
    url = reverse("catalogue:provider", args=[groene_schakel.pk])
    page = client.get(url).content.decode()
    assert "Vast bedrag per jaar in euro" in page
    required = {"name": "De Groene Schakel", "kind": "cmo", "contract_starts_on": "2026-01-01"}
    assert client.post(url, required).status_code == 302
    assert Contract.objects.get(provider=groene_schakel).task_budget is None

    assert client.post(url, required | {"contract_task_budget": "185000,00"}).status_code == 302
    assert Contract.objects.get(provider=groene_schakel).task_budget == Decimal("185000.00")
    assert 'value="185000,00"' in client.get(url).content.decode()

    negative = client.post(url, required | {"contract_task_budget": "-1"})
    assert field_error(negative.content.decode(), "contract_task_budget") == (
        "Het vaste bedrag kan niet negatief zijn."
    )
    assert Contract.objects.get(provider=groene_schakel).task_budget == Decimal("185000.00")


def test_a_new_provider_can_start_on_a_taakgericht_contract(ada, apeldoorn, login_as):
    body = {
        "name": "Buurthuis De Schakel",
        "kind": "cmo",
        "contract_starts_on": "2026-01-01",
        "contract_task_budget": "96000",
    }
    assert login_as(ada).post(reverse("catalogue:provider-new"), body).status_code == 302
    assert Contract.objects.get(provider__name="Buurthuis De Schakel").task_budget == Decimal("96000")


def test_only_the_own_municipality_and_the_beheerder_set_the_lump_sum(paula, epe, groene_schakel, login_as):
    epe_admin = MembershipFactory(municipality=epe, role=Role.ADMIN)
    url = reverse("catalogue:provider", args=[groene_schakel.pk])
    body = {"name": "X", "kind": "cmo", "contract_starts_on": "2026-01-01", "contract_task_budget": "1"}
    assert login_as(epe_admin).post(url, body).status_code == 404
    assert login_as(paula).post(url, body).status_code == 403
    assert Contract.objects.get(provider=groene_schakel).task_budget is None
