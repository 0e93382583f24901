"""Which country a card's phone numbers belong to, from the card's own evidence.

Numbers printed without a country code ('(11) 2294-9484', '03-1234-5678') only mean something in a
country. The card usually says which, and the evidence is weighed in this order, the first that
speaks deciding:

1. a country code printed before one of its numbers ('+55 11 ...'): the other numbers are from there too;
2. its address: a country named ('Brasil', 'Japan'), a city the lexicon places ('São Paulo', 'Hanoi'),
   a postcode of one country's own form ('CEP 01013-001', '〒100-0005', 'EC2A 4BX'), a German 'Straße';
3. the country-code domain of its e-mail or website ('.com.br', '.jp', '.vn', '.de');
4. a place of its address that our lexicon lacks but GeoNames knows (gazetteer.py: cities of over 15,000
   people), taken only where the card's numbers are valid: a name shared by several countries, or with a
   common word, says nothing by itself;
5. its language and script: Japanese kana, Hangul, Vietnamese letters, Cyrillic; a language spoken in
   several countries (Portuguese, German, Spanish ...) names several: the default breaks the tie where the
   card's numbers are valid in it, else the first where they are (then a guess, listed in `guesses`);
   a legal form of one country's law (GmbH, Ltda., ООО) counts here too;
6. nothing: the default region (`--region`), else the script's usual country; the numbers are then a
   guess and are listed in the card's `guesses`. A region the user stated (`--region BR`) is not held for
   a person to check (the user said so already): the card's `assumed` lists that guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

import phonenumbers

from pipeline.extract.lexicon import entries, fold, pairs
from pipeline.extract.text import count_scripts

PRINTED_CODE = re.compile(r"(?<![\w+])\+\s?(\d{1,3})[\s.\-(]*\d")
HOST = re.compile(r"(?:@|www\.|://)([\w.-]+\.[^\W\d_]{2,})", re.UNICODE)
BARE_HOST = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.([a-z]{2})\b", re.IGNORECASE)
NON_WORD = re.compile(r"[^\w]+")
STATE = re.compile(r"[-,|/–]\s*([A-Z]{2})\b")  # a state's abbreviation ending an address: '- SP', ', RJ'

MIN_PHONE_DIGITS = 6  # digits on a line below which it holds no phone number to place
LINKISH = re.compile(r"@|www|://|\.(?:ru|com|net|org|рф)\b", re.IGNORECASE)
# Postcodes of one country's own shape, with the word that introduces them where there is one.
POSTCODES = (
    (re.compile(r"\bCEP:?\s*\d{5}-?\d{3}\b", re.IGNORECASE), "BR"),
    (re.compile(r"〒\s*\d{3}-\d{4}"), "JP"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"), "GB"),
    (re.compile(r"\b[A-Z]{2} \d{5}(?:-\d{4})?\b"), "US"),
)  # five digits before a city ('10115 Berlin', '59007 Lille', '28013 Madrid') are a dozen countries' form: no clue
STREET_FORMS = ((re.compile(r"stra(?:ß|ss)e\b|str\.\s*\d", re.IGNORECASE), "DE"),)
# Country-code domains that are sold to anyone and say nothing about where the card is from.
OPEN_TLDS = frozenset({"co", "io", "me", "tv", "ai", "fm", "ly", "to", "cc", "ws", "gg", "so", "im", "sh", "ac"})
TLD_REGION = {"uk": "GB", "su": "RU", "рф": "RU", "eu": ""}
VIETNAMESE = frozenset("ơưđăƠƯĐĂạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


@dataclass(frozen=True)
class RegionEvidence:
    region: str
    source: str  # "printed code", "address", "gazetteer", "language", "default"
    chosen: bool = False  # the evidence named several countries and the numbers' validity chose among them
    stated: bool = False  # the default was the user's own (`--region`), not the script's usual country

    @property
    def guessed(self) -> bool:
        """Numbers read in this region are a guess: nothing on the card pointed anywhere, or its evidence named
        several countries and only the numbers' validity picked this one."""
        return self.source == "default" or self.chosen

    @property
    def unfounded(self) -> bool:
        """Nothing on the card pointed anywhere: a labelled number may be tried in other common regions."""
        return self.source == "default"


