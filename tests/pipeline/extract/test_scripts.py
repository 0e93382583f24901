from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.types import OcrResult
from pipeline.extract.org import has_legal_form
from pipeline.extract.scripts import latin_card_lines, letter_scripts, one_script
from tests.conftest import lines_of


def test_cyrillic_look_alikes_in_a_latin_line_become_latin() -> None:
    fixed = one_script("8º Tabelião de Notas da Capital de Зао Paulo")
    assert fixed.endswith("Sao Paulo")
    assert not has_legal_form(fixed)  # 'Зао' no longer parses as the Russian legal form ЗАО
    assert one_script("Jd. Затага - SP - (Travessa da Gamelinha)") == "Jd. Samara - SP - (Travessa da Gamelinha)"


def test_a_russian_line_stays_cyrillic_and_loses_its_latin_look_alikes() -> None:
    assert one_script("Иван Пeтров") == "Иван Петров"  # a Latin e inside a Russian word
    assert one_script("ООО «Ромашка» LLC") == "ООО «Ромашка» LLC"  # a whole Latin word stays Latin
    assert one_script("Генеральный директор") == "Генеральный директор"


def test_accents_and_umlauts_are_kept_and_a_bilingual_line_is_left_alone() -> None:
    assert one_script("Jürgen Müller, Vertriebsleiterin, São Paulo") == "Jürgen Müller, Vertriebsleiterin, São Paulo"
    assert one_script("Иван Петров / Ivan Petrov") == "Иван Петров / Ivan Petrov"


LATIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéãç ", min_size=12, max_size=40)
CYRILLIC = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыэюя ", min_size=12, max_size=40)


@given(LATIN, st.sampled_from("аеорсухкм"))
def test_a_latin_line_with_one_look_alike_has_no_cyrillic_left(line: str, intruder: str) -> None:
    if letter_scripts(line)[1] < 10:
        return
    mid = len(line) // 2
    assert letter_scripts(one_script(line[:mid] + intruder + line[mid:]))[0] == 0


@given(CYRILLIC)
def test_a_cyrillic_line_is_never_changed(line: str) -> None:
    assert one_script(line) == line


def test_a_latin_word_read_in_cyrillic_look_alikes_on_a_latin_card_is_latin_again() -> None:
    latin = OcrResult(tuple(lines_of("Minato Precision Inc.", "AKIKO WATANABE", "Deputy General", "Мападег")), 900, 500)
    assert [line.text for line in latin_card_lines(latin).lines][-1] == "Manager"
    # On a Russian card the same letters are Russian (and a word no lexicon knows in Latin stays as read).
    russian = OcrResult(tuple(lines_of("ООО «Ладога»", "Ирина Петрова", "Мападег")), 900, 500)
    assert latin_card_lines(russian) == russian
    stray = OcrResult(tuple(lines_of("Minato Precision Inc.", "Пагод")), 900, 500)
    assert latin_card_lines(stray) == stray
