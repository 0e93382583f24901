"""Cards of people from other cultures, printed in Latin script: Japanese, Chinese, Vietnamese, Korean, Indian,
Arabic, Turkish, German, French, Spanish, Portuguese (Portugal, Brazil), Polish and Czech.

Names keep their diacritics; East Asian and Vietnamese names are often printed family name first, family names
often in capitals; cards are in English or the local language, with department or section lines, taglines, a
second address (a branch or factory, not a field) and the phone labels of the region (Tel, Fax, Cell, HP,
Direct, Mob., Tel./Fax). Every word list is split into seen and unseen parts like the others (cardgen.vocab).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumber

from cardgen import phones
from cardgen.model import CardContent, Item, Phone
from cardgen.people import ItemBuilder
from cardgen.vocab import pool, pool_words


@dataclass(frozen=True)
class Culture:
    code: str
    local: str | None  # the language a card may be printed in besides English
    local_share: float
    family_first: float  # how often the family name is printed first
    forms: tuple[str, ...]
    email_label: str


CULTURES: dict[str, Culture] = {
    "ja": Culture("ja", None, 0.0, 0.55, ("Co., Ltd.", "Corporation", "Inc.", "K.K."), "E-mail: "),
    "zh": Culture("zh", None, 0.0, 0.6, ("Co., Ltd.", "Group Co., Ltd.", "Co., Ltd."), "Email: "),
    "vi": Culture("vi", "vi", 0.4, 1.0, ("JSC", "Co., Ltd", "Joint Stock Company"), "Email: "),
    "ko": Culture("ko", None, 0.0, 0.5, ("Co., Ltd.", "Corp.", "Inc."), "E-mail: "),
    "in": Culture("in", None, 0.0, 0.0, ("Pvt. Ltd.", "Private Limited", "Ltd."), "Email: "),
    "ar": Culture("ar", None, 0.0, 0.0, ("LLC", "FZE", "FZ-LLC", "W.L.L."), "Email: "),
    "tr": Culture("tr", "tr", 0.6, 0.0, ("A.Ş.", "Ltd. Şti."), "E-posta: "),
    "de": Culture("de", "de", 0.7, 0.0, ("GmbH", "AG", "GmbH & Co. KG"), "E-Mail: "),
    "fr": Culture("fr", "fr", 0.7, 0.0, ("SAS", "SARL", "S.A."), "E-mail : "),
    "es": Culture("es", "es", 0.7, 0.0, ("S.L.", "S.A."), "Email: "),
    "pt": Culture("pt", "pt", 0.7, 0.0, ("S.A.",), "E-mail: "),
    "pl": Culture("pl", "pl", 0.6, 0.0, ("Sp. z o.o.", "S.A."), "e-mail: "),
    "cs": Culture("cs", "cs", 0.6, 0.0, ("s.r.o.", "a.s."), "E-mail: "),
}
EXTRA_FORMS = {"PT": ("Lda.",), "BR": ("Ltda.",)}
TLDS = {
    "JP": (".co.jp", ".jp"), "CN": (".com.cn", ".cn"), "VN": (".com.vn", ".vn"), "KR": (".co.kr", ".kr"),
    "IN": (".in", ".co.in"), "AE": (".ae",), "SA": (".com.sa", ".sa"), "TR": (".com.tr",), "DE": (".de",),
    "FR": (".fr",), "ES": (".es",), "PT": (".pt",), "BR": (".com.br",), "PL": (".pl",), "CZ": (".cz",),
}  # fmt: skip
COUNTRY_NAMES = {
    "JP": ("Japan",), "CN": ("China", "P.R. China"), "VN": ("Vietnam", "Việt Nam"),
    "KR": ("Korea", "Republic of Korea"), "IN": ("India",), "AE": ("UAE", "United Arab Emirates"),
    "SA": ("Saudi Arabia", "KSA"), "TR": ("Türkiye", "Turkey"),
    "DE": ("Deutschland", "Germany"), "FR": ("France",), "ES": ("España", "Spain"), "PT": ("Portugal",),
    "BR": ("Brasil", "Brazil"), "PL": ("Polska", "Poland"), "CZ": ("Česká republika", "Czech Republic"),
}  # fmt: skip
VI_MIDDLE = {"m": ("Văn", "Đức", "Minh", "Hữu", "Quốc"), "f": ("Thị", "Ngọc", "Thanh", "Thu")}

# Phone labels by language: work, mobile, fax, and a number that is both ("Tel./Fax", typed work).
PHONE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"work": ("Tel: ", "Tel. ", "TEL ", "T: ", "Direct: ", "Office: ", "Phone: "),
           "mobile": ("Cell: ", "HP: ", "Mob.: ", "Mobile: ", "M: ", "HP "),
           "fax": ("Fax: ", "FAX ", "F: "), "workfax": ("Tel./Fax: ", "Tel/Fax: ")},
    "de": {"work": ("Tel.: ", "Telefon: ", "T "), "mobile": ("Mobil: ", "Handy: ", "M "),
           "fax": ("Fax: ", "F "), "workfax": ("Tel./Fax: ",)},
    "fr": {"work": ("Tél. : ", "Tél.: ", "T. "), "mobile": ("Mobile : ", "Port. : ", "Portable : "),
           "fax": ("Fax : ",), "workfax": ("Tél./Fax : ",)},
    "es": {"work": ("Tel.: ", "Tfno.: ", "Teléfono: "), "mobile": ("Móvil: ", "Cel.: "), "fax": ("Fax: ",),
           "workfax": ("Tel./Fax: ",)},
    "pt": {"work": ("Tel.: ", "Telefone: "), "mobile": ("Telemóvel: ", "Cel.: ", "Celular: "), "fax": ("Fax: ",),
           "workfax": ("Tel./Fax: ",)},
    "tr": {"work": ("Tel: ", "T: "), "mobile": ("GSM: ", "Cep: "), "fax": ("Faks: ", "Fax: "),
           "workfax": ("Tel./Faks: ",)},
    "pl": {"work": ("tel. ", "Tel.: "), "mobile": ("kom. ", "tel. kom.: ", "Mob.: "), "fax": ("faks: ", "fax: "),
           "workfax": ("tel./faks: ",)},
    "cs": {"work": ("Tel.: ", "tel.: "), "mobile": ("Mobil: ", "mob.: "), "fax": ("Fax: ",),
           "workfax": ("Tel./Fax: ",)},
    "vi": {"work": ("ĐT: ", "Tel: "), "mobile": ("DĐ: ", "Mobile: "), "fax": ("Fax: ",), "workfax": ("Tel/Fax: ",)},
}  # fmt: skip
SECOND_ADDRESS = {
    "en": ("Factory: ", "Branch Office: ", "Showroom: ", "Warehouse: "), "de": ("Werk: ", "Niederlassung: "),
    "fr": ("Usine : ", "Agence : "), "es": ("Fábrica: ", "Delegación: "), "pt": ("Fábrica: ", "Filial: "),
    "tr": ("Fabrika: ", "Şube: "), "pl": ("Zakład: ", "Oddział: "), "cs": ("Pobočka: ", "Provozovna: "),
    "vi": ("Chi nhánh: ", "Nhà máy: "),
}  # fmt: skip


def ascii_fold(text: str) -> str:
    """Latin letters without their marks, for e-mail addresses and domains (Nguyễn -> Nguyen, Łukasz -> Lukasz)."""
    text = text.translate(str.maketrans({"đ": "d", "Đ": "D", "ı": "i", "ł": "l", "Ł": "L", "ß": "ss", "ø": "o"}))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _slug(text: str, sep: str = "") -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_fold(text).lower()).split()
    return sep.join(words)


def upper(text: str, culture: str) -> str:
    """Capitals as the language writes them (Turkish i -> İ)."""
    return text.replace("i", "İ").upper() if culture == "tr" else text.upper()


def _pick(rng: random.Random, name: str, culture: str, column: int = 1) -> tuple[str, ...]:
    rows = [r for r in pool(name) if len(r) > column and r[column] == culture]
    if not rows:  # this culture's words all fell in the other part: any culture's will do
        rows = list(pool(name))
    return rng.choice(rows)


def _fill(pattern: str, rng: random.Random) -> str:
    return "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in pattern)


@dataclass(frozen=True)
class WorldPerson:
    given: str
    middle: str | None
    family: str
    prefix: str | None
    female: bool


def _person(rng: random.Random, c: Culture) -> WorldPerson:
    female = rng.random() < 0.45
    sex = "f" if female else "m"
    rows = [r for r in pool("world_given") if r[1] == c.code and r[2] == sex] or [
        r for r in pool("world_given") if r[1] == c.code
    ] or list(pool("world_given"))
    given = rng.choice(rows)[0]
    fam_row = _pick(rng, "world_family", c.code)
    family = fam_row[2] if female and len(fam_row) > 2 and fam_row[2] else fam_row[0]
    if c.code == "es" and rng.random() < 0.4:
        family = f"{family} {_pick(rng, 'world_family', 'es')[0]}"
    middle = rng.choice(VI_MIDDLE[sex]) if c.code == "vi" else None
    prefix = None
    if c.code == "de" and rng.random() < 0.12:
        prefix = rng.choice(("Dr.", "Dipl.-Ing.", "Prof. Dr."))
    elif c.code in ("ar", "in") and rng.random() < 0.08:
        prefix = rng.choice(("Dr.", "Eng.")) if c.code == "ar" else "Dr."
    return WorldPerson(given, middle, family, prefix, female)


def _name(b: ItemBuilder, rng: random.Random, p: WorldPerson, c: Culture) -> tuple[Item, dict[str, str | None]]:
    caps = rng.choices(("all", "family", "none"), weights=(20, 35, 45))[0]
    family = upper(p.family, c.code) if caps != "none" else p.family
    given = upper(p.given, c.code) if caps == "all" else p.given
    middle = (upper(p.middle, c.code) if caps == "all" else p.middle) if p.middle else None
    if rng.random() < c.family_first:
        rest = " ".join(s for s in (middle, given) if s)
        item = b.item("name", " ".join(s for s in (p.prefix, family) if s), rest)
    else:
        item = b.item("name", " ".join(s for s in (p.prefix, given, middle) if s), family)
    parts: dict[str, str | None] = {"given": given, "middle": middle, "family": family, "prefix": p.prefix,
                                    "suffix": None}  # fmt: skip
    return item, parts


def _phone(rng: random.Random, num: PhoneNumber, kind: str, lang: str, printed_kind: str) -> tuple[str, Phone]:
    region = phonenumbers.region_code_for_number(num)
    forms = [f for f in phones.printed_forms(num) if _found(f, num, region)]
    body = rng.choice(forms)
    raw = rng.choice(PHONE_LABELS.get(lang, PHONE_LABELS["en"])[printed_kind]) + body
    return raw, Phone(number=phones.e164(num), type=kind, extension=None, raw=raw)


def _found(text: str, num: PhoneNumber, region: str) -> bool:
    """Whether a reader finds ``num`` in ``text`` (``+48 (0)...`` parses, yet no matcher finds it)."""
    return any(m.number.national_number == num.national_number for m in phonenumbers.PhoneNumberMatcher(text, region))


def _address(rng: random.Random, c: Culture, city: tuple[str, ...], lang: str) -> tuple[str, ...]:
    name, _, pattern, region = city
    street = _pick(rng, "world_streets", c.code)[0]
    post = _fill(pattern, rng) if pattern else ""
    n = rng.randint(1, 240)
    if c.code == "ja":
        segs = [f"{rng.randint(1, 9)}-{rng.randint(1, 20)}-{rng.randint(1, 30)} {street}", f"{name} {post}"]
        if rng.random() < 0.4:
            segs.insert(0, f"{rng.randint(2, 30)}F {rng.choice(('Sumitomo', 'Shin-Marunouchi', 'Daiichi'))} Bldg.")
    elif c.code == "zh":
        segs = [f"Room {rng.randint(2, 30)}{rng.randint(1, 20):02d}, No. {n} {street}", f"{name} {post}"]
    elif c.code == "vi":
        segs = [f"Số {n} {street}" if lang == "vi" else f"{n} {street}", name]
    elif c.code == "ko":
        segs = [f"{n} {street}", f"{name} {post}"]
    elif c.code == "in":
        segs = [f"{rng.choice(('Plot', 'No.', 'Unit'))} {n}, {street}", f"{name} - {post}"]
    elif c.code == "ar":
        segs = [f"Office {rng.randint(101, 2400)}, {street}", f"P.O. Box {rng.randint(1000, 99999)}", name]
        if post:
            segs[-1] = f"{name} {post}"
    elif c.code == "tr":
        segs = [f"{street} No: {n}", f"{post} {name}"]
    elif c.code in ("fr",):
        segs = [f"{n} {street}", f"{post} {name}"]
    elif c.code in ("es", "pt"):
        state = f" - {rng.choice(('SP', 'MG', 'PR'))}" if region == "BR" else ""
        segs = [f"{street}, {n}", f"{post} {name}{state}"]
    else:  # de, pl, cs
        segs = [f"{street} {n}", f"{post} {name}"]
    if rng.random() < 0.35:
        segs.append(rng.choice(COUNTRY_NAMES[region]))
    return tuple(s for s in segs if s.strip())


def world_card(b: ItemBuilder, rng: random.Random) -> CardContent:
    code = rng.choice(tuple(CULTURES))
    c = CULTURES[code]
    lang = c.local if c.local and rng.random() < c.local_share else "en"
    person = _person(rng, c)
    name, parts = _name(b, rng, person, c)
    city = _pick(rng, "world_cities", code)
    region = city[3]
    # Company
    stem = _pick(rng, "world_companies", code)[0]
    form = rng.choice(c.forms + EXTRA_FORMS.get(region, ()))
    shown = upper(stem, code) if rng.random() < 0.15 else stem
    company = f"{shown} {form}" if rng.random() < 0.85 else shown
    tld = rng.choice(TLDS[region]) if rng.random() < 0.75 else ".com"
    domain = _slug(stem, rng.choice(("", "-"))) + tld
    # Title
    titles = [r for r in pool("world_titles") if r[1] == lang] or [r for r in pool("world_titles") if r[1] == "en"]
    if lang == "en" and rng.random() < 0.3:
        titles = [(t, "en", "") for t in pool_words("en_titles")]
    trow = rng.choice(titles)
    title_text = trow[2] if person.female and len(trow) > 2 and trow[2] else trow[0]
    caps_title = rng.random() < 0.1
    card = CardContent(language=lang, country=region, name=name, name_parts=parts, culture=code)
    if rng.random() < 0.95:
        card.title = b.item("title", *(upper(title_text, code) if caps_title else title_text).split(" "))
    if rng.random() < 0.4:
        depts = [r[0] for r in pool("world_departments") if r[1] == lang] or [
            r[0] for r in pool("world_departments") if r[1] == "en"
        ]
        card.department = b.item("department", *rng.choice(depts).split(" "))
    card.company = b.item("company", company)
    # Phones
    plan: list[tuple[str, str, bool]] = []  # (type, printed kind, mobile number)
    if rng.random() < 0.8:
        plan.append(("work", "work", False))
    if not plan or rng.random() < 0.6:
        plan.append(("mobile", "mobile", True))
    if plan[0][0] == "work" and rng.random() < 0.25:
        if rng.random() < 0.4:
            plan[0] = ("work", "workfax", False)
        else:
            plan.append(("fax", "fax", False))
    for kind, printed, mobile in plan:
        num = phones.world_number(rng, region, mobile)
        raw, phone = _phone(rng, num, kind, lang, printed)
        card.phones.append((b.item("phone", raw), phone))
    # E-mail, website
    g, f = _slug(person.given), _slug(person.family.split(" ")[-1])
    local = rng.choice((f"{g}.{f}", f"{g[0]}.{f}", f"{f}.{g}", f"{g}", f"{g[0]}{f}"))
    if rng.random() < 0.92:
        label = rng.choice(("", "", c.email_label, "E: ", "Email: "))
        card.emails = [(b.item("email", f"{label}{local}@{domain}"), f"{local}@{domain}")]
    if rng.random() < 0.65:
        printed = rng.choice((f"www.{domain}", domain, f"https://{domain}", f"www.{domain}"))
        card.websites = [(b.item("website", rng.choice(("", "", "Web: ")) + printed), f"https://{domain}")]
    # Addresses: the main one is the field; a second (branch, factory) is printed but is not a field.
    if rng.random() < 0.8:
        card.address = b.item("address", *_address(rng, c, city, lang), joiner=", ")
        if rng.random() < 0.3:
            other = _address(rng, c, _pick(rng, "world_cities", code), lang)
            prefix = rng.choice(SECOND_ADDRESS.get(lang, SECOND_ADDRESS["en"]))
            card.extras.append(b.item("extra", prefix + ", ".join(other)))
    if rng.random() < 0.2:
        slogans = [r[0] for r in pool("world_slogans") if r[1] == lang] or [
            r[0] for r in pool("world_slogans") if r[1] == "en"
        ]
        card.slogan = b.item("slogan", rng.choice(slogans))
    words = [w for w in ascii_fold(stem).replace("-", " ").split() if w]
    card.logo_text = ("".join(w[0] for w in words[:2]).upper() if len(words) > 1 else stem[:2].upper())
    return card