def card_region(text: str, default: str | None) -> RegionEvidence:
    """The region for the numbers of a card printed without a country code, and what said so."""
    default = default.upper() if default else None
    for source, finder in (("printed code", _printed_code), ("address", _address), ("domain", _domain)):
        found = finder(text)
        if found:
            return RegionEvidence(found, source)
    spoken = _language(text)
    if default:
        fallback = RegionEvidence(default, "default", stated=True)
    else:
        cyr, lat = count_scripts(" ".join(t for t in text.split() if not LINKISH.search(t)))
        fallback = RegionEvidence("RU" if cyr > lat else "US", "default")
    first = (default if default in spoken else spoken[0]) if spoken else fallback.region
    placed = _gazetteer(text, spoken, first)
    if placed:
        return placed
    if not spoken:
        return fallback
    if len(spoken) == 1 or _valid_numbers(text, first):
        return RegionEvidence(first, "language")
    valid = [r for r in spoken if _valid_numbers(text, r)]
    return RegionEvidence(valid[0], "language", chosen=True) if valid else RegionEvidence(first, "language")


def _valid_numbers(text: str, region: str) -> int:
    """How many phone numbers printed without a country code on the card are valid in `region`."""
    return sum(not m.raw_string.lstrip().startswith("+")
               for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID))


def _gazetteer(text: str, spoken: list[str], otherwise: str) -> RegionEvidence | None:
    """The country of a place the address names that GeoNames knows, among those where the card's numbers are
    valid: most numbers valid first, then a country of the card's language, then the largest place. A name of
    places in several countries ('Victoria Street'), or of a country the card's language is not spoken in
    ('Av. Buenos Aires' in Brazil), is weak: it is not taken where the numbers are valid in `otherwise` (the
    region the card would get without it) or in a country of the card's language, and is a guess where it is
    taken. None when the card prints no digits a number could be made of (the gazetteer is then not read)."""
    if not any(sum(c.isdigit() for c in line) >= MIN_PHONE_DIGITS for line in text.splitlines()):
        return None
    from pipeline.extract.gazetteer import places_in

    found: dict[str, int] = {}
    for line in text.splitlines():
        if LINKISH.search(line):
            continue
        # As in _address: an address line, or a line that is a place alone (not a company named after one).
        for region, people in places_in(line, whole=not any(c.isdigit() or c == "," for c in line)).items():
            found[region] = max(found.get(region, 0), people)
    scored = [(_valid_numbers(text, r), r in spoken, people, r) for r, people in found.items()
              if r in phonenumbers.SUPPORTED_REGIONS]
    best = max((s for s in scored if s[0]), default=None)
    if best is None:
        return None
    region = best[3]
    weak = len(found) > 1 or bool(spoken and region not in spoken)
    if weak and any(_valid_numbers(text, r) for r in {otherwise, *spoken} - {region}):
        return None
    return RegionEvidence(region, "gazetteer", chosen=weak)


def _printed_code(text: str) -> str | None:
    """The country most of the card's +CC prefixes name."""
    codes: Counter[str] = Counter()
    for m in PRINTED_CODE.finditer(text):
        region = _region_of_code(text[m.start():m.start() + 8])
        if region:
            codes[region] += 1
    return codes.most_common(1)[0][0] if codes else None


def _region_of_code(prefix: str) -> str | None:
    """'+55 11 9…' -> BR; the code is read by libphonenumber, which knows one- to three-digit codes."""
    digits = re.sub(r"\D", "", prefix)
    for n in (1, 2, 3):
        region = phonenumbers.region_code_for_country_code(int(digits[:n])) if len(digits) >= n else "ZZ"
        if region != "ZZ":
            # +1 and +7 are shared (US/CA, RU/KZ): the main region of the code stands for them.
            return region
    return None


def area_code(text: str, region: str) -> str | None:
    """The area code the card's address puts a local number of `region` in ('Av. Itaquera, 2994 - SP' -> '11'),
    from lexicons/place_areas.txt; None when no address line names a place of that region the lexicon knows.
    A state's two-letter abbreviation counts only in capitals after a separator, as addresses print it
    ('Jd. Samara - SP', 'Centro | SP'; not the Spanish 'es')."""
    places = _place_areas()
    for line in _address_lines(text):
        padded = f" {NON_WORD.sub(' ', fold(line))} "
        states = set(STATE.findall(line))
        for place, (where, area) in places.items():
            if where == region and (place.upper() in states if len(place) == 2 else f" {place} " in padded):
                return area
    return None


