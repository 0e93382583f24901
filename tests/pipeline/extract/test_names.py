import pytest

from pipeline.extract.names import score_name, split_name


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
