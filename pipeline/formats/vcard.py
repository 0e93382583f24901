"""Contacts as vCards: 4.0 (RFC 6350) by a small writer of our own, 3.0 (RFC 2426) by vobject.

vobject writes 3.0 well and parses both, but has no 4.0 writer; the 4.0 one here writes only what the
RFC says, line by line (vcard_text does the escaping and folding).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import Literal

import vobject

from pipeline.formats.record import ContactRecord, NameForm, PhoneEntry, language_of
from pipeline.formats.vcard_text import CRLF, Params, content_line, escape_text, fold, structured, text_list, unfold

Version = Literal["4.0", "3.0"]
_PARAM_TOKEN = re.compile(r"[\w.+-]+")
PRODID = "-//cardscan//cardscan export//EN"

# Our phone types as vCard TYPE values (RFC 6350 6.4.1; 3.0 writes the same words in capitals).
TEL_TYPES = {"mobile": ["cell"], "work": ["work", "voice"], "fax": ["work", "fax"], "home": ["home", "voice"],
             "other": ["voice"]}


def vcards(records: Iterable[ContactRecord], version: Version = "4.0") -> str:
    write = vcard4 if version == "4.0" else vcard3
    return "".join(write(r) for r in records)


def vcard4(r: ContactRecord) -> str:
    lines = [content_line("VERSION", "4.0"), content_line("PRODID", escape_text(PRODID)),
             content_line("UID", f"urn:uuid:{r.uid}"), content_line("REV", r.rev.strftime("%Y%m%dT%H%M%SZ"))]
    if r.is_organization:
        lines.append(content_line("KIND", "org"))  # RFC 6350 6.1.4: the vCard is the organisation, not a person
    lines += _names4(r)
    # One NICKNAME per alias: a comma-separated list is valid, but vobject and others read only its first item.
    lines += [content_line("NICKNAME", escape_text(n)) for n in r.nicknames]
    if r.organization or r.department:
        org = structured([r.organization or "", *([r.department] if r.department else [])])
        if r.alt_organization:  # the company in both languages: alternatives of one property (ALTID, 5.4)
            lines += [content_line("ORG", org, [("ALTID", "2"), ("LANGUAGE", language_of(r.organization or ""))]),
                      content_line("ORG", structured([r.alt_organization]),
                                   [("ALTID", "2"), ("LANGUAGE", language_of(r.alt_organization))])]
        else:
            lines.append(content_line("ORG", org))
    if r.title and r.alt_title:
        lines += [content_line("TITLE", escape_text(t), [("ALTID", "3"), ("LANGUAGE", language_of(t))])
                  for t in (r.title, r.alt_title)]
    elif r.title:
        lines.append(content_line("TITLE", escape_text(r.title)))
    lines += [_tel4(p) for p in r.phones]
    lines += [content_line("EMAIL", escape_text(e), [("TYPE", "work")]) for e in r.emails]
    # A URL is escaped like text (what vobject writes in 3.0 and every reader undoes): a stored website
    # holding a line break wrote the rest of it as properties of its own, even as a second vCard.
    lines += [content_line("URL", escape_text(w), [("TYPE", "work")]) for w in r.websites]
    # SOCIALPROFILE is vCard 4.0's since RFC 9554 (2024); clients that do not know it keep it as is.
    lines += [content_line("SOCIALPROFILE", escape_text(url), [("SERVICE-TYPE", net)] if net else [])
              for url, net in r.socials]
    lines += [content_line("ADR", structured(["", "", a, "", "", "", ""]), [("TYPE", "work"), ("LABEL", a)])
              for a in r.addresses]
    if r.birthday:
        bday = r.birthday.strftime("%Y%m%d") if r.birthday_has_year else r.birthday.strftime("--%m%d")
        lines.append(content_line("BDAY", bday))
    # RELATED (RFC 6350 6.6.6) takes a name as text when the relative is no contact of ours.
    lines += [content_line("RELATED", escape_text(name), [("TYPE", kind), ("VALUE", "text")])
              for kind, names in (("spouse", [r.spouse] if r.spouse else []), ("child", r.children)) for name in names]
    if r.note:
        lines.append(content_line("NOTE", escape_text(r.note)))
    if r.categories:
        lines.append(content_line("CATEGORIES", text_list(r.categories)))
    if r.photo:
        lines.append(content_line("PHOTO", "data:image/jpeg;base64," + base64.b64encode(r.photo).decode("ascii")))
    return "BEGIN:VCARD" + CRLF + "".join(lines) + "END:VCARD" + CRLF


def _names4(r: ContactRecord) -> list[str]:
    """FN always (RFC 6350 6.2.1); the name in both scripts as alternatives of one property (ALTID, 5.4)."""
    if r.name is None:
        return [content_line("FN", escape_text(fallback_name(r)))]
    forms = [r.name, r.alt_name] if r.alt_name else [r.name]
    params: list[Params] = [[("ALTID", "1"), ("LANGUAGE", f.language)] if r.alt_name else [] for f in forms]
    lines = [content_line("FN", escape_text(f.full), p) for f, p in zip(forms, params, strict=True)]
    lines += [content_line("N", _n_value(f), p) for f, p in zip(forms, params, strict=True)
              if f is r.name or f.given or f.family]
    return lines


def _n_value(f: NameForm) -> str:
    # family; given; additional (the patronymic); prefixes; suffixes
    return structured([f.family, f.given, f.middle, f.prefix, f.suffix])


def _tel4(p: PhoneEntry) -> str:
    params: Params = [("VALUE", "uri"), ("TYPE", TEL_TYPES.get(p.type, ["voice"]))]
    if p.preferred:
        params = [*params, ("PREF", "1")]
    return content_line("TEL", "tel:" + p.e164 + (f";ext={p.extension}" if p.extension else ""), params)


def fallback_name(r: ContactRecord) -> str:
    """FN must not be missing: a contact without a name is shown by its company, e-mail or phone."""
    return r.display_name or (r.phones[0].e164 if r.phones else "")


def vcard3(r: ContactRecord) -> str:
    card = vobject.vCard()
    card.add("prodid").value = PRODID
    card.add("uid").value = r.uid
    card.add("rev").value = r.rev.strftime("%Y-%m-%dT%H:%M:%SZ")
    name = r.name or NameForm(fallback_name(r))
    card.add("fn").value = name.full
    if r.is_organization:  # Apple's mark of a company card, which 3.0 has no KIND for
        card.add("x-abshowas").value = "COMPANY"
    # N is required in 3.0; the patronymic is its additional name.
    card.add("n").value = vobject.vcard.Name(family=name.family or "", given=name.given or "",
                                             additional=name.middle or "", prefix=name.prefix or "",
                                             suffix=name.suffix or "")
    # 3.0 has no ALTID: the name in the other script goes with the other aliases into NICKNAME.
    for nickname in [*([r.alt_name.full] if r.alt_name else []), *r.nicknames]:
        card.add("nickname").value = nickname
    if r.organization or r.department:
        card.add("org").value = [r.organization or "", *([r.department] if r.department else [])]
    if r.title:
        card.add("title").value = r.title
    for p in r.phones:
        _tel3(card, p)
    for e in r.emails:
        line = card.add("email")
        line.value, line.type_paramlist = e, ["INTERNET", "WORK"]
    for w in r.websites:
        card.add("url").value = w
    for url, net in r.socials:  # Apple's extension: iOS and macOS show it, others keep it
        line = card.add("x-socialprofile")
        line.value = url
        if net and _PARAM_TOKEN.fullmatch(net):  # 3.0 has no parameter escaping: a name like `vk` or nothing
            line.type_param = net
    for a in r.addresses:
        line = card.add("adr")
        line.value, line.type_param = vobject.vcard.Address(street=a), "WORK"
    if r.birthday:
        _bday3(card, r)
    # 3.0 has no RELATED: spouse and children go into the note with the other facts.
    family = ([f"Spouse: {r.spouse}"] if r.spouse else []) + ([f"Children: {', '.join(r.children)}"]
                                                              if r.children else [])
    note = "\n".join([*([r.note] if r.note else []), *family])
    if note:
        card.add("note").value = note
    if r.categories:
        card.add("categories").value = list(r.categories)
    if r.photo:
        line = card.add("photo")
        line.value, line.encoding_param, line.type_param = r.photo, "b", "JPEG"
    return refold(card.serialize())


def refold(text: str) -> str:
    """vobject folds a line only when it has 75 characters or more, so a shorter Cyrillic line can still run
    past 75 octets, and it leaves PHOTO unfolded: fold every logical line again at 75 octets."""
    return "".join(fold(line) + CRLF for line in unfold(text).split(CRLF) if line)


def _tel3(card: vobject.base.Component, p: PhoneEntry) -> None:
    line = card.add("tel")
    # 3.0 has no tel: URI; the extension is written the way phones and phonenumbers read it back
    line.value = p.e164 + (f" ext. {p.extension}" if p.extension else "")
    line.type_paramlist = [t.upper() for t in TEL_TYPES.get(p.type, ["voice"])] + (["PREF"] if p.preferred else [])


def _bday3(card: vobject.base.Component, r: ContactRecord) -> None:
    assert r.birthday is not None
    line = card.add("bday")
    line.value = r.birthday.isoformat()
    if not r.birthday_has_year:
        # 3.0 cannot leave the year out; Apple's convention keeps the placeholder year 1604 and says so.
        line.x_apple_omit_year_param = str(r.birthday.year)
