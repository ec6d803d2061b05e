"""The names of the vocabulary: a default name is translated, a municipality's own name is not."""

from django.utils import translation

from meedoen.municipalities.actions import DEFAULT_INTEREST_TAGS, DEFAULT_TARGET_GROUPS
from meedoen.municipalities.labels import DEFAULT_NAMES, vocabulary_name


def test_the_catalogue_lists_every_default_name():
    assert dict(DEFAULT_TARGET_GROUPS) | dict(DEFAULT_INTEREST_TAGS) == DEFAULT_NAMES


def test_a_default_name_is_translated_and_an_own_name_is_not():
    with translation.override("en"):
        assert vocabulary_name("groen", "Groen en tuin") == "Green spaces and gardening"
        assert vocabulary_name("psychische-kwetsbaarheid", "Psychische kwetsbaarheid") == (
            "Mental health vulnerability"
        )
        assert vocabulary_name("groen", "Moestuin") == "Moestuin"
        assert vocabulary_name("eigen-code", "Dieren") == "Dieren"  # the default name of another code
    with translation.override("nl"):
        assert vocabulary_name("groen", "Groen en tuin") == "Groen en tuin"
