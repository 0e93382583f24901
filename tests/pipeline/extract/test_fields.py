"""The whole extraction stage on OCR lines as Tesseract gives them."""

from dataclasses import replace

import pytest

from pipeline.core.config import Settings
from pipeline.core.types import OcrLine, OcrResult, OcrWord
from pipeline.extract.fields import extract
from pipeline.extract.org import clean_company
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



def _at(text: str, left: int, top: int, height: int) -> OcrLine:
    """One OCR line of words `height` px high, starting at (left, top)."""
    words = tuple(OcrWord(w, 95.0, left + i * height * 4, top, height * 3, height) for i, w in enumerate(text.split()))
    return OcrLine(words)


def test_a_shop_card_has_no_person_and_its_logotype_is_the_company_the_domain_spells() -> None:
    # A São Paulo shop's card as PP-OCR read it: the logotype in two sizes, the e-mail spelling both parts.
    lines = (_at("DOMINIO", 200, 140, 120), _at("AUTO PECAS", 200, 265, 68),
             _at("contato@autopecasdominio.com.br", 60, 520, 70),
             _at("Lojas: Av. Rio das Pedras, 1553 - Tel/Fax: 3123-0800", 20, 640, 60))
    fields = extract(OcrResult(lines, 1280, 900), Settings(region="BR"))
    assert fields.name is None  # 'DOMINIO AUTO PECAS' has the form of a name, but 'Peças' is a trade
    assert fields.company == "DOMINIO AUTO PECAS"
    logo = (_at("nog", 300, 100, 600), _at("design", 300, 490, 140), _at("www.nogdesign.blogspot.com.br", 100, 760, 80))
    assert extract(OcrResult(logo, 1280, 900)).company == "nog design"


def test_a_tagline_a_list_of_services_or_a_trade_is_never_the_title() -> None:
    lines = lines_of("Aguinaldo M. Righetti Jr.", "Supermercado de Auto Peças",
                     "Escrituras, Inventários, Divorcio, União Estável", "Aceitamos os cartões")
    fields = extract(OcrResult(tuple(lines), 1000, 600), Settings(region="BR"))
    assert fields.name == "Aguinaldo M. Righetti Jr."
    assert fields.title is None
    assert fields.company != "Escrituras, Inventários, Divorcio, União Estável"


def test_a_shop_name_set_large_over_several_lines_is_one_company() -> None:
    # 'Flores Nossa' / 'Senhora de Fatima' set large (the two words of each row read as separate lines), phones in
    # smaller type below: the four lines are the shop's name, and 'Nossa Fatima' is no person.
    lines = (_at("Flores", 60, 94, 208), _at("Nossa", 700, 96, 220), _at("Senhora de", 100, 349, 167),
             _at("Fatima", 900, 368, 145), _at("Tel: (11) 2684-7988", 80, 560, 117), _at("3854-7828", 300, 660, 85),
             _at("floresnsfatima@hotmail.com", 60, 750, 88))
    fields = extract(OcrResult(lines, 2400, 900), Settings(region="BR"))
    assert fields.name is None
    assert fields.company == "Flores Nossa Senhora de Fatima" and "company" in fields.guesses
    # Type no larger than the rest of the card is no logotype: nothing is gathered around the line.
    small = (_at("Ricardo Nogueira", 60, 660, 53), _at("Criação de Campanhas", 60, 830, 37),
             _at("Links Patrocinados", 60, 865, 35), _at("& Midias Sociais", 60, 896, 37))
    assert extract(OcrResult(small, 1200, 1100)).company in (None, *(line.text.lstrip("& ") for line in small))


def test_a_word_printed_all_over_the_card_is_a_brand_and_payment_marks_are_no_company() -> None:
    lines = lines_of("PATRICAUTO", "PATRICAUTO", "ITO", "PATRICAUTO", "Supermercado de Auto Peças", "VISA",
                     "Master Card", "Pabx:(11)2131-3400-Fax:2131-3418")
    fields = extract(OcrResult(tuple(lines), 1000, 600), Settings(region="BR"))
    assert fields.name is None  # 'ITO PATRICAUTO' has a known family name, but PATRICAUTO is the brand
    assert fields.company not in ("VISA", "Master Card")


def test_two_words_run_together_are_parted_where_the_case_changes() -> None:
    assert clean_company("EletrônicaADACHI Ltda.") == "Eletrônica ADACHI Ltda."
    assert clean_company("McDONALD Inc") == "McDONALD Inc." and clean_company("DeWALT GmbH") == "DeWALT GmbH"


def test_a_company_takes_the_line_under_it_that_says_its_trade_but_not_a_tagline() -> None:
    # PP-OCR's lines of real_cards 806028261_256192.jpg
    lines = (_at("Daniel Carlos", 120, 147, 87), _at("Diretor Administrativo", 120, 236, 60),
             _at("BELTIS", 900, 317, 74), _at("(11) 2076 5555", 120, 393, 68), _at("IT Solutions", 900, 418, 45),
             _at("(11) 9 9374 0268", 120, 451, 72), _at("daniel.silva@beltis.com.br", 120, 520, 60),
             _at("www.beltis.com.br", 120, 760, 63))
    assert extract(OcrResult(lines, 1280, 900), Settings(region="BR")).company == "BELTIS IT Solutions"
    tagline = (_at("CHEVROLESTE", 200, 409, 192), _at("PEÇAS ORIGINAIS CHEVROLET", 200, 585, 67),
               _at("www.chevroleste.com.br", 200, 737, 85))
    fields = extract(OcrResult(tagline, 1280, 900), Settings(region="BR"))
    assert (fields.company, fields.name) == ("CHEVROLESTE", None)


