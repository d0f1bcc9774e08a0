"""A tree species is the organiser's words: the species planted most in the country read in the
page's language, any other name as the organiser wrote it (frontend.labels.TREE_SPECIES_LABELS)."""

import pytest
from django.utils import translation

from frontend.labels import TREE_SPECIES_LABELS, species_name


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["elm", "pine", "saxaul", "apple tree"]), ("ru", ["вяз", "сосна", "саксаул", "яблоня"])],
)
def test_a_known_species_reads_in_the_page_s_language(language, expected):
    with translation.override(language):
        assert [species_name(name) for name in ("elm", "pine", "saxaul", "apple")] == expected


def test_kazakh_names_every_known_species_in_kazakh():
    with translation.override("kk"):
        names = {code: species_name(code) for code in TREE_SPECIES_LABELS}
    assert (names["elm"], names["pine"], names["birch"], names["saxaul"]) == ("қарағаш", "қарағай", "қайың", "сексеуіл")
    assert all(names[code] != code for code in TREE_SPECIES_LABELS)


def test_any_other_name_is_shown_as_the_organiser_wrote_it():
    with translation.override("ru"):
        assert [species_name(name) for name in ("карагач", "ulmus pumila", "")] == ["карагач", "ulmus pumila", ""]
