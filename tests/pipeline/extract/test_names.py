from collections import Counter
from dataclasses import astuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devtools.name_bench import Case, generated_cases, hard_cases
from pipeline.core.types import NameParts
from pipeline.extract.names import _morph_role, proper_case, score_name, split_name


@pytest.mark.parametrize(
    ("name", "given", "middle", "family"),
    [
        ("Иванов Иван Петрович", "Иван", "Петрович", "Иванов"),
        ("Анна Сергеевна Смирнова", "Анна", "Сергеевна", "Смирнова"),
        ("Ольга Кузнецова", "Ольга", None, "Кузнецова"),
        ("Кузнецова Ольга", "Ольга", None, "Кузнецова"),
        ("ИВАНОВ ИВАН ПЕТРОВИЧ", "ИВАН", "ПЕТРОВИЧ", "ИВАНОВ"),
        ("Jane A. Doe", "Jane", "A.", "Doe"),
    ],
)
def test_name_parts(name: str, given: str, middle: str | None, family: str) -> None:
    parts = split_name(name)
    assert (parts.given, parts.middle, parts.family) == (given, middle, family)


def test_prefix_and_suffix() -> None:
    parts = split_name("Dr. John Smith, PhD")
    assert (parts.prefix, parts.given, parts.family, parts.suffix) == ("Dr.", "John", "Smith", "PhD")


# A form no splitter here gets right: a two-word given name without a hyphen (nameparser: first Mary, middle Ann).
UNSOLVED = {"Mary Ann Smith"}


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.text, marks=[pytest.mark.xfail(strict=True)] if c.text in UNSOLVED else [])
     for c in hard_cases()],
)
def test_hard_real_world_forms_split_as_filed(case: Case) -> None:
    assert split_name(case.text) == case.expected


def test_every_form_the_card_generator_prints_splits_as_its_label() -> None:
    cases = generated_cases(count=700, seed=11)
    assert len({c.form for c in cases}) == 14
    assert [c.text for c in cases if split_name(c.text) != c.expected] == []


def test_pymorphy3_dictionary_is_shipped_and_tags_words_the_lexicons_lack() -> None:
    assert (_morph_role("Кузьмич"), _morph_role("Айгуль"), _morph_role("Бондарь")) == ("Patr", "Name", "Surn")
    assert split_name("Бондарь Ринат") == NameParts(given="Ринат", family="Бондарь")


def _words(*texts: str | None) -> Counter[str]:
    return Counter(w for t in texts if t for w in t.replace(",", " ").split())


CYRILLIC_WORD = st.text("абвгдеёжзийклмнопрстуфхцчшщъыьэюя-", min_size=1, max_size=12).map(str.capitalize)
LATIN_WORD = st.one_of(
    st.from_regex(r"[A-Z][a-z'-]{0,11}", fullmatch=True),
    st.sampled_from(["van", "de", "la", "And", "Y", "St.", "II", "V", "Jr", "Esq", "Sir", "(Bob)", '"Bob"', "&"]),
)


@st.composite
def printed_names(draw: st.DrawFn) -> str:
    """Name-shaped lines: 1-4 words of one script or initials, maybe a prefix and a suffix, maybe in capitals."""
    cyrillic = draw(st.booleans())
    initial = st.sampled_from("АБВГДЕИКЛМНОПРСТ" if cyrillic else "ABCDEFGHJKLMNPRSTW").map(lambda c: c + ".")
    tokens = draw(st.lists(st.one_of(CYRILLIC_WORD if cyrillic else LATIN_WORD, initial), min_size=1, max_size=4))
    if draw(st.booleans()):
        tokens.insert(0, draw(st.sampled_from(["Dr.", "Prof.", "Ms.", "Mr."])))
    if draw(st.booleans()):
        tokens[-1] += ","
        tokens.append(draw(st.sampled_from(["PhD", "MBA", "Jr.", "CPA", "III"])))
    line = " ".join(tokens)
    return line.upper() if draw(st.booleans()) else line


@settings(max_examples=400, deadline=None)
@given(printed_names())
def test_the_parts_rejoin_to_the_printed_words_none_lost_or_doubled(line: str) -> None:
    parts = split_name(line)
    assert _words(*astuple(parts)) == _words(line)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_line_splits_without_error_into_words_it_has(line: str) -> None:
    parts = split_name(line)
    assert not _words(*astuple(parts)) - _words(line)


@pytest.mark.parametrize("line", ["ООО «Ромашка»", "Генеральный директор", "Sales Manager", "Acme Corp.",
                                  "Innovative Solutions Group", "ИНН 7701234567", "Ева Кречетова Eva Krechetova",
                                  "Alistair O'Hara CEO", "Ольга Смирнова Арт-директор"])