def _line(text: str, top: int, height: int, left: int = 100) -> OcrLine:
    """One OCR line at a place and type size of our choosing (lines_of sets every line alike)."""
    words, x = [], left
    for w in text.split():
        words.append(OcrWord(w, 95.0, x, top, int(0.6 * height * len(w)), height))
        x += int(0.6 * height * (len(w) + 1))
    return OcrLine(tuple(words))


def test_an_owner_set_under_the_trade_in_its_capitals_is_the_shop_not_a_person() -> None:
    # 'AUTO SOCORRO' over 'R. OLIVEIRA' (a real card): the shop is named after its owner; no person on the card.
    ocr = OcrResult((_line("AUTO SOCORRO", 10, 130), _line("R. OLIVEIRA", 160, 75, left=400),
                     _line("Aceitamos os cartões", 300, 50, left=800), _line("Tel 11 9.4000-4561", 680, 60)),
                    1600, 900)
    fields = extract(ocr, Settings(region="BR"))
    assert fields.name is None
    assert fields.company == "AUTO SOCORRO R. OLIVEIRA"


def test_a_name_under_a_trade_line_in_other_type_or_far_from_it_is_a_person() -> None:
    # In mixed case under a trade line in capitals, or set well apart from it: a person ('Guilherme e Esteves').
    mixed = extract(OcrResult((_line("ESTETICA AUTOMOTIVA", 470, 65), _line("Guilherme e Esteves", 545, 70)),
                              1600, 900))
    assert mixed.name == "Guilherme e Esteves"
    apart = extract(OcrResult((_line("AUTO SOCORRO", 10, 130), _line("ROBERTO OLIVEIRA", 400, 75)), 1600, 900))
    assert apart.name == "ROBERTO OLIVEIRA"


def test_an_owner_the_email_spells_is_a_person() -> None:
    ocr = OcrResult((_line("BÄCKEREI", 10, 120), _line("KARL MÜLLER", 140, 80),
                     _line("karl.mueller@example.de", 400, 40)), 1600, 900)
    assert extract(ocr).name == "KARL MÜLLER"


def test_two_people_sharing_a_card_are_one_name_line() -> None:
    ocr = OcrResult(tuple(lines_of("Sianatel", "Eliete / Ana Paula", "Tel: 2685-2862")), 1000, 600)
    assert extract(ocr, Settings(region="BR")).name == "Eliete / Ana Paula"


def test_a_title_by_place_is_in_the_names_column_not_a_service_list_beside_it() -> None:
    # 'Altair D'Auria Miranda' on the right; a list of services ('Laser colorida', 'Matricial') down the left.
    beside = OcrResult((_line("Impressoras Laser", 130, 65, left=80), _line("Xerox Colorida", 190, 65, left=80),
                        _line("Altair D'Auria Miranda", 266, 67, left=860)), 1600, 900)
    assert extract(beside).title is None
    under = OcrResult((_line("Altair D'Auria Miranda", 266, 67, left=860),
                       _line("Proje Yöneticisi", 340, 60, left=860)), 1600, 900)
    assert extract(under).title == "Proje Yöneticisi"


def _line(text: str, top: int, height: int, left: int = 40) -> OcrLine:
    return OcrLine(tuple(OcrWord(w, 95.0, left + 3 * height * i, top, 3 * height - 5, height)
                         for i, w in enumerate(text.split())))


@pytest.mark.parametrize(("family", "height", "gap"), [("Гаврилюк", 50, 10), ("ГАВРИЛЮК", 40, 60), ("Цой", 30, 50)])
def test_a_family_name_on_its_own_line_over_given_name_and_patronymic_is_kept(family: str, height: int,
                                                                              gap: int) -> None:
    """Issue 13: the family name set large (or far) over 'Олег Петрович' was lost, the name read without it."""
    lines = [_line(family, 20, height), _line("Олег Петрович", 20 + height + gap, 20),
             _line("Главный инженер", 70 + height + gap, 16), _line("ООО «Вектор»", 320, 18),
             _line("+7 495 765-43-21", 360, 16)]
    fields = extract(OcrResult(tuple(lines), 1000, 600))
    assert fields.name == f"{family} Олег Петрович"
    assert (fields.name_parts.family, fields.name_parts.given, fields.name_parts.middle) == (
        family, "Олег", "Петрович")


def test_a_title_over_given_name_and_patronymic_is_no_family_name() -> None:
    lines = [_line("Директор", 20, 40), _line("Олег Петрович", 120, 20), _line("ООО «Вектор»", 320, 18)]
    fields = extract(OcrResult(tuple(lines), 1000, 600))
    assert (fields.name, fields.title) == ("Олег Петрович", "Директор")


def test_a_department_led_by_its_noun_is_no_title() -> None:
    """Issue 13: 'Département Marketing' was taken for the title (marketing is a title word)."""
    fields = extract(OcrResult(tuple(lines_of("Claire Dubois", "Responsable Export", "Département Marketing",
                                              "Vinexa SAS", "claire.dubois@vinexa.fr")), 1000, 600))
    assert (fields.title, fields.department) == ("Responsable Export", "Département Marketing")


def test_a_logotype_over_given_name_and_patronymic_is_no_family_name() -> None:
    """Set as far over the name as a family name may be (farther than a two-line name's lines)."""
    lines = [_line("ПромАвтоматика", 20, 40), _line("Олег Петрович", 130, 20), _line("Главный инженер", 170, 16)]
    fields = extract(OcrResult(tuple(lines), 1000, 600))
    assert fields.name == "Олег Петрович"
