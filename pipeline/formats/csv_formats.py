"""Contacts as the CSV files Google Contacts and Outlook import.

Google: the header Google Contacts writes on "Export > Google CSV" and reads back on import — fixed
columns, then numbered groups ("E-mail 1 - Label", "E-mail 1 - Value", ...), as many as the contact with
the most needs; several values in one cell are separated by " ::: ".
Outlook: the 92 columns of the classic Outlook "Export to a file > Comma Separated Values" layout, which
Outlook and Outlook.com import by name; it has fixed slots (three e-mails, two business phones ...).

Both are UTF-8 with a byte order mark, so that Excel opens Cyrillic as Cyrillic, and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable

import phonenumbers

from pipeline.formats.record import ContactRecord, PhoneEntry

BOM = "\ufeff"
# OWASP "CSV Injection": a cell starting with one of these is a formula to Excel, LibreOffice and Google
# Sheets (=HYPERLINK(...), =cmd|' /C calc'!A0 ...); a leading apostrophe makes it text, shown without it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ... except what we write ourselves in a form the importers need: a phone (+7 495 123-45-67 ext. 123)
# and Google's birthday without a year (--05-17). Digits, spaces and hyphens call nothing, and an
# apostrophe in front would reach Google and Outlook as part of the number or the date.
OUR_CELLS = re.compile(r"\+\d[\d -]*(?: ext\. \d+)?|--\d\d-\d\d")

GOOGLE_FIXED = (
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name", "Phonetic Last Name",
    "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name", "Organization Title",
    "Organization Department", "Birthday", "Notes", "Photo", "Labels",
)
GOOGLE_ADDRESS_PARTS = ("Label", "Formatted", "Street", "City", "PO Box", "Region", "Postal Code", "Country",
                        "Extended Address")
GOOGLE_PHONE_LABELS = {"mobile": "Mobile", "work": "Work", "fax": "Work Fax", "home": "Home", "other": "Other"}

OUTLOOK_COLUMNS = (
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
    "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
    "Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3", "Home City",
    "Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2", "Other Street 3",
    "Other City", "Other State", "Other Postal Code", "Other Country/Region", "Assistant's Phone", "Business Fax",
    "Business Phone", "Business Phone 2", "Callback", "Car Phone", "Company Main Phone", "Home Fax", "Home Phone",
    "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone",
    "TTY/TDD Phone", "Telex", "Account", "Anniversary", "Assistant's Name", "Billing Information", "Birthday",
    "Business Address PO Box", "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type",
    "E-mail Display Name", "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address",
    "E-mail 3 Type", "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box",
    "Initials", "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
    "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private", "Profession",
    "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page",
)
# Which Outlook phone slots each of our phone types fills, in order; a phone with no free slot is left out.
OUTLOOK_PHONE_SLOTS = {"mobile": ("Mobile Phone",), "work": ("Business Phone", "Business Phone 2"),
                       "fax": ("Business Fax",), "home": ("Home Phone", "Home Phone 2"), "other": ("Other Phone",)}


def google_csv(records: Iterable[ContactRecord]) -> str:
    records = list(records)
    counts = {kind: max([1, *(len(getattr(r, kind)) for r in records)])
              for kind in ("emails", "phones", "addresses", "websites")}
    header = [*GOOGLE_FIXED,
              *(f"E-mail {i} - {p}" for i in range(1, counts["emails"] + 1) for p in ("Label", "Value")),
              *(f"Phone {i} - {p}" for i in range(1, counts["phones"] + 1) for p in ("Label", "Value")),
              *(f"Address {i} - {p}" for i in range(1, counts["addresses"] + 1) for p in GOOGLE_ADDRESS_PARTS),
              *(f"Website {i} - {p}" for i in range(1, counts["websites"] + 1) for p in ("Label", "Value"))]
    return _write(header, records, _google_row)


def _google_row(r: ContactRecord) -> dict[str, str]:
    name = r.name
    row = {"First Name": name.given if name else None, "Middle Name": name.middle if name else None,
           "Last Name": name.family if name else None, "Name Prefix": name.prefix if name else None,
           "Name Suffix": name.suffix if name else None,
           "Nickname": r.alt_name.full if r.alt_name else (r.nicknames[0] if r.nicknames else None),
           "File As": r.name.full if r.name else None, "Organization Name": r.organization,
           "Organization Title": r.title, "Organization Department": r.department,
           "Birthday": _birthday(r, "%Y-%m-%d", "--%m-%d"), "Notes": r.notes,
           # Google turns labels into contact groups, as it does with vCard CATEGORIES.
           "Labels": " ::: ".join(["* myContacts", *r.interests])}
    if name and not (name.given or name.family):
        row["First Name"] = name.full  # a name never split into parts still reaches Google whole
    for i, email in enumerate(r.emails, 1):
        row |= {f"E-mail {i} - Label": ("* " if i == 1 else "") + "Work", f"E-mail {i} - Value": email}
    for i, phone in enumerate(r.phones, 1):
        label = ("* " if phone.preferred else "") + GOOGLE_PHONE_LABELS.get(phone.type, "Other")
        row |= {f"Phone {i} - Label": label, f"Phone {i} - Value": phone_text(phone)}
    for i, address in enumerate(r.addresses, 1):
        row |= {f"Address {i} - Label": "Work", f"Address {i} - Formatted": address, f"Address {i} - Street": address}
    for i, url in enumerate(r.websites, 1):
        row |= {f"Website {i} - Label": "Work", f"Website {i} - Value": url}
    return {k: v for k, v in row.items() if v}


def outlook_csv(records: Iterable[ContactRecord]) -> str:
    return _write(list(OUTLOOK_COLUMNS), list(records), _outlook_row)


def _outlook_row(r: ContactRecord) -> dict[str, str]:
    name = r.name
    row = {"Title": name.prefix if name else None, "First Name": name.given if name else None,
           "Middle Name": name.middle if name else None, "Last Name": name.family if name else None,
           "Suffix": name.suffix if name else None, "Company": r.organization, "Department": r.department,
           "Job Title": r.title, "Business Street": r.addresses[0] if r.addresses else None,
           # Outlook reads dates in the form it writes them; it has no birthday without a year.
           "Birthday": _birthday(r, "%m/%d/%Y", None), "Categories": ";".join(r.categories), "Notes": r.note,
           "Web Page": r.websites[0] if r.websites else None}
    if name and not (name.given or name.family):
        row["First Name"] = name.full
    free = {kind: list(slots) for kind, slots in OUTLOOK_PHONE_SLOTS.items()}
    for phone in r.phones:
        slots = free.get(phone.type) or free["other"]
        if slots:
            row[slots.pop(0)] = phone_text(phone)
        if phone.preferred:
            row["Primary Phone"] = phone_text(phone)
    for i, email in enumerate(r.emails[:3], 1):
        prefix = "E-mail" if i == 1 else f"E-mail {i}"
        row |= {f"{prefix} Address": email, f"{prefix} Type": "SMTP",
                f"{prefix} Display Name": f"{name.full} ({email})" if name else email}
    return {k: v for k, v in row.items() if v}


def phone_text(phone: PhoneEntry) -> str:
    """+7 495 123-45-67 ext. 123: international, readable, and read back the same by both importers."""
    number = phonenumbers.parse(phone.e164)
    text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return text + (f" ext. {phone.extension}" if phone.extension else "")


def _birthday(r: ContactRecord, with_year: str, without_year: str | None) -> str | None:
    if r.birthday is None:
        return None
    if r.birthday_has_year:
        return r.birthday.strftime(with_year)
    return r.birthday.strftime(without_year) if without_year else None


def inert(cell: str) -> str:
    """A cell a spreadsheet shows as text and never evaluates (OWASP CSV injection rule)."""
    if cell.startswith(FORMULA_STARTS) and not OUR_CELLS.fullmatch(cell):
        return "'" + cell
    return cell


def _write(header: list[str], records: list[ContactRecord], row: Callable[[ContactRecord], dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="", extrasaction="raise", lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        # Every cell, whatever its column: a name, a note or a company from a hand edit or an imported
        # vCard is as much under someone else's control as a note.
        writer.writerow({key: inert(value) for key, value in row(record).items()})
    return BOM + out.getvalue()