def test_company_title_and_slogan_lines_are_never_names(line: str) -> None:
    assert score_name(line) == 0


def test_a_given_name_whose_breve_was_lost_is_repaired_and_no_other_word_is() -> None:
    from pipeline.extract.names import repair_name_words

    assert repair_name_words("Юрии Кулагин") == "Юрий Кулагин"
    assert repair_name_words("СЕРГЕИ ПЕТРОВ") == "СЕРГЕЙ ПЕТРОВ"
    assert repair_name_words("Раиса Иванова") == "Раиса Иванова"  # a name that has и where it belongs


def test_an_english_first_name_read_in_cyrillic_look_alikes_and_a_dollar_initial_are_repaired() -> None:
    from pipeline.extract.names import repair_name_words

    assert repair_name_words("Непгу") == "Henry"
    assert repair_name_words("NICOLE $. CRAWFORD") == "NICOLE S. CRAWFORD"
    assert repair_name_words("Анна Нина Ева") == "Анна Нина Ева"  # Russian names stay Russian


@pytest.mark.parametrize(
    ("line", "parts"),
    [("Иван", NameParts(given="Иван")), ("John", NameParts(given="John")),
     ("Dr. Smith", NameParts(family="Smith", prefix="Dr.")), ("", NameParts())],
)
def test_a_lone_word_is_never_both_given_and_family_name(line: str, parts: NameParts) -> None:
    assert split_name(line) == parts


def test_a_family_name_read_in_latin_look_alikes_beside_cyrillic_words_is_made_cyrillic() -> None:
    from pipeline.extract.names import repair_name_words

    assert repair_name_words("Диана Игнатьевна AHTOHOBa") == "Диана Игнатьевна Антонова"
    assert repair_name_words("ДИАНА AHTOHOBA") == "ДИАНА АНТОНОВА"
    assert repair_name_words("Anna Kern") == "Anna Kern"  # Latin among Latin stays
    assert repair_name_words("Emily $5. Lockwood") == "Emily S. Lockwood"


@pytest.mark.parametrize(
    "text",
    ["Sales Section", "Planning Department", "Corporate Planning Group", "Коммерческий отдел",
     "Direção Hidráulica", "Estética Automotiva", "Rua Antonio Carneiro", "Av. Waldemar Carlos"],
)
def test_department_address_and_common_noun_lines_are_no_names(text: str) -> None:
    assert score_name(text) == 0.0


@pytest.mark.parametrize(
    "text",
    ["Renan Beato", "Nguyễn Văn Hùng", "Jürgen Großmann", "TANAKA Hiroshi", "Guilherme e Esteves",
     "Ana da Silva", "Altair D'Auria Miranda", "Siddharth Venkataraman", "Omar AL NUAIMI", "Andrés GARCÍA RODRÍGUEZ"],
)
def test_names_outside_the_lexicons_pass_on_their_form(text: str) -> None:
    assert score_name(text) > 0


def test_family_first_names_split_family_first() -> None:
    parts = split_name("TANAKA Hiroshi")
    assert (parts.given, parts.family) == ("Hiroshi", "TANAKA")
    parts = split_name("Nguyễn Văn Hùng")
    assert (parts.given, parts.middle, parts.family) == ("Hùng", "Văn", "Nguyễn")


def test_a_title_glued_to_the_name_line_is_split_off() -> None:
    from pipeline.core.types import OcrResult
    from pipeline.extract.fields import extract
    from tests.conftest import lines_of

    lines = lines_of("Anna Schmidt Vertriebsleiterin", "Kestrel Dynamics GmbH", "anna.schmidt@kestrel.de")
    fields = extract(OcrResult(tuple(lines), 1000, 600))
    assert (fields.name, fields.title) == ("Anna Schmidt", "Vertriebsleiterin")
    assert fields.department is None


def test_a_department_line_is_the_department_not_the_name() -> None:
    from pipeline.core.types import OcrResult
    from pipeline.extract.fields import extract
    from tests.conftest import lines_of

    lines = lines_of("Kenji Watanabe", "Sales Section", "Fujikawa Trading Co., Ltd.", "k.watanabe@fujikawa.co.jp")
    fields = extract(OcrResult(tuple(lines), 1000, 600))
    assert fields.name == "Kenji Watanabe"
    assert fields.department == "Sales Section"


