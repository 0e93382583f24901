"""vCards read into the fields a scanned card gives, plus what a card cannot say (birthday, note ...).

Used by `cardscan import` and by QR codes that hold a vCard. vobject parses (3.0 and 4.0, folded
lines, escapes); here the properties are mapped to CardFields.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from pipeline.core.config import DEFAULT_EDIT_REGION
from pipeline.core.errors import CardscanError
from pipeline.core.types import NO_YEAR, CardFields, NameParts, Outcome, Phone, PhoneType
from pipeline.extract.phones import parse_phone

if TYPE_CHECKING:
    import vobject

_TEL_TYPES: tuple[tuple[str, PhoneType], ...] = (("fax", "fax"), ("cell", "mobile"), ("home", "home"),
                                                  ("work", "work"))
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


class VCardError(CardscanError):
    """The file is not a vCard file; the message says what was wrong."""


@dataclass
class Extras:
    """What a vCard says that a business card does not."""

    birthday: date | None = None
    notes: str | None = None
    interests: list[str] = field(default_factory=list)
    preferred_phone: str | None = None
    addresses: list[str] = field(default_factory=list)  # after the first, which goes into the card's fields
    alt_company: str | None = None  # the company and title in the other language (4.0 ALTID alternatives)
    alt_title: str | None = None
    uid: str | None = None


@dataclass
class ImportedCard:
    fields: CardFields
    extras: Extras
    outcome: Outcome | None = None
    contact_id: int | None = None


def read_vcards(text: str, region: str = DEFAULT_EDIT_REGION) -> list[ImportedCard]:
    import vobject  # here, not at the top: only a vCard file or code needs it, and every scan imports this module

    try:
        cards = [_card(c, region) for c in vobject.readComponents(text, ignoreUnreadable=True)
                 if c.name == "VCARD"]
    except Exception as exc:  # vobject raises its own ParseError and plain ValueErrors alike
        raise VCardError(f"not a readable vCard file: {str(exc).splitlines()[0]}") from None
    return cards


def _card(vcard: vobject.base.Component, region: str) -> ImportedCard:
    lines = {name: vcard.contents.get(name, []) for name in vcard.contents}
    names = [line.value for line in lines.get("fn", []) if line.value]
    name = next((n for n in names if _CYRILLIC.search(n)), names[0] if names else None)
    parts = _name_parts(lines.get("n", []), name)
    orgs = [[v for v in _as_list(line.value) if v] for line in lines.get("org", [])]
    org_value, alt_org = _main_and_other([o for o in orgs if o], lambda o: o[0])
    title, alt_title = _main_and_other(
        [t.strip() for line in lines.get("title", []) if isinstance(t := line.value, str) and t.strip()], str)
    phones, preferred = _phones(lines.get("tel", []), region)
    emails = [line.value.strip().lower() for line in lines.get("email", []) if line.value]
    company = org_value[0] if org_value else None
    if _is_organization(lines, name, parts, company, emails, phones):
        name, names, parts = None, [], None
    addresses = _addresses(lines.get("adr", []))
    fields = CardFields(
        name=name, name_parts=parts,
        aliases=[n for n in [*names, *(line.value for line in lines.get("nickname", []))] if n and n != name],
        company=company, department=", ".join((org_value or [])[1:]) or None,
        title=title, phones=phones, emails=emails,
        websites=[line.value for line in lines.get("url", []) if line.value],
        address=addresses[0] if addresses else None,
        social=[line.value for key in ("socialprofile", "x-socialprofile") for line in lines.get(key, [])
                if line.value],
        language="ru" if name and _CYRILLIC.search(name) else None,
    )
    uid = _first(lines.get("uid"))
    extras = Extras(birthday=_birthday(lines.get("bday", [])), notes=_first(lines.get("note")),
                    interests=[c for line in lines.get("categories", []) for c in _as_list(line.value) if c],
                    preferred_phone=preferred, addresses=addresses[1:], alt_company=alt_org[0] if alt_org else None,
                    alt_title=alt_title, uid=uid.removeprefix("urn:uuid:") if uid else None)
    return ImportedCard(fields, extras)


def _main_and_other(values: list[Any], text: Any) -> tuple[Any, Any]:
    """Of a property given in two languages (4.0 ALTID), the Russian one is the main one, as with names."""
    if not values:
        return None, None
    main = next((v for v in values if _CYRILLIC.search(text(v))), values[0])
    other = next((v for v in values if v is not main and bool(_CYRILLIC.search(text(v))) != bool(
        _CYRILLIC.search(text(main)))), None)
    return main, other


def _is_organization(lines: dict[str, list[Any]], name: str | None, parts: NameParts | None, company: str | None,
                     emails: list[str], phones: list[Phone]) -> bool:
    """A vCard of an organisation, not a person: KIND:org (4.0), X-ABShowAs:COMPANY (Apple, 3.0), or no name
    parts and a formatted name that only repeats the company, an e-mail or a phone (what FN falls back to)."""
    kind = (_first(lines.get("kind")) or "").lower()
    show_as = (_first(lines.get("x-abshowas")) or "").upper()
    if kind == "org" or show_as == "COMPANY":
        return True
    if parts is not None or name is None:
        return False
    stand_ins = {company, *emails, *(p.raw for p in phones), *(p.number for p in phones)}
    return name in stand_ins


def _first(lines: list[Any] | None) -> str | None:
    return next((line.value.strip() for line in lines or [] if isinstance(line.value, str) and line.value.strip()),
                None)


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _joined(value: Any) -> str | None:
    return " ".join(v for v in _as_list(value) if v) or None


def _name_parts(lines: list[Any], name: str | None) -> NameParts | None:
    """The N in the script of the chosen FN (with ALTID, 4.0 gives one N per script)."""
    same_script = [line for line in lines if bool(_CYRILLIC.search(str(line.value))) == bool(
        name and _CYRILLIC.search(name))]
    line = (same_script or lines or [None])[0]
    if line is None:
        return None
    n = line.value
    parts = NameParts(given=_joined(n.given), middle=_joined(n.additional), family=_joined(n.family),
                      prefix=_joined(n.prefix), suffix=_joined(n.suffix))
    return parts if any(asdict(parts).values()) else None


def _phones(lines: list[Any], region: str) -> tuple[list[Phone], str | None]:
    phones, preferred = [], None
    for line in lines:
        types = {t.lower() for t in line.params.get("TYPE", []) for t in t.split(",")}
        kind: PhoneType = next((ours for theirs, ours in _TEL_TYPES if theirs in types), "other")
        raw = str(line.value).removeprefix("tel:").replace(";ext=", " ext. ")
        phone = parse_phone(raw, region, kind)
        if phone is None:
            continue
        phones.append(Phone(phone.number, kind, phone.extension, raw=str(line.value)))
        if "pref" in types or "PREF" in line.params:
            preferred = preferred or phone.number
    return phones, preferred


def _addresses(lines: list[Any]) -> list[str]:
    found = []
    for line in lines:
        label = line.params.get("LABEL", [None])[0]
        adr = line.value
        # An unescaped comma splits a component into a list ('ул. Ленина, д. 1'): it goes back as a comma.
        components = (adr.box, adr.extended, adr.street, adr.city, adr.region, adr.code, adr.country)
        parts = [", ".join(v.strip() for v in _as_list(p) if v.strip()) for p in components]
        text = label or ", ".join(p for p in parts if p)
        if text and text not in found:
            found.append(text)
    return found


def _birthday(lines: list[Any]) -> date | None:
    """1980-05-17, 19800517, --0517, --05-17, and Apple's year-less 1604-05-17;X-APPLE-OMIT-YEAR=1604."""
    for line in lines:
        value = str(line.value).strip()[:10]
        if "X-APPLE-OMIT-YEAR" in line.params:
            value = "--" + value[-5:]
        digits = value.replace("-", "")
        try:
            if value.startswith("--") and len(digits) == 4:
                return date(NO_YEAR, int(digits[:2]), int(digits[2:]))
            if len(digits) == 8:
                return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            continue
    return None
