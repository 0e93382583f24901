"""Phone numbers: found and validated by Google's libphonenumber (`phonenumbers`), typed by label.

The library knows every country's numbering plan, so it tells a real number from an INN,
a date or a postcode far better than a regex could; we only add the label reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType

from pipeline.core.types import OcrLine, Phone, PhoneType
from pipeline.extract.country import card_region
from pipeline.extract.lexicon import fold, pairs, words

DIGITISH = re.compile(r"(?<=[\d(\s])[OoОо](?=[\d)\s-])|(?<=\d)[lI|](?=\d)")
# A bracket read as a brace: '+7(812}465-31-17'. No phone has braces, and libphonenumber stops at them.
BRACES = str.maketrans("{}", "()")
BRACKETED_EXT = re.compile(r"\(\s*(доб\.?|ext\.?|x)\s*(\d{1,6})\s*\)", re.IGNORECASE)
LABEL_SPLIT = re.compile(r"[\s.:;,/()\-]+")
# An area code printed in brackets before a number ('(11) 9933-6564'): the shape of a phone number even
# where today's numbering plan no longer knows it (Brazil's eight-digit mobiles before the added 9).
BRACKETED_AREA = re.compile(r"\(\s*\d{2,4}\s*\)")
LOCAL_SHARE = 0.8  # confidence factor of a number that took its area code from another on the card
# Confidence factor of a number that took its area code from the card's address (no number on the card prints
# one): the place is evidence, but a state's abbreviation stands for its capital, and a shop may be elsewhere.
PLACE_SHARE = 0.6
# Digits of a local number that borrows an area code: shorter groups are house numbers and postcodes, which
# libphonenumber accepts after a German area code ('069' + '125').
MIN_LOCAL = 7
OLD_PLAN_SHARE = 0.6  # confidence factor of a number valid in no current plan, kept because it is printed as one
AREA_MOBILES = frozenset({"BR"})  # countries whose mobile numbers begin with the area code


@dataclass(frozen=True)
class FoundPhone:
    phone: Phone
    line: int
    confidence: float
    placed: bool = False  # its area code came from the card's address, not from a number: a guess


def guess_region(text: str, region: str | None) -> str:
    """The region for numbers printed without a country code: from the card's evidence, else the
    default `region` (country.card_region says in what order)."""
    return card_region(text, region).region


def repair_digits(text: str) -> str:
    """Undo OCR's letter-for-digit swaps (O for 0, l for 1) inside runs of digits, and take an
    extension out of brackets ('(доб. 3108)'), where libphonenumber does not look for it."""
    text = DIGITISH.sub(lambda m: "0" if m.group() in "OoОо" else "1", text.translate(BRACES))
    return BRACKETED_EXT.sub(r" \1 \2", text)


FALLBACK_REGIONS = ("RU", "US", "GB", "DE", "FR")
MIN_TWO_NUMBERS = 20  # digits: two phone numbers at the least


def find_phones(lines: list[OcrLine], region: str, fallback: bool = True,
                place_area: str | None = None) -> list[FoundPhone]:
    """Every phone number on the card. `fallback`: a labelled number valid nowhere in `region` may be tried
    in other common regions (only when nothing on the card said where it is from). `place_area`: the area
    code the card's address names (country.area_code), for local numbers when no number prints one."""
    found: dict[str, FoundPhone] = {}
    for index, line in enumerate(lines):
        text = repair_digits(line.text)
        if _registry_line(text):
            continue  # a tax or registry number line: its digits are no phone
        start = 0
        for match in _matches(text, region, fallback) or _run_together(text, region):
            label_type = label_before(text[start:match.start])
            start = match.end
            e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            if e164 in found:
                continue
            phone = Phone(e164, label_type or type_of(match.number), match.number.extension, match.raw_string)
            found[e164] = FoundPhone(phone, index, min(1.0, line.conf + (0.1 if label_type else 0.0)))
    _split_across_lines(lines, region, found)
    more = _local_numbers(lines, region, found, place_area)  # may drop a number of `found` that a longer one contains
    return list(found.values()) + more


