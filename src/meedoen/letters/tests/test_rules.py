"""Filling a template: fields from the file, places to fill in by hand, unknown fields."""

from meedoen.letters import rules

LABELS = {"naam": "naam van de inwoner", "plek": "naam van de plek"}


def test_a_field_is_filled_from_the_file_and_an_empty_one_asks_to_be_filled_in():
    text = rules.fill("Beste {naam}, u begint bij {plek}.", {"naam": "Ruben Jansen", "plek": ""}, LABELS)
    assert text == "Beste Ruben Jansen, u begint bij [naam van de plek]."
    assert rules.open_places(text) == ["[naam van de plek]"]


def test_an_unknown_field_is_named_and_left_as_it_is():
    assert rules.unknown_fields("Beste {naam}, {geboortedag} en {naam} {x y}") == ["geboortedag"]
    assert rules.fill("{geboortedag}", {}, LABELS) == "{geboortedag}"
    assert rules.open_places("{geboortedag}") == ["{geboortedag}"]


def test_a_finished_letter_has_nothing_open():
    assert rules.open_places("Beste Ruben,\n\nKom dinsdag 12 maart om 10 uur.") == []


def test_paragraphs_keep_their_lines():
    assert rules.paragraphs("Beste Ruben,\n\nWanneer: dinsdag\nWaar: stadhuis\n\n\nGroet") == [
        ["Beste Ruben,"],
        ["Wanneer: dinsdag", "Waar: stadhuis"],
        ["Groet"],
    ]
