"""Valid phone numbers, printed the way real cards print them.

Every number is checked with ``phonenumbers`` and every printed form is parsed back, so a label
can never disagree with the card.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

from cardgen import vocab
from cardgen.model import Phone
from cardgen.wordlists import rows

REGION = {"RU": "RU", "US": "US", "UK": "GB", "DE": "DE"}

_RU_MOBILE = (
    "900", "903", "905", "906", "909", "910", "911", "912", "913", "914", "915", "916", "917", "918",
    "919", "920", "921", "922", "925", "926", "927", "929", "950", "951", "952", "953", "960", "961",
    "962", "964", "965", "967", "977", "980", "981", "982", "985", "987", "999",
)  # fmt: skip
_DE_MOBILE = (
    "151", "152", "157", "159", "160", "162", "163", "170", "171",
    "172", "173", "174", "175", "176", "177", "178", "179",
)  # fmt: skip
_LANDLINE = (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_MOBILE = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)

LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {
        "work": ("Тел.: ", "Тел. ", "т. ", "тел.: ", "Телефон: ", "Т: ", ""),
        "mobile": ("Моб.: ", "Моб. ", "м. ", "Мобильный: ", "моб.: ", ""),
        "fax": ("Факс: ", "Факс ", "ф. ", "Ф: "),
    },
    "en": {
        "work": ("Tel: ", "Tel. ", "T: ", "T ", "Phone: ", "Office: ", "Direct: ", ""),
        "mobile": ("Mobile: ", "Mob: ", "M: ", "M ", "Cell: ", "Mobile "),
        "fax": ("Fax: ", "F: ", "F "),
    },
}


def _digits(rng: random.Random, n: int, first: str = "23456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def _valid(text: str, region: str, types: tuple[int, ...]) -> PhoneNumber | None:
    num = phonenumbers.parse(text, region)
    if phonenumbers.is_valid_number(num) and phonenumbers.number_type(num) in types:
        return num
    return None


def _draw(make: Callable[[], str], region: str, types: tuple[int, ...], rng: random.Random) -> PhoneNumber:
    for _ in range(200):
        num = _valid(make(), region, types)
        if num is not None:
            return num
    raise RuntimeError(f"could not draw a valid {region} number")


def landline(rng: random.Random, country: str, area: str) -> PhoneNumber:
    """A fixed-line number in ``area`` (national area code without trunk prefix)."""
    if country == "RU":
        return _draw(lambda: "+7" + area + _digits(rng, 10 - len(area)), "RU", _LANDLINE, rng)
    if country == "US":

        def us() -> str:
            exchange = _digits(rng, 3)
            while exchange == "555" or exchange[1:] == "11":
                exchange = _digits(rng, 3)
            return "+1" + area + exchange + _digits(rng, 4, "0123456789")

        return _draw(us, "US", _LANDLINE, rng)
    if country == "UK":
        first = "378" if area == "20" else "23456789"
        return _draw(lambda: "+44" + area + _digits(rng, 10 - len(area), first), "GB", _LANDLINE, rng)
    if country == "DE":
        return _draw(
            lambda: "+49" + area + _digits(rng, rng.choice((7, 8)) + (3 - len(area))), "DE", _LANDLINE, rng
        )
    raise ValueError(country)


def mobile(rng: random.Random, country: str, area: str = "") -> PhoneNumber:
    """A mobile number; US numbers use the city's area code as US mobiles do."""
    if country == "RU":
        return _draw(
            lambda: "+7" + rng.choice(_RU_MOBILE) + _digits(rng, 7, "0123456789"),
            "RU",
            (PhoneNumberType.MOBILE,),
            rng,
        )
    if country == "US":
        return landline(rng, "US", area)
    if country == "UK":
        return _draw(
            lambda: "+447" + rng.choice("456789") + _digits(rng, 8, "0123456789"),
            "GB",
            (PhoneNumberType.MOBILE,),
            rng,
        )
    if country == "DE":
        return _draw(
            lambda: "+49" + rng.choice(_DE_MOBILE) + _digits(rng, rng.choice((7, 8)), "0123456789"),
            "DE",
            (PhoneNumberType.MOBILE,),
            rng,
        )
    raise ValueError(country)