def _split_across_lines(lines: list[OcrLine], region: str, found: dict[str, FoundPhone]) -> None:
    """A number OCR cut into two lines at a gap on the same row ('Cel: 11 9' and '7412-1100' beside it,
    as photos often come out): read again over the two joined, keeping what spans the join."""
    for i, left in enumerate(lines):
        for j, right in enumerate(lines):
            if i == j or not _same_row(left, right):
                continue
            head, tail = repair_digits(left.text), repair_digits(right.text)
            if not (head[-1:].isdigit() and tail[:1].isdigit()) or _registry_line(head + " " + tail):
                continue
            for match in PhoneNumberMatcher(f"{head} {tail}", region, leniency=Leniency.VALID):
                if not match.start < len(head) < match.end:
                    continue
                e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
                label_type = label_before(head[:match.start])
                if e164 not in found:
                    phone = Phone(e164, label_type or type_of(match.number), match.number.extension, match.raw_string)
                    found[e164] = FoundPhone(phone, i, round(min(left.conf, right.conf) * LOCAL_SHARE, 3))


def _same_row(left: OcrLine, right: OcrLine) -> bool:
    """`right` begins just after `left` ends, on the same baseline, in a similar type size."""
    end = max(w.left + w.width for w in left.words)
    tall = max(left.height, right.height)
    overlap = min(left.bottom, right.bottom) - max(left.top, right.top)
    return (0 <= right.left - end <= 3 * tall and overlap >= 0.5 * min(left.height, right.height)
            and tall <= 1.6 * max(1.0, min(left.height, right.height)))


def _registry_line(text: str) -> bool:
    tokens = {fold(t) for t in text.split()} | {fold(t) for t in LABEL_SPLIT.split(text)}
    return bool(words("registry_labels") & tokens)


def _local_numbers(lines: list[OcrLine], region: str, found: dict[str, FoundPhone],
                   place_area: str | None = None) -> list[FoundPhone]:
    """Numbers printed without their area code, which the card prints once for all ('Tel: (11) 2684-7988 /
    3854-7828'): the area code of the nearest number on the card that has one makes them valid. A number
    printed with its area code in a phone's shape but valid in no current plan (an eight-digit Brazilian
    mobile of before 2016) is kept as printed, at a lower confidence. Where no number prints an area code, the
    one the address names (`place_area`) is used, at a lower confidence still."""
    areas = _area_codes(found)
    placed = not areas and place_area is not None
    if placed:
        areas = [(-1, place_area or "")]
    taken = {(f.line, f.phone.raw) for f in found.values()}
    more: dict[str, FoundPhone] = {}
    for index, line in enumerate(lines):
        text = repair_digits(line.text)
        if _registry_line(text) or "@" in text:
            continue
        start = 0
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
            label_type = label_before(text[start:match.start])
            start = match.end
            # '9.4000-4561' was read as the valid '4000-4561' (a national service number): the longer wins
            # when the card's area code makes it valid.
            tail = any(i == index and raw and raw in match.raw_string and raw != match.raw_string for i, raw in taken)
            if not tail and ((index, match.raw_string) in taken or phonenumbers.is_valid_number(match.number)):
                continue
            local = str(match.number.national_number)
            if any(f.phone.number.endswith(local) and f.line != index for f in found.values()):
                continue  # the tail of a number already read across two lines
            if not tail and not _phone_groups(match.raw_string):
                continue  # a postcode ('31548-623', '4369-758') takes no area code
            number, share = _with_area_code(match.number, region, areas, index)
            share = PLACE_SHARE if placed and number is not None else share
            if tail:
                if number is None:
                    continue
                _drop_tail(found, index, match.raw_string)
            if number is None and (label_type or BRACKETED_AREA.search(match.raw_string)) and _has_area(match.number):
                number, share = match.number, OLD_PLAN_SHARE
            if number is None:
                continue
            e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
            if e164 in found or e164 in more:
                continue
            phone = Phone(e164, label_type or type_of(number), number.extension, match.raw_string)
            more[e164] = FoundPhone(phone, index, round(line.conf * share, 3), placed and share == PLACE_SHARE)
    return list(more.values())


def _phone_groups(raw: str) -> bool:
    """Digit groups a phone number is printed in: the last of four digits or more ('3854-7828',
    '9.4000-4561'), or three groups and more ('465-31-17'); postcodes end in three ('01137-000')."""
    groups = re.findall(r"\d+", raw)
    return len(groups) >= 3 or (bool(groups) and len(groups[-1]) >= 4)


def _drop_tail(found: dict[str, FoundPhone], index: int, raw: str) -> None:
    for e164, f in list(found.items()):
        if f.line == index and f.phone.raw and f.phone.raw in raw and f.phone.raw != raw:
            del found[e164]


