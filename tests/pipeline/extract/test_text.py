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
