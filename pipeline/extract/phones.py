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
from pipeline.extract.lexicon import fold, pairs, words
from pipeline.extract.text import count_scripts

DIGITISH = re.compile(r"(?<=[\d(\s])[OoОо](?=[\d)\s-])|(?<=\d)[lI|](?=\d)")
# A bracket read as a brace: '+7(812}465-31-17'. No phone has braces, and libphonenumber stops at them.
BRACES = str.maketrans("{}", "()")
BRACKETED_EXT = re.compile(r"\(\s*(доб\.?|ext\.?|x)\s*(\d{1,6})\s*\)", re.IGNORECASE)
LABEL_SPLIT = re.compile(r"[\s.:;,/()\-]+")
HOST = re.compile(r"(?:@|www\.|://)([\w.-]+\.[^\W\d_]{2,})", re.UNICODE)
LINKISH = re.compile(r"@|www|://|\.(?:ru|com|net|org|рф)\b", re.IGNORECASE)
COUNTRY_HINTS = (("+7", "RU"), ("+1", "US"), ("+44", "GB"), ("+49", "DE"), ("+33", "FR"), ("+55", "BR"))
# Words of an address that tell the country, for numbers printed without a country code.
ADDRESS_HINTS = (
    (re.compile(r"germany|deutschland|stra(?:ß|ss)e|\b\d{5} [A-ZÄÖÜ][a-zäöüß]+", re.I), "DE"),
    (re.compile(r"united kingdom|\bengland\b|\blondon\b|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"), "GB"),
    (re.compile(r"\busa\b|united states|\b[A-Z]{2} \d{5}\b", re.I), "US"),
)


@dataclass(frozen=True)
class FoundPhone:
    phone: Phone
    line: int
    confidence: float


def guess_region(text: str, region: str | None) -> str:
    """The region for numbers printed without a country code: given, else from the card's clues."""
    if region:
        return region.upper()
    for prefix, code in COUNTRY_HINTS:
        if prefix in text:
            return code
    for pattern, code in ADDRESS_HINTS:
        if pattern.search(text):
            return code
    hinted = _hinted_region(text)
    if hinted:
        return hinted
    # E-mail and web addresses are Latin on every card: only the words count.
    words_only = " ".join(t for t in text.split() if not LINKISH.search(t))
    cyr, lat = count_scripts(words_only)
    return "RU" if cyr >= lat else "US"


def _hinted_region(text: str) -> str | None:
    """The region a card's domains say ('gfischer@bluepeak.de'), else its legal form (GmbH, ООО)."""
    hints = pairs("region_hints")
    hosts = [m.group(1) for m in HOST.finditer(text)]
    for host in hosts:
        for clue, code in hints.items():
            if clue.startswith(".") and fold(host).endswith(clue):
                return code
    tokens = {fold(t).strip(".,«»\"") for t in text.split()}
    return next((code for clue, code in hints.items() if not clue.startswith(".") and clue in tokens), None)


def repair_digits(text: str) -> str:
    """Undo OCR's letter-for-digit swaps (O for 0, l for 1) inside runs of digits, and take an
    extension out of brackets ('(доб. 3108)'), where libphonenumber does not look for it."""
    text = DIGITISH.sub(lambda m: "0" if m.group() in "OoОо" else "1", text.translate(BRACES))
    return BRACKETED_EXT.sub(r" \1 \2", text)


FALLBACK_REGIONS = ("RU", "US", "GB", "DE", "FR")
MIN_TWO_NUMBERS = 20  # digits: two phone numbers at the least


def find_phones(lines: list[OcrLine], region: str) -> list[FoundPhone]:
    found: dict[str, FoundPhone] = {}
    for index, line in enumerate(lines):
        text = repair_digits(line.text)
        if words("registry_labels") & ({fold(t) for t in text.split()} | {fold(t) for t in LABEL_SPLIT.split(text)}):
            continue  # a tax or registry number line: its digits are no phone
        start = 0
        for match in _matches(text, region) or _run_together(text, region):
            label_type = label_before(text[start:match.start])
            start = match.end
            e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            if e164 in found:
                continue
            phone = Phone(e164, label_type or type_of(match.number), match.number.extension, match.raw_string)
            found[e164] = FoundPhone(phone, index, min(1.0, line.conf + (0.1 if label_type else 0.0)))
    return list(found.values())


def _matches(text: str, region: str) -> list[phonenumbers.PhoneNumberMatch]:
    """Numbers in the line for the card's region; a labelled number that is valid in no
    such way is tried in the other common regions (the card gave no country clue)."""
    found = list(PhoneNumberMatcher(text, region, leniency=Leniency.VALID))
    first = LABEL_SPLIT.split(fold(text).strip())[0] if text.strip() else ""
    if found or first not in pairs("phone_labels") or sum(c.isdigit() for c in text) < 7:
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
