"""Which field each OCR line became: what the review page writes beside the line's box on the card picture.

Extraction rewrites what it takes (a repaired e-mail, a number in E.164, a name joined from two lines), so a
line is matched afterwards against the values taken: a line holds a field when the field's text is most of
the line, or the line is a piece of the field (a name or an address set on two lines). As in extraction, a
line that holds a phone or a link is that and nothing else.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from pipeline.core.types import CardFields

MIN_MATCH = 80  # rapidfuzz ratio (0-100) of a line and a field's value for the line to count as the field's
TEXT_FIELDS = ("name", "title", "department", "company", "address")
_NON_WORD = re.compile(r"[\W_]+")
_NON_DIGIT = re.compile(r"\D+")


def line_fields(texts: list[str], fields: CardFields) -> list[list[str]]:
    """For each line's text, the fields whose value it holds (most lines hold one; a contact line may hold
    a phone and an e-mail), named as in the card's JSON (`phones`, `emails`, ...); [] for an unused line."""
    return [_fields_of(text, fields) for text in texts]


def _fields_of(text: str, fields: CardFields) -> list[str]:
    found = []
    digits = _NON_DIGIT.sub("", text)
    # A number is on the line when its last seven digits are (the national form drops the country code).
    if any(len(d := _NON_DIGIT.sub("", p.number)) >= 7 and d[-7:] in digits for p in fields.phones):
        found.append("phones")
    # A website's domain is in every e-mail address at it: links are looked for outside the addresses.
    # Links keep their punctuation (a dot or a hyphen tells a domain from a company name in words).
    unmailed = _unspaced(" ".join(w for w in text.split() if "@" not in w))
    for name, line in (("emails", _unspaced(text)), ("websites", unmailed), ("social", unmailed)):
        values: list[str] = getattr(fields, name)
        if any(_holds(line, _unspaced(_bare(v)), contained=True) for v in values):
            found.append(name)
    if found:  # as in extraction, a line a phone or a link took is out of the running for the other fields
        return found
    compact = _compact(text)
    return [name for name in TEXT_FIELDS if (value := getattr(fields, name)) and _holds(compact, _compact(value))]


def _holds(line: str, value: str, contained: bool = False) -> bool:
    """The line is the value or a piece of it (a name or an address set on two lines); with `contained`
    (links, which are never split), the line holds the whole value, maybe after a label ('E-mail:')."""
    if len(line) < 3 or not value:
        return False
    if contained:
        return 5 <= len(value) <= len(line) and fuzz.partial_ratio(value, line) >= MIN_MATCH + 10
    if len(line) > len(value) * 1.3:
        return False
    score = fuzz.partial_ratio(line, value) if len(line) < len(value) else fuzz.ratio(line, value)
    return score >= MIN_MATCH


def _bare(link: str) -> str:
    """A link as printed: without the scheme and www. that extraction may have added."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", link, flags=re.IGNORECASE).rstrip("/")


def _unspaced(text: str) -> str:
    return "".join(text.casefold().split())


def _compact(text: str) -> str:
    return _NON_WORD.sub("", text.casefold())
