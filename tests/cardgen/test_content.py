from __future__ import annotations

import random
import re

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from cardgen import phones
from cardgen.people import inn10, ogrn
from cardgen.translit import slug, transliterate

AREAS = {"RU": ["495", "499", "812", "343", "383", "3812", "4012"], "US": ["212", "415", "617"],
         "UK": ["20", "161", "1223"], "DE": ["30", "89", "711"]}  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32), country=st.sampled_from(sorted(AREAS)), mobile=st.booleans(),
       style=st.integers(0, 50), lang=st.sampled_from(["ru", "en"]), ext=st.booleans())  # fmt: skip
def test_printed_phone_round_trips(
    seed: int, country: str, mobile: bool, style: int, lang: str, ext: bool
) -> None:
    rng = random.Random(seed)
    area = rng.choice(AREAS[country])
    num = phones.mobile(rng, country, area) if mobile else phones.landline(rng, country, area)
    assert phonenumbers.is_valid_number(num)
    for form in phones.printed_forms(num):
        assert phones.parses_to(form, num), form
    kind = "mobile" if mobile else rng.choice(["work", "fax"])
    phone = phones.make_phone(rng, num, kind, lang, "123" if ext and kind == "work" else None, style)
    assert phone.number == phones.e164(num)
    region = phonenumbers.region_code_for_number(num)
    matches = [m.number for m in phonenumbers.PhoneNumberMatcher(phone.raw, region)]
    assert any(m.national_number == num.national_number for m in matches), phone.raw


CYRILLIC = st.text(
    alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ -", max_size=40
)


@given(CYRILLIC)
def test_transliteration_is_plain_latin(text: str) -> None:
    out = transliterate(text)
    assert re.fullmatch(r"[A-Za-z \-]*", out)
    assert re.fullmatch(r"[a-z0-9\-]*", slug(text, "-"))
    assert transliterate(text.lower()) == transliterate(text.lower()).lower()


def test_known_transliterations() -> None:
    assert transliterate("Щербакова Юлия") == "Shcherbakova Yuliya"
    assert transliterate("ЖУКОВ") == "ZHUKOV"
    assert slug("Альфа-Строй", "-") == "alfa-stroy"


def test_tax_numbers_have_valid_check_digits() -> None:
    rng = random.Random(1)
    for _ in range(50):
        inn = inn10(rng, "77")
        weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
        assert int(inn[9]) == sum(w * int(d) for w, d in zip(weights, inn, strict=False)) % 11 % 10
        code = ogrn(rng, "77", individual=False)
        assert len(code) == 13 and int(code[-1]) == int(code[:-1]) % 11 % 10