def test_a_title_no_lexicon_holds_is_read_by_its_place_under_the_name() -> None:
    from pipeline.core.types import OcrResult
    from pipeline.extract.fields import extract
    from tests.conftest import lines_of

    lines = [*lines_of("Volkan DEMİR", height=30), *lines_of("", "Proje Yöneticisi", "Anadolu Makina Ltd. Şti.",
                                                               "volkan@anadolumakina.com.tr")[1:]]
    fields = extract(OcrResult(tuple(lines), 1000, 600))
    assert (fields.name, fields.title, fields.company) == ("Volkan DEMİR", "Proje Yöneticisi",
                                                           "Anadolu Makina Ltd. Şti.")
    # 'yönetici' is in title_words.txt, so the title is no guess by its evidence; whether it lands in `guesses`
    # is the calibration's say (below 0.6), which a refit moves: not asserted here.
    assert "name" in fields.guesses  # 'Volkan' is in no lexicon: the name is picked by form and place
    assert split_name("Rui PEREIRA").family == "PEREIRA"


def test_capitals_in_the_middle_of_a_name_are_no_marked_family_name() -> None:
    # A family name in capitals sits at one end; capitals inside ('John SMITH Jones', 'Ivan IT Petrov') are a mix.
    assert score_name("John SMITH Jones") == 0.0 and score_name("Ivan IT Petrov") == 0.0


@pytest.mark.parametrize(("printed", "written"), [
    ("JOHN", "John"), ("ИВАН ПЕТРОВИЧ", "Иван Петрович"), ("ЁЛКИНА АННА-МАРИЯ", "Ёлкина Анна-Мария"),
    ("JEAN-PIERRE DE LA FONTAINE", "Jean-Pierre de la Fontaine"), ("AHMED AL-FARSI", "Ahmed al-Farsi"),
    ("LUDWIG VAN BEETHOVEN", "Ludwig van Beethoven"), ("MARY-KATE O'BRIEN", "Mary-Kate O'Brien"),
    ("JOHN MCDONALD", "John McDonald"), ("SMITH, JOHN", "Smith, John"), ("ana dos santos", "Ana dos Santos"),
    # written in mixed case: the writer's spelling, kept
    ("McDONALD", "McDONALD"), ("Anna-Maria von Trapp", "Anna-Maria von Trapp"), ("DeShawn Jones", "DeShawn Jones"),
    ("", "")])
def test_a_name_in_one_case_is_written_as_in_a_letter_and_a_mixed_case_one_is_kept(printed: str,
                                                                                    written: str) -> None:
    assert proper_case(printed) == written


_WORD = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True)


@given(_WORD, _WORD, _WORD)
def test_a_slash_between_two_peoples_names_weighs_like_a_particle(first: str, second: str, third: str) -> None:
    # 'Eliete / Ana Paula': the slash is neither a word of the name nor a reason to reject it, and never ends one.
    assert score_name(f"{first} / {second} {third}") == score_name(f"{first} {second} {third}")
    assert score_name(f"/ {first} {second}") == 0.0 and score_name(f"{first} {second} /") == 0.0


@pytest.mark.parametrize(("text", "name"), [("VŨ Thu Lan", True), ("ĐỖ Ngọc Hương", True), ("LE Van Minh", True),
                                            ("HS Thu Lan", False), ("VP Thu Lan", False), ("HR Anna Smith", False)])
def test_a_two_letter_family_name_in_capitals_is_a_syllable_not_a_monogram(text: str, name: bool) -> None:
    # Vietnamese family names are short; a company's monogram ('HS' of Hanbit Solutions, read as a line of its own
    # over the name) or a title's letters are no family name.
    assert (score_name(text) > 0) == name


@pytest.mark.parametrize(("text", "name"), [("Conceição CORREIA", True), ("Conceicao RODRIGUES", True),
                                            ("Direção Hidráulica", False), ("DIREÇÃO HIDRÁULICA", False)])
def test_a_given_name_ending_as_a_common_noun_is_a_name_beside_a_family_name_in_capitals(text: str,
                                                                                          name: bool) -> None:
    assert (score_name(text) > 0) == name


def test_nameparser_settings_are_built_once_and_left_as_built() -> None:
    """nameparser resolves its settings into a lexicon once per settings object (~2 ms a Latin name when each
    name made new ones); one object serves every name, and splitting names does not change it."""
    from pipeline.extract.names import _nameparser_constants

    constants = _nameparser_constants()
    generation = constants._generation
    assert split_name("Dean Bishop") == split_name("Dean Bishop")
    assert split_name("Dean Bishop").given == "Dean"  # its own titles stay out: 'Dean' is a given name here
    assert _nameparser_constants() is constants and constants._generation == generation
