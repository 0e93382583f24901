from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.text import harmonise_script


def test_lookalike_words_take_the_line_script() -> None:
    assert harmonise_script("Директор no персоналу") == "Директор по персоналу"
    assert harmonise_script("ИП Баженова B. A.") == "ИП Баженова В. А."
    assert harmonise_script("Claire Hawthorne, МВА") == "Claire Hawthorne, MBA"


def test_words_with_letters_of_their_own_are_kept() -> None:
    assert harmonise_script("ООО «Ромашка» Group") == "ООО «Ромашка» Group"
    assert harmonise_script("Иван Петров Ivan Petrov") == "Иван Петров Ivan Petrov"


@given(st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыэюя ", min_size=1, max_size=40))
def test_pure_cyrillic_text_is_unchanged(text: str) -> None:
    assert harmonise_script(text) == text


def test_a_word_of_latin_look_alikes_is_made_cyrillic_and_no_other_word_is() -> None:
    from pipeline.extract.text import cyrillic_from_lookalikes

    assert cyrillic_from_lookalikes("AHTOHOBa") == "АНТОНОВа"
    assert cyrillic_from_lookalikes("ОMCK") == "ОМСК"  # a Cyrillic О among the Latin look-alikes
    assert cyrillic_from_lookalikes("Smith") is None  # S, i, t, h look like no Cyrillic letter
    assert cyrillic_from_lookalikes("Москва") is None  # nothing Latin in it