def _area_codes(found: dict[str, FoundPhone]) -> list[tuple[int, str]]:
    """(line, national area code) of each number on the card printed with a geographic area code."""
    out = []
    for f in found.values():
        number = phonenumbers.parse(f.phone.number)
        n = phonenumbers.length_of_geographical_area_code(number) or (
            phonenumbers.length_of_national_destination_code(number) if _regional_mobile(number) else 0)
        if n:
            out.append((f.line, str(number.national_number)[:n]))
    return out


def _regional_mobile(number: phonenumbers.PhoneNumber) -> bool:
    """A mobile number whose destination code is the area's (Brazil's '11 9xxxx-xxxx'), so a landline printed
    beside it without one shares it; elsewhere a mobile's code (Russia's 916) says nothing of the area."""
    return phonenumbers.region_code_for_number(number) in AREA_MOBILES


def _has_area(number: phonenumbers.PhoneNumber) -> bool:
    """Long enough to hold an area code: a bare local number is not kept as printed."""
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.FIXED_LINE)
    return example is not None and len(str(number.national_number)) >= len(str(example.national_number))


def _with_area_code(number: phonenumbers.PhoneNumber, region: str, areas: list[tuple[int, str]],
                    index: int) -> tuple[phonenumbers.PhoneNumber | None, float]:
    """The number with the area code of the nearest line that prints one, when that makes it valid."""
    if len(str(number.national_number)) < MIN_LOCAL:
        return None, 0.0
    for _, area in sorted(areas, key=lambda la: abs(la[0] - index)):
        try:
            candidate = phonenumbers.parse(area + str(number.national_number), region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(candidate):
            candidate.extension = number.extension
            return candidate, LOCAL_SHARE
    return None, 0.0


def _matches(text: str, region: str, fallback: bool = True) -> list[phonenumbers.PhoneNumberMatch]:
    """Numbers in the line for the card's region; a labelled number that is valid in no
    such way is tried in the other common regions (the card gave no country clue)."""
    found = list(PhoneNumberMatcher(text, region, leniency=Leniency.VALID))
    first = LABEL_SPLIT.split(fold(text).strip())[0] if text.strip() else ""
    if found or not fallback or first not in pairs("phone_labels") or sum(c.isdigit() for c in text) < 7:
        return found
    for other in FALLBACK_REGIONS:
        found = list(PhoneNumberMatcher(text, other, leniency=Leniency.VALID))
        if found:
            return found
    return []


def _run_together(text: str, region: str) -> list[phonenumbers.PhoneNumberMatch]:
    """Two numbers printed on one line with nothing but spaces between them ('8 4852 25 9987 8920 825 00 40'):
    the one split of the digit groups where both halves are valid numbers, if there is exactly one."""
    if sum(c.isdigit() for c in text) < MIN_TWO_NUMBERS:
        return []
    gaps = [m.start() for m in re.finditer(r"(?<=\d) (?=\d)", text)]
    splits = []
    for gap in gaps:
        left = list(PhoneNumberMatcher(text[:gap], region, leniency=Leniency.VALID))
        right = list(PhoneNumberMatcher(text[gap:], region, leniency=Leniency.VALID))
        if len(left) == 1 and len(right) == 1:
            splits.append([*left, _shifted(right[0], gap)])
    return splits[0] if len(splits) == 1 else []


def _shifted(match: phonenumbers.PhoneNumberMatch, offset: int) -> phonenumbers.PhoneNumberMatch:
    return phonenumbers.PhoneNumberMatch(match.start + offset, match.raw_string, match.number)


def label_before(prefix: str) -> PhoneType | None:
    """The type named by the last phone label in the text just before a number."""
    labels = pairs("phone_labels")
    for token in reversed(LABEL_SPLIT.split(fold(prefix))):
        if token in labels:
            return labels[token]  # type: ignore[return-value]
    return None


def type_of(number: phonenumbers.PhoneNumber) -> PhoneType:
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.MOBILE:
        return "mobile"
    return "work"



def parse_phone(value: str, region: str, kind: PhoneType = "other") -> Phone | None:
    """One number written on its own (a form field, a vCard TEL, a QR code), not found in running text:
    the Phone, or None when libphonenumber says it is no valid number."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return Phone(phonenumbers.format_number(number, PhoneNumberFormat.E164), kind, number.extension or None, value)


def region_of(e164: str | None) -> str | None:
    """The country a stored E.164 number belongs to (`+5511...` -> BR), None for none, a non-geographic number
    (+800, +882 ...) or one libphonenumber cannot place."""
    if not e164:
        return None
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None
    return region if region and region not in ("001", "ZZ") else None
