"""The whole extraction stage on OCR lines as Tesseract gives them."""

from pipeline.extract import extract
from pipeline.types import OcrResult
from tests.conftest import lines_of


def test_bilingual_card_keeps_latin_name_as_alias() -> None:
    ocr = OcrResult(tuple(lines_of("Петров Сергей Николаевич", "Sergei Petrov", "Директор по развитию",
                                   "АО «Вектор»", "+7 495 765-43-21")), 1000, 600)
    fields = extract(ocr)
    assert fields.name == "Петров Сергей Николаевич"
    assert fields.aliases == ["Sergei Petrov"]
    assert fields.company == "АО «Вектор»"
    assert fields.title == "Директор по развитию"


def test_two_line_title_and_department() -> None:
    ocr = OcrResult(tuple(lines_of("Седых Прохор Захарович", "Исполнительный директор",
                                   "Отдел внешнеэкономической", "деятельности", "ООО «Вкусный Дом»")), 1000, 600)
    fields = extract(ocr)
    assert fields.title == "Исполнительный директор"
    assert fields.department == "Отдел внешнеэкономической деятельности"


def test_a_field_picked_without_evidence_says_it_is_a_guess() -> None:
    sure = extract(OcrResult(tuple(lines_of("Петров Сергей Николаевич", "АО «Вектор»", "+7 495 765-43-21")), 1000, 600))
    assert sure.guesses == []
    # An unknown given name, and a company known only by the e-mail domain: both picked by weaker evidence.
    unsure = extract(OcrResult(tuple(lines_of("Zorblat Quenn", "Nimbus Works", "zq@nimbusworks.com")), 1000, 600))
    assert (unsure.name, unsure.company) == ("Zorblat Quenn", "Nimbus Works")
    assert unsure.guesses == ["name", "company"]
    assert unsure.confidence["company"] < sure.confidence["company"]
