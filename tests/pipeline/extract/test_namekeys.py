"""Name and organisation keys: transliteration, diminutives, word order, initials."""

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from pipeline.extract.namekeys import (
    canonical_given,
    name_keys,
    name_similarity,
    organization_identity,
    organization_key,
    organization_similarity,
    word_key,
)
from pipeline.extract.translit import to_latin

RUSSIAN_WORDS = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя", min_size=2, max_size=12)


@pytest.mark.parametrize(("a", "b"), [
    ("Александр", "Aleksandr"), ("Александр", "Alexander"), ("Евгений", "Yevgeny"), ("Яков", "Jakov"),
    ("Хабаров", "Habarov"), ("Цветков", "Tzvetkov"), ("Щукин", "Schukin"), ("Иванов", "Iwanow"),
    ("Саша", "Александр"), ("Alex", "Alexander"), ("Bill", "William"), ("ПЁТР", "Petr"),
])
def test_spellings_of_one_name_share_a_key(a: str, b: str) -> None:
    assert word_key(a) == word_key(b)


@pytest.mark.parametrize(("a", "b"), [("Иванов", "Петров"), ("Anna", "Inna"), ("Smith", "Schmidt")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert word_key(a) != word_key(b)


@given(RUSSIAN_WORDS)
def test_a_russian_word_and_its_passport_transliteration_share_a_key(word: str) -> None:
    assume(canonical_given(to_latin(word)) == to_latin(word))  # "Ed" is Edward; "Ед" is nobody's nickname
    assert word_key(word) == word_key(to_latin(word))


@given(st.lists(RUSSIAN_WORDS, min_size=2, max_size=3, unique=True))
def test_word_order_and_case_do_not_change_a_name(words: list[str]) -> None:
    name = " ".join(words)
    assert name_keys(name) == name_keys(" ".join(reversed(words)).upper())
    assert name_similarity(name, " ".join(reversed(words))) == 100.0


@given(st.text(max_size=40), st.text(max_size=40))
@example("A0A", "A0B")  # two initials each: 'A A' against 'A B' once scored 80 one way and 45 the other
def test_similarity_is_a_bounded_symmetric_score(a: str, b: str) -> None:
    assert 0.0 <= name_similarity(a, b) <= 100.0
    assert name_similarity(a, b) == pytest.approx(name_similarity(b, a))


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    ("Иванов Иван Петрович", "Ivan Ivanov", 95, 100),  # patronymic on one card only
    ("I. Petrov", "Ivan Petrov", 70, 80),  # an initial is weaker evidence than the word
    ("Petrov", "Ivan Petrov", 0, 60),  # one word alone is never enough to merge
    ("Иван Петров", "Иван Сидоров", 0, 75),  # same first name, other family
    ("Dr. Jane Doe, PhD", "Jane Doe", 100, 100),  # honorifics and degrees do not count
])
def test_name_similarity_ranks_evidence(a: str, b: str, low: float, high: float) -> None:
    assert low <= name_similarity(a, b) <= high


def test_organisations_meet_across_legal_form_quotes_and_script() -> None:
    assert organization_key("ООО «Ромашка»") == organization_key("Romashka LLC") == "romashka"
    assert organization_similarity("АО «Гранит»", "Granit JSC") == 100.0
    assert organization_similarity("Acme Inc.", "Globex LLC") < 50


def test_an_organisation_is_its_name_and_its_kind_of_entity_in_either_language() -> None:
    assert organization_identity("ООО «Ладога»") == organization_identity("Ladoga LLC") == "ladoga|llc"
    assert organization_identity("АО «Профиль»") != organization_identity("ООО «Профиль»")
    assert organization_identity("Riverbend Studios Ltd") != organization_identity("Riverbend Studios GmbH")
    assert organization_identity("Гранит") == "granit|"
