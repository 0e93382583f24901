"""The whole extraction stage on OCR lines as Tesseract gives them."""

from dataclasses import replace

from pipeline.core.types import OcrLine, OcrResult
from pipeline.extract.fields import extract
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
    # An unknown given name, and a company picked by layout alone (nothing on the card vouches for it).
    unsure = extract(OcrResult(tuple(lines_of("Zorblat Quenn", "Sales Manager", "Nimbus Orbital", "zq@gmail.com")),
                               1000, 600))
    assert (unsure.name, unsure.company) == ("Zorblat Quenn", "Nimbus Orbital")
    assert unsure.guesses == ["name", "company"]
    assert unsure.confidence["company"] < sure.confidence["company"]


def test_a_company_its_card_vouches_for_is_no_guess() -> None:
    # The e-mail's domain spells the company; a legal form with the name in quotes is the other voucher.
    by_domain = extract(OcrResult(tuple(lines_of("Zorblat Quenn", "Nimbus Works", "zq@nimbusworks.com")), 1000, 600))
    assert by_domain.company == "Nimbus Works" and "company" not in by_domain.guesses
    assert by_domain.confidence["company"] >= 0.6
    quoted = extract(OcrResult(tuple(lines_of("Осипов Родион Романович", 'ООО "ИНФОТЕХ"', "+7 4012 65-72-92")),
                               1000, 600))
    assert quoted.company == 'ООО "ИНФОТЕХ"' and "company" not in quoted.guesses


def test_the_title_is_the_title_line_under_the_name_not_the_tagline_over_it() -> None:
    ocr = OcrResult(tuple(lines_of("Meridian Freight LLC", "Engineering the future", "Theodore M. Lindqvist",
                                   "Senior Account Manager", "Direct: +1 (323) 689-9283")), 1000, 600)
    assert extract(ocr).title == "Senior Account Manager"


def test_a_title_broken_after_a_comma_is_joined() -> None:
    ocr = OcrResult(tuple(lines_of("Henry Callahan", "Vice President,", "Business Development",
                                   "Ashford Biotech LLC")), 1000, 600)
    assert extract(ocr).title == "Vice President, Business Development"


def test_a_bare_logotype_is_the_company_as_a_guess() -> None:
    ocr = OcrResult(tuple(lines_of("ПромАвтоматика", "Фролов Иван Васильевич", "ВЕДУЩИЙ ИНЖЕНЕР",
                                   "т. +7 4872 38-03-98", "г. Тула, пр-т Мира, д. 59, оф. 695")), 1000, 600)
    fields = extract(ocr)
    assert (fields.company, fields.guesses) == ("ПромАвтоматика", ["company"])
    assert fields.address == "г. Тула, пр-т Мира, д. 59, оф. 695"


def test_a_department_line_is_never_the_company_by_layout() -> None:
    ocr = OcrResult(tuple(lines_of("Юридический отдел", "Фролов Иван Васильевич", "т. +7 4872 38-03-98")), 1000, 600)
    assert extract(ocr).company is None


def _below(lines: list[OcrLine], down: int) -> list[OcrLine]:
    return [OcrLine(tuple(replace(w, top=w.top + down) for w in line.words)) for line in lines]


def test_a_title_whose_first_line_the_lexicon_does_not_know_is_read_whole() -> None:
    name = lines_of("Николай Береговой", height=70)
    rest = _below(lines_of("Системный", "администратор", "ООО Азимут", height=30), 90)
    assert extract(OcrResult((*name, *rest), 1000, 600)).title == "Системный администратор"


def test_a_lower_case_cyrillic_second_line_is_joined_though_it_measures_smaller() -> None:
    # No ascenders in 'с ключевыми клиентами': Tesseract's boxes make it ~0.6 the height of the line above.
    upper = lines_of("Ярослава Колобова", "Старший менеджер по работе", height=43)
    fields = extract(OcrResult((*upper, *_below(lines_of("с ключевыми клиентами", height=25), 80)), 1000, 600))
    assert fields.title == "Старший менеджер по работе с ключевыми клиентами"


def test_a_title_does_not_run_on_into_the_address_under_it() -> None:
    ocr = OcrResult(tuple(lines_of("Ирина Седова", "Директор по развитию", "г. Калининград, Комсомольский пр-т,",
                                   "д. 63, корп. 3")), 1000, 600)
    fields = extract(ocr)
    assert fields.title == "Директор по развитию"
    assert fields.address == "г. Калининград, Комсомольский пр-т, д. 63, корп. 3"


def test_a_name_on_two_lines_is_whole_though_an_icon_follows_it() -> None:
    family = lines_of("Сидоров", height=100)
    rest = _below(lines_of("Руслан Геннадьевич №", "Коммерческий директор", height=60), 110)
    fields = extract(OcrResult((*family, *rest), 1000, 600))
    assert fields.name == "Сидоров Руслан Геннадьевич"
    assert (fields.name_parts.family, fields.name_parts.middle) == ("Сидоров", "Геннадьевич")

