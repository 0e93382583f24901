import pytest

from pipeline.extract import extract
from pipeline.extract.names import score_name, split_name
from pipeline.types import OcrResult
from tests.conftest import lines_of


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
                                  "Innovative Solutions Group", "ИНН 7701234567"])
def test_company_title_and_slogan_lines_are_never_names(line: str) -> None:
    assert score_name(line) == 0


def test_bilingual_card_keeps_latin_name_as_alias() -> None:
    ocr = OcrResult(tuple(lines_of("Петров Сергей Николаевич", "Sergei Petrov", "Директор по развитию",
                                   "АО «Вектор»", "+7 495 765-43-21")), 1000, 600)
    fields = extract(ocr)
    assert fields.name == "Петров Сергей Николаевич"
    assert fields.aliases == ["Sergei Petrov"]
    assert fields.company == "АО «Вектор»"
    assert fields.title == "Директор по развитию"

