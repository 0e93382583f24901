"""QR payloads (vCard, MeCard, URL) and how they overrule the OCR reading."""

from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.types import CardFields, NameParts, Phone
from pipeline.extract.codes import merge_code, parse_code

VCARD = """BEGIN:VCARD
VERSION:3.0
N:Петров;Иван;Сергеевич;;
FN:Иван Сергеевич Петров
ORG:ООО «Ромашка»;Отдел продаж
TITLE:Директор по продажам
TEL;TYPE=CELL:+7 916 123-45-67
TEL;TYPE=WORK,FAX:+7 (495) 123-45-68
EMAIL:i.petrov@romashka.ru
URL:https://www.romashka.ru
ADR;TYPE=WORK:;;ул. Ленина, д. 1;Москва;;101000;Россия
END:VCARD"""


def test_a_vcard_code_gives_every_field() -> None:
    code = parse_code(VCARD, "RU")
    assert code is not None
    assert (code.name, code.name_parts) == (
        "Иван Сергеевич Петров", NameParts("Иван", "Сергеевич", "Петров", None, None))
    assert (code.company, code.department, code.title) == ("ООО «Ромашка»", "Отдел продаж", "Директор по продажам")
    assert [(p.number, p.type) for p in code.phones] == [("+79161234567", "mobile"), ("+74951234568", "fax")]
    assert code.emails == ["i.petrov@romashka.ru"] and code.websites == ["https://romashka.ru"]
    assert code.address == "ул. Ленина, д. 1, Москва, 101000, Россия"


def test_a_mecard_code_with_escapes() -> None:
    code = parse_code(r"MECARD:N:Doe,Jane;TEL:+14155550123;EMAIL:jane@acme.io;ORG:Acme\; Sons;;", "US")
    assert code is not None
    assert (code.name, code.company) == ("Jane Doe", "Acme; Sons")
    assert [p.number for p in code.phones] == ["+14155550123"] and code.emails == ["jane@acme.io"]


def test_a_url_code_is_a_website_and_other_payloads_are_nothing() -> None:
    code = parse_code("https://www.acme.io/team", None)
    assert code is not None and code.websites == ["https://acme.io/team"]
    assert parse_code("WIFI:S:guest;T:WPA;P:secret;;", None) is None
    assert parse_code("BEGIN:VCARD\nthis is not one", None) is None


def test_the_code_overrules_a_misread_digit_but_keeps_the_office_line() -> None:
    read = CardFields(name="Иван Петров", phones=[Phone("+79161234561", "mobile"), Phone("+74951234560", "work")],
                      emails=["i.petrov@rornashka.ru"], guesses=["company"], company="Ромашка")
    code = parse_code(VCARD, "RU")
    assert code is not None
    merge_code(read, code)
    assert [(p.number, p.type) for p in read.phones] == [
        ("+74951234560", "work"), ("+79161234567", "mobile"), ("+74951234568", "fax")]
    assert read.emails == ["i.petrov@romashka.ru"]  # the misread address is gone, not kept beside the right one
    assert read.name == "Иван Сергеевич Петров" and read.company == "ООО «Ромашка»" and read.guesses == []
    assert read.confidence["name"] == 1.0


def test_a_latin_code_on_a_russian_card_becomes_the_alias() -> None:
    read = CardFields(name="Иван Петров")
    code = parse_code("MECARD:N:Petrov,Ivan;;", None)
    assert code is not None
    merge_code(read, code)
    assert (read.name, read.aliases) == ("Иван Петров", ["Ivan Petrov"])


def test_a_printed_patronymic_or_suffix_the_mecard_lacks_is_kept() -> None:
    for printed, mecard in [("Попова Ольга Витальевна", "MECARD:N:Попова,Ольга;;"),
                            ("IAN STANTON, MBA", "MECARD:N:Stanton,Ian;;")]:
        read = CardFields(name=printed)
        code = parse_code(mecard, None)
        assert code is not None
        merge_code(read, code)
        assert read.name == printed
    # A company's name OCR ran into the person's name is no patronymic: the code's name wins.
    read = CardFields(name="Профиль Антонина Зайцева")
    code = parse_code("MECARD:N:Зайцева,Антонина;;", None)
    assert code is not None
    merge_code(read, code)
    assert read.name == "Антонина Зайцева"


def test_a_number_only_an_untyped_code_gives_is_typed_like_an_unlabelled_printed_one() -> None:
    read = CardFields(name="Jane Doe", phones=[Phone("+14155550123", "fax")])
    code = parse_code("MECARD:N:Doe,Jane;TEL:+14155550123;TEL:+447911123456;TEL:+442071234567;;", "US")
    assert code is not None
    merge_code(read, code)
    assert [(p.number, p.type) for p in read.phones] == [
        ("+14155550123", "fax"), ("+447911123456", "mobile"), ("+442071234567", "work")]


mecard_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda t: t.strip() == t and t)


@given(mecard_text)
def test_any_organisation_name_survives_mecard_escaping(org: str) -> None:
    escaped = "".join("\\" + ch if ch in ";:,\\" else ch for ch in org)
    code = parse_code(f"MECARD:N:Doe,Jane;ORG:{escaped};;", None)
    assert code is not None and code.company == org
