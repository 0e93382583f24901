import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.phones import find_phones, guess_region, repair_digits
from tests.conftest import lines_of


@pytest.mark.parametrize(
    ("text", "number", "kind", "ext"),
    [
        ("Тел.: +7 (495) 123-45-67", "+74951234567", "work", None),
        ("т. 8 (812) 555-12-34 доб. 221", "+78125551234", "work", "221"),
        ("Моб.: +7 916 765-43-21", "+79167654321", "mobile", None),
        ("Факс: +7 (495) 123-45-68", "+74951234568", "fax", None),
        ("+7 903 111 22 33", "+79031112233", "mobile", None),
        ("Mobile: +1 (415) 867-5309", "+14158675309", "mobile", None),
        ("F +44 20 7946 0018", "+442079460018", "fax", None),
        ("Office (212) 736-5000 ext. 42", "+12127365000", "work", "42"),
        ("Тел.: +7(3952)94-21-38 (доб. 3108)", "+73952942138", "work", "3108"),
        ("Т: +7(812}465-31-17", "+78124653117", "work", None),  # a bracket read as a brace
        ("Е; +1 212 329 0175", "+12123290175", "fax", None),  # 'F:' as OCR reads it
    ],
)
def test_phone_number_type_and_extension(text: str, number: str, kind: str, ext: str | None) -> None:
    found = find_phones(lines_of(text), guess_region(text, None))
    assert [(f.phone.number, f.phone.type, f.phone.extension) for f in found] == [(number, kind, ext)]


@pytest.mark.parametrize(
    "text",
    [
        "ИНН 7701234567 КПП 770101001",
        "ОГРН 1027700132195",
        "01.02.2024",
        "123456, г. Москва",
        "р/с 40702810900000012345",
        "HRB 90432 Amtsgericht Hamburg",
        "354058, г. Сочи, ул. Полевая, д. 29, офис 370",
    ],
)
def test_registry_numbers_dates_and_postcodes_are_not_phones(text: str) -> None:
    assert find_phones(lines_of(text), "RU") == []


def test_two_labelled_numbers_on_one_line_keep_their_own_types() -> None:
    found = find_phones(lines_of("Тел. +7 495 123-45-67 Факс +7 495 123-45-68"), "RU")
    assert [f.phone.type for f in found] == ["work", "fax"]


def test_letter_o_inside_digits_is_read_as_zero() -> None:
    assert repair_digits("+7 (495) 1O3-45-67") == "+7 (495) 103-45-67"
    assert repair_digits("Олег") == "Олег"


@given(st.integers(min_value=2_000_000, max_value=9_999_999), st.sampled_from(["495", "499", "812", "343"]))
def test_any_valid_moscow_or_city_number_round_trips(local: int, area: str) -> None:
    e164 = f"+7{area}{local}"
    number = phonenumbers.parse(e164)
    if not phonenumbers.is_valid_number(number):
        return
    for fmt in (phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL):
        text = "Тел.: " + phonenumbers.format_number(number, fmt)
        found = find_phones(lines_of(text), "RU")
        assert [f.phone.number for f in found] == [e164]


def test_labelled_number_without_country_clue_tries_other_regions() -> None:
    assert [f.phone.number for f in find_phones(lines_of("Mobile 07426 393097"), "US")] == ["+447426393097"]


def test_a_bilingual_card_with_latin_addresses_still_dials_russian_numbers() -> None:
    from pipeline.extract.phones import guess_region

    text = ("ООО «Стандарт-Качество»\nНовиков Роман Геннадьевич\nRoman Novikov\nИсполнительный директор\n"
            "Executive Director\n8-383-658-25-29 м. 8-916-545-72-32\nEmail: novikov.rg@standart-kachestvo.ru\n"
            "https://standart-kachestvo.ru")
    assert guess_region(text, None) == "RU"
    assert guess_region("Jane Doe\nAcme Inc.\njane@acme.com", None) == "US"


def test_two_numbers_run_together_on_one_line_are_split_where_only_one_split_works() -> None:
    from pipeline.core.types import OcrResult
    from pipeline.extract.fields import extract

    fields = extract(OcrResult(tuple(lines_of("Игнат Белецкий", "тел.: 8 4852 25 9987 8920 825 00 40")), 1000, 600))
    assert [(p.number, p.type) for p in fields.phones] == [("+74852259987", "work"), ("+79208250040", "mobile")]
    inn = extract(OcrResult(tuple(lines_of("Игнат Белецкий", "ИНН 7604123456 КПП 760401001 00 40")), 1000, 600))
    assert inn.phones == []


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("T:0511/82039967 M:0179/3458072\nE gfischer@bluepeakanalytics.de www.bluepeakanalytics.de", "DE"),
        ("Bluepeak Analytics GmbH\nT: 0511/82039967", "DE"),
        ("Eletrônica ADACHI Ltda.\n2294-9484", "BR"),
        ("contato@padaria.com.br\n(11) 2294-9484", "BR"),
        ("Acme Widgets\nsales@acme.com\n(212) 736-5000", "US"),
    ],
)
def test_a_card_without_country_codes_is_placed_by_its_domain_or_legal_form(text: str, region: str) -> None:
    assert guess_region(text, None) == region


def test_a_german_mobile_without_country_code_is_german_not_british() -> None:
    text = "T:0511/82039967 M:0179/3458072\nE gfischer@bluepeakanalytics.de"
    found = find_phones(lines_of(*text.splitlines()), guess_region(text, None))
    assert [p.phone.number for p in found] == ["+4951182039967", "+491793458072"]