@cache
def _place_areas() -> dict[str, tuple[str, str]]:
    found = {" ".join(NON_WORD.sub(" ", k).split()): tuple(v.split()) for k, v in pairs("place_areas").items()}
    return {k: (v[0], v[1]) for k, v in sorted(found.items(), key=lambda kv: -len(kv[0]))}


def _address_lines(text: str) -> list[str]:
    """Lines that may be an address: a number, a comma or a dash between words in them."""
    return [line for line in text.splitlines() if any(c.isdigit() or c == "," for c in line) or " - " in line]


def _address(text: str) -> str | None:
    # Only address lines (a number or a comma in them) or a line that is a place alone: a company named after
    # a city ('Guangzhou Meida Lighting S.A.' in Warsaw, 'London Drugs') says nothing of the phone's country.
    places = _places()
    for line in text.splitlines():
        padded = f" {NON_WORD.sub(' ', fold(line))} "
        if not (any(c.isdigit() or c == "," for c in line) or padded.strip() in places):
            continue
        for place, region in places.items():
            if f" {place} " in padded:
                return region
    for pattern, region in (*POSTCODES, *STREET_FORMS):
        if pattern.search(text):
            return region
    return None


@cache
def _places() -> dict[str, str]:
    """Country and city names (lexicons/place_regions.txt), longest first so 'São Paulo' beats 'Paulo'."""
    found = {" ".join(NON_WORD.sub(" ", k).split()): v for k, v in pairs("place_regions").items()}
    return dict(sorted(found.items(), key=lambda kv: -len(kv[0])))


def _domain(text: str) -> str | None:
    """The region of the card's e-mail and web domains ('.com.br', '.jp'); generic ones say nothing."""
    hosts = [m.group(1) for m in HOST.finditer(text)]
    hosts += [m.group(0) for m in BARE_HOST.finditer(text) if "." in m.group(0)]
    for host in hosts:
        tld = fold(host).rstrip(".").rsplit(".", 1)[-1]
        region = TLD_REGION.get(tld, tld.upper())
        if tld in OPEN_TLDS or not region:
            continue
        if region in phonenumbers.SUPPORTED_REGIONS:
            return region
    return None


def _language(text: str) -> list[str]:
    """The regions whose language the card is written in, most likely first; [] when it does not say."""
    words_only = " ".join(t for t in text.split() if not LINKISH.search(t))
    scripts = Counter(_script_of(c) for c in words_only if c.isalpha())
    if scripts["kana"]:
        return ["JP"]
    if scripts["hangul"]:
        return ["KR"]
    if scripts["han"]:
        return ["CN", "TW", "HK", "SG"]
    if scripts["thai"]:
        return ["TH"]
    if scripts["arabic"]:
        return ["SA", "AE", "EG", "MA"]
    if sum(c in VIETNAMESE for c in words_only) >= 2:
        return ["VN"]
    if scripts["cyrillic"] > scripts["latin"]:
        return ["RU", "KZ", "BY", "UA"]
    folded = fold(words_only)
    lower = words_only.lower()
    tokens = {t.strip(".,;:«»\"()") for t in folded.split()}
    for clue, regions in _language_clues().items():
        if len(clue) == 1:  # a letter, as printed: folding would make 'ß' 'ss'
            hit = clue in lower
        elif clue.startswith("-"):
            hit = any(len(t) > len(clue) + 1 and t.endswith(clue[1:]) for t in tokens)
        else:
            hit = clue in tokens
        if hit:
            return regions
    return []


@cache
def _language_clues() -> dict[str, list[str]]:
    """Words, word endings ('-ção') and letters ('ß') of one language or one country's law, and the regions
    they point to (lexicons/language_regions.txt)."""
    found = (e.split("\t", 1) for e in entries("language_regions"))
    return {(k if len(k) == 1 else fold(k)): v.split() for k, v in found}


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    for key, script in (("HIRAGANA", "kana"), ("KATAKANA", "kana"), ("HANGUL", "hangul"), ("CJK", "han"),
                        ("THAI", "thai"), ("ARABIC", "arabic"), ("CYRILLIC", "cyrillic"), ("LATIN", "latin")):
        if key in name:
            return script
    return "other"


def region_words() -> tuple[str, ...]:
    """Every entry of the place lexicon (for tests)."""
    return entries("place_regions")
