"""What a card's QR code says (vCard, MeCard or a URL), merged with the OCR reading as the strongest evidence.

The code was written by a machine, so where it and OCR disagree by a digit or two the code is
right: a phone or e-mail OCR read one character off is dropped in favour of the code's.
"""

from __future__ import annotations

import re
from dataclasses import replace

import phonenumbers
from rapidfuzz.distance import Levenshtein

from pipeline.core.config import DEFAULT_EDIT_REGION
from pipeline.core.types import CardFields, NameParts, Phone, PhoneType
from pipeline.extract.lexicon import fold
from pipeline.extract.names import split_name
from pipeline.extract.phones import parse_phone, type_of
from pipeline.extract.text import script
from pipeline.extract.vcard import VCardError, read_vcards
from pipeline.extract.web import is_social, normalise_url

NEAR_MISS = 2  # characters: an OCR reading this close to the code's is the same item misread


def parse_code(text: str, region: str | None) -> CardFields | None:
    """The contact fields in a QR payload, or None when it holds none (a Wi-Fi login, plain text).
    Web addresses are normalised and sorted into websites and social profiles, e-mails validated."""
    head = text.lstrip()[:12].upper()
    if head.startswith("BEGIN:VCARD"):
        return _from_vcard(text, region)
    if head.startswith("MECARD:"):
        return _from_mecard(text, region)
    url = normalise_url(text.strip()) if re.match(r"(?i)(https?://|www\.)\S+$", text.strip()) else None
    return _with_urls(CardFields(), [url]) if url else None


def _from_vcard(text: str, region: str | None) -> CardFields | None:
    try:
        cards = read_vcards(text, region or DEFAULT_EDIT_REGION)
    except VCardError:
        return None  # a damaged code is just no evidence
    if not cards:
        return None
    f = cards[0].fields
    urls = [u for u in (normalise_url(x) for x in f.websites + f.social) if u]
    f.emails = [e for e in (_email(x) for x in f.emails) if e]
    return _with_urls(f, urls)


def _with_urls(fields: CardFields, urls: list[str]) -> CardFields:
    fields.websites = [u for u in urls if not is_social(u)]
    fields.social = [u for u in urls if is_social(u)]
    return fields


def _from_mecard(text: str, region: str | None) -> CardFields:
    """MeCard (NTT Docomo's format: `MECARD:N:Doe,John;TEL:...;;`); small enough that no library is kept for it."""
    out, urls = CardFields(), []
    for key, value in _mecard_fields(text.strip()[len("MECARD:"):]):
        if key == "N":
            family, _, given = value.partition(",")
            out.name_parts = NameParts(given=given.strip() or None, family=family.strip() or None)
            out.name = " ".join(p for p in (given.strip(), family.strip()) if p) or None
        elif key == "TEL":
            _add_phone(out, value, "other", region)
        elif key == "EMAIL" and (email := _email(value)):
            out.emails.append(email)
        elif key == "URL" and (url := normalise_url(value)):
            urls.append(url)
        elif key == "ORG":
            out.company = value
        elif key == "TITLE":
            out.title = value
        elif key == "ADR":
            out.address = ", ".join(p.strip() for p in value.split(",") if p.strip())
    return _with_urls(out, urls)


def _mecard_fields(body: str) -> list[tuple[str, str]]:
    parts, current, escaped = [], "", False
    for ch in body:
        if escaped:
            current, escaped = current + ch, False
        elif ch == "\\":
            escaped = True
        elif ch == ";":
            parts.append(current)
            current = ""
        else:
            current += ch
    return [(k.upper(), v.strip()) for k, _, v in (p.partition(":") for p in parts if ":" in p) if v.strip()]


def _email(value: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email  # as emails.normalise does

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _add_phone(out: CardFields, value: str, kind: PhoneType, region: str | None) -> None:
    phone = parse_phone(value, region or DEFAULT_EDIT_REGION, kind)
    if phone and phone.number not in {p.number for p in out.phones}:
        out.phones.append(phone)


def merge_code(fields: CardFields, code: CardFields) -> None:
    """Fold what a QR code says into the OCR reading; the code wins where both speak."""
    _merge_name(fields, code)
    for attr in ("company", "department", "title", "address"):
        value = getattr(code, attr)
        if value:
            setattr(fields, attr, value)
            fields.confidence[attr] = 1.0
    _merge_phones(fields, code.phones)
    _merge_emails(fields, code.emails)
    fields.websites += [u for u in code.websites if u not in fields.websites]
    fields.social += [u for u in code.social if u not in fields.social]
    fields.guesses = [g for g in fields.guesses if not getattr(code, g, None)]


def _merge_name(fields: CardFields, code: CardFields) -> None:
    if not code.name or (fields.name and _fuller(fields.name, code.name_parts)):
        return
    if fields.name and script(fields.name) != script(code.name):
        # Another script than the printed name: the bilingual rule holds, the Russian form leads.
        russian_first = script(code.name) == "ru"
        keep, other = (code.name, fields.name) if russian_first else (fields.name, code.name)
        fields.name, fields.aliases = keep, [other, *(a for a in fields.aliases if a != other)]
        if russian_first:
            fields.name_parts = code.name_parts
    else:
        fields.name, fields.name_parts = code.name, code.name_parts or fields.name_parts
    fields.confidence["name"] = 1.0


def _merge_phones(fields: CardFields, phones: list[Phone]) -> None:
    coded = {p.number: p for p in phones}
    kept = []
    for p in fields.phones:
        if p.number in coded:
            kind = p.type if coded[p.number].type == "other" else coded[p.number].type
            kept.append(Phone(p.number, kind, p.extension or coded[p.number].extension, p.raw))
        elif not any(_near(p.number, q) and _same_kind(p, c) for q, c in coded.items()):
            kept.append(p)  # a fax one digit from the code's phone is the office's next line, not a misreading
    kept += [_typed(p) for n, p in coded.items() if n not in {k.number for k in kept}]
    fields.phones = kept
    if phones:
        fields.confidence["phones"] = 1.0 if len(kept) == len(coded) else fields.confidence.get("phones", 1.0)


def _merge_emails(fields: CardFields, emails: list[str]) -> None:
    kept = [e for e in fields.emails if e in emails or not any(_near(e, c) for c in emails)]
    fields.emails = kept + [e for e in emails if e not in kept]
    if emails and len(fields.emails) == len(emails):
        fields.confidence["emails"] = 1.0


def _fuller(printed: str, coded: NameParts | None) -> bool:
    """The printed name is the code's given and family name plus a patronymic, middle initial, prefix or
    suffix the code lacks (a MeCard has no field for them): 'Платон Степанович Беляев' over 'Платон Беляев'."""
    if coded is None or not (coded.given and coded.family):
        return False
    parts = split_name(printed)
    if not (parts.given and parts.family and fold(parts.given) == fold(coded.given)
            and fold(parts.family) == fold(coded.family)):
        return False
    return any(getattr(parts, k) and not getattr(coded, k) for k in ("middle", "prefix", "suffix"))


def _typed(phone: Phone) -> Phone:
    """A number only the code gives, without a type (MeCard has none): typed as an unlabelled printed one."""
    if phone.type != "other":
        return phone
    return replace(phone, type=type_of(phonenumbers.parse(phone.number)))


def _same_kind(read: Phone, coded: Phone) -> bool:
    return read.type == coded.type or (coded.type == "other" and read.type != "fax")


def _near(a: str, b: str) -> bool:
    return a != b and Levenshtein.distance(a.casefold(), b.casefold()) <= NEAR_MISS