def world_number(rng: random.Random, region: str, mobile: bool) -> PhoneNumber:
    """A valid mobile or fixed-line number of any region: the region's example number with its digits after
    the first one or two (area or mobile prefix) drawn again until the number is valid and of that type."""
    kind = PhoneNumberType.MOBILE if mobile else PhoneNumberType.FIXED_LINE
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        raise ValueError(f"no example number for {region}")
    nsn = phonenumbers.national_significant_number(example)
    types = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE) if mobile else _LANDLINE
    cc = f"+{example.country_code}"
    for attempt in range(400):
        keep = 1 if attempt < 200 else min(3, len(nsn) - 4)
        text = cc + nsn[:keep] + "".join(rng.choice("0123456789") for _ in range(len(nsn) - keep))
        num = _valid(text, region, types)
        if num is not None:
            return num
    raise RuntimeError(f"could not draw a valid {region} number")


def _group(local: str) -> list[str]:
    """Russian style groups: 123-45-67, 12-34-56, 1-23-45."""
    return [local[:-4], local[-4:-2], local[-2:]]


def _ru_styles(area: str, local: str) -> list[str]:
    g = _group(local)
    dashed, spaced = "-".join(g), " ".join(g)
    return [
        f"+7 ({area}) {dashed}", f"8 ({area}) {dashed}", f"+7 {area} {dashed}", f"+7 {area} {spaced}",
        f"8 {area} {spaced}", f"8-{area}-{dashed}", f"+7({area}){dashed}", f"+7 ({area}) {spaced}",
        f"+7{area}{local}",
    ]  # fmt: skip


def _us_styles(area: str, local: str) -> list[str]:
    a, b = local[:3], local[3:]
    return [
        f"+1 ({area}) {a}-{b}", f"+1 {area}-{a}-{b}", f"({area}) {a}-{b}", f"{area}.{a}.{b}",
        f"{area}-{a}-{b}", f"+1 {area} {a} {b}", f"+1.{area}.{a}.{b}",
    ]  # fmt: skip


def _eu_styles(num: PhoneNumber, region: str) -> list[str]:
    intl = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
    cc = f"+{num.country_code}"
    rest = intl[len(cc) + 1 :]
    styles = [intl, national, f"{cc} (0){rest}"]
    if region == "DE" and " " in national:
        area, local = national.split(" ", 1)
        local = local.replace(" ", "")
        styles.append(f"{area}/{local}")
        styles.append(f"{cc} {area[1:]} {local[:-4]} {local[-4:]}")
    return styles


def printed_forms(num: PhoneNumber) -> list[str]:
    """All realistic printed spellings of ``num``; each parses back to the same number."""
    region = phonenumbers.region_code_for_number(num)
    nsn = phonenumbers.national_significant_number(num)
    if region == "RU":
        area_len = 4 if nsn[:4] in _ru_long_areas() else 3
        forms = _ru_styles(nsn[:area_len], nsn[area_len:])
    elif region == "US":
        forms = _us_styles(nsn[:3], nsn[3:])
    else:
        forms = _eu_styles(num, region)
    return [f for f in forms if parses_to(f, num)]


def _ru_long_areas() -> set[str]:
    cities = rows("ru_cities") + (rows("ru_cities_more") if vocab.mode() != "all" else ())
    return {code for row in cities for code in row[1].split(",") if len(code) == 4}


def parses_to(text: str, num: PhoneNumber) -> bool:
    region = phonenumbers.region_code_for_number(num)
    try:
        back = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False
    return back.country_code == num.country_code and back.national_number == num.national_number


def e164(num: PhoneNumber) -> str:
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(num: PhoneNumber) -> bool:
    return phonenumbers.number_type(num) == PhoneNumberType.MOBILE


def make_phone(
    rng: random.Random, num: PhoneNumber, kind: str, lang: str, extension: str | None, style: int
) -> Phone:
    """Print ``num`` with a label that states ``kind``.

    ``kind`` is what the card claims; an unlabelled number is only allowed where the reader's
    default (mobile for a mobile number, work otherwise) gives the same type.
    """
    forms = printed_forms(num)
    body = forms[style % len(forms)]
    labels = LABELS[lang][kind]
    default_kind = "mobile" if is_mobile(num) else "work"
    if kind != default_kind:
        labels = tuple(label for label in labels if label)
    label = rng.choice(labels)
    raw = label + body
    if extension is not None:
        raw += (
            rng.choice((", доб. ", " доб. ", " (доб. "))
            if lang == "ru"
            else rng.choice((" ext. ", ", ext. "))
        )
        raw += extension + (")" if raw.endswith("(доб. ") else "")
    phone_type = kind
    return Phone(number=e164(num), type=phone_type, extension=extension, raw=raw)
