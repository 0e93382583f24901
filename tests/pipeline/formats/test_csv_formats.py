"""Google Contacts and Outlook CSV: their exact columns, UTF-8 with BOM, Cyrillic intact."""

import csv
import io

from sqlalchemy.orm import Session

from pipeline.formats.csv_formats import GOOGLE_FIXED, OUTLOOK_COLUMNS, google_csv, outlook_csv
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
