"""Card content: people, titles, companies, phones, e-mails, addresses and distractors.

Everything printed is built here as :class:`~cardgen.model.Item` objects; labels are derived from
exactly these strings, so what the label says is what the card prints.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import count

from phonenumbers import PhoneNumber

from cardgen import phones
from cardgen.model import CardContent, Item, Phone
from cardgen.translit import slug, transliterate
from cardgen.vocab import pool, pool_words
from cardgen.wordlists import rows

LANGUAGE_WEIGHTS = (("ru", 45), ("en", 35), ("ru+en", 20))


@dataclass(frozen=True)
class ContentOptions:
    """Overrides used by the fixed sample set; ``None`` means "draw at random"."""

    language: str | None = None
    distractors: bool | None = None
    extension: bool | None = None


def weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...] | list[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def feminine_family(name: str) -> str:
    if name.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return name + "а"
    if name.endswith(("ский", "цкий")):
        return name[:-2] + "ая"
    if name.endswith(("ой", "ый")):
        return name[:-2] + "ая"
    return name  # -енко, -ук, -их, -ян and the like do not change


class ItemBuilder:
    """Hands out items with unique keys so the renderer can prove each one was printed."""

    def __init__(self) -> None:
        self._keys = count()

    def item(self, role: str, *segments: str, joiner: str = " ") -> Item:
        assert all(s and s == s.strip() for s in segments), segments
        return Item(next(self._keys), role, tuple(segments), joiner)


# ---------------------------------------------------------------- names


@dataclass(frozen=True)
class Person:
    given: str
    middle: str | None
    family: str
    prefix: str | None
    suffix: str | None
    male: bool
    latin_given: str
    latin_family: str


def ru_person(rng: random.Random) -> Person:
    male = rng.random() < 0.55
    given = rng.choice(pool_words("ru_given_male" if male else "ru_given_female"))
    patronymic = rng.choice(pool("ru_patronymics"))[0 if male else 1]
    family = rng.choice(pool_words("ru_family"))
    if not male:
        family = feminine_family(family)
    return Person(given, patronymic, family, None, None, male, transliterate(given), transliterate(family))


def en_person(rng: random.Random) -> Person:
    male = rng.random() < 0.5
    given = rng.choice(pool_words("en_given_male" if male else "en_given_female"))
    family = rng.choice(pool_words("en_family"))
    middle = rng.choice("ABCDEFGHJKLMNPRSTW") + "." if rng.random() < 0.25 else None
    prefix = "Dr." if rng.random() < 0.08 else None
    suffix = None
    if prefix is None and rng.random() < 0.13:
        suffix = rng.choice(("PhD", "MBA", "Jr.", "CPA") if male else ("PhD", "MBA", "CPA"))
    return Person(given, middle, family, prefix, suffix, male, given, family)


def ru_name_item(
    b: ItemBuilder, rng: random.Random, p: Person, caps: bool, order: str | None = None
) -> tuple[Item, dict[str, str | None]]:
    """``order`` is ``fio``, ``iof`` or ``if`` (no patronymic); ``None`` draws one."""
    order = order or weighted(rng, (("fio", 45), ("iof", 25), ("if", 30)))
    up = (lambda s: s.upper()) if caps else (lambda s: s)
    given, middle, family = up(p.given), up(p.middle or ""), up(p.family)
    if order == "fio":
        item = b.item("name", family, f"{given} {middle}")
    elif order == "iof":
        item = b.item("name", f"{given} {middle}", family)
    else:
        item = b.item("name", given, family)
    parts: dict[str, str | None] = {
        "given": given, "middle": middle if order != "if" else None, "family": family,
        "prefix": None, "suffix": None,
    }  # fmt: skip
    return item, parts


def en_name_item(
    b: ItemBuilder, rng: random.Random, p: Person, caps: bool
) -> tuple[Item, dict[str, str | None]]:
    up = (lambda s: s.upper()) if caps else (lambda s: s)
    front = " ".join(up(s) for s in (p.prefix, p.given, p.middle) if s)
    back = up(p.family)
    # Post-nominals keep their own case ("PhD") even on all-caps cards, as printers set them.
    suffix = p.suffix if p.suffix in ("PhD", "MBA", "CPA") else (up(p.suffix) if p.suffix else None)
    if suffix:
        back += (" " if suffix.lower() == "jr." and rng.random() < 0.5 else ", ") + suffix
    item = b.item("name", front, back)
    parts: dict[str, str | None] = {
        "given": up(p.given), "middle": up(p.middle) if p.middle else None, "family": up(p.family),
        "prefix": up(p.prefix) if p.prefix else None, "suffix": suffix,
    }  # fmt: skip
    return item, parts


# ---------------------------------------------------------------- companies and places


@dataclass(frozen=True)
class Company:
    printed: str | None
    stem: str
    domain: str
    country: str
    form: str = ""  # legal form as printed ("ООО", "LLC"); lets a card's other side translate it


def ru_company(rng: random.Random, person: Person) -> Company:
    form = weighted(rng, [(r[0], float(r[1])) for r in rows("ru_legal_forms")])
    stem = rng.choice(pool_words("ru_company_stems"))
    quoted = weighted(rng, (("«»", 60), ('""', 25), ("", 15)))
    name = stem.upper() if rng.random() < 0.15 else stem
    if form == "ИП":
        initials = f"{person.given[0]}. {person.middle[0]}." if person.middle else f"{person.given[0]}."
        printed = rng.choice(
            (f"ИП {person.family} {initials}", f"ИП {person.family} {person.given} {person.middle}")
        )
    elif form:
        inner = f"{quoted[0]}{name}{quoted[1]}" if quoted else name
        printed = f"{form} {inner}"
    else:
        printed = name if rng.random() < 0.85 else None
    tld = weighted(rng, ((".ru", 75), (".com", 12), (".su", 3), (".net", 5), (".org", 5)))
    domain = slug(stem, rng.choice(("", "-"))) + tld
    return Company(printed, stem, domain, "RU", form)


def en_company(rng: random.Random) -> Company:
    row = rng.choices(rows("en_legal_forms"), weights=[float(r[1]) for r in rows("en_legal_forms")])[0]
    form, country = row[0], rng.choice(row[2].split(","))
    stem = rng.choice(pool_words("en_company_stems"))
    name = stem.upper() if rng.random() < 0.1 else stem
    if form:
        sep = ", " if form in ("Inc.", "LLC") and rng.random() < 0.35 else " "
        printed: str | None = f"{name}{sep}{form}"
    else:
        printed = name
    tld = {"US": ".com", "UK": rng.choice((".co.uk", ".com")), "DE": rng.choice((".de", ".com"))}[country]
    domain = slug(stem.replace("&", " "), rng.choice(("", "-"))) + tld
    return Company(printed, stem, domain, country, form)


@dataclass(frozen=True)
class Place:
    segments: tuple[str, ...]
    area_codes: tuple[str, ...]
    tax_region: str


def ru_place(rng: random.Random) -> Place:
    city, codes, postcodes, region = rng.choice(pool("ru_cities"))
    lo, hi = (int(x) for x in postcodes.split("-"))
    street = rng.choice(pool_words("ru_streets"))
    house = str(rng.randint(1, 120)) + (rng.choice("АБВ") if rng.random() < 0.12 else "")
    segs: list[str] = []
    if rng.random() < 0.7:
        segs.append(f"{rng.randint(lo, hi):06d}")
    segs.append(rng.choice((f"г. {city}", city)) if rng.random() < 0.85 else f"г. {city}")
    segs.append(street)
    segs.append(rng.choice((f"д. {house}", house, f"д. {house}")))
    if rng.random() < 0.3:
        segs.append(rng.choice((f"стр. {rng.randint(1, 9)}", f"корп. {rng.randint(1, 5)}")))
    if rng.random() < 0.6:
        segs.append(rng.choice(("офис ", "оф. ", "пом. ")) + str(rng.randint(1, 950)))
    return Place(tuple(segs), tuple(codes.split(",")), region)


def _uk_postcode(rng: random.Random, district: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def en_place(rng: random.Random, country: str) -> Place:
    num = str(rng.randint(1, 2400))
    with_country = rng.random() < 0.45
    if country == "US":
        city, state, zip3, codes = rng.choice(pool("us_cities"))
        segs = [f"{num} {rng.choice(pool_words('us_streets'))}"]
        if rng.random() < 0.5:
            segs.append(rng.choice(("Suite ", "Ste. ", "Floor ")) + str(rng.randint(2, 4800)))
        segs.append(f"{city}, {state} {zip3}{rng.randint(1, 99):02d}")
        if with_country:
            segs.append(rng.choice(("USA", "United States")))
    elif country == "UK":
        city, districts, code = rng.choice(pool("uk_cities"))
        segs = [f"{rng.randint(1, 220)} {rng.choice(pool_words('uk_streets'))}"]
        if rng.random() < 0.3:
            segs.insert(0, f"{rng.choice(('Unit', 'Suite', 'Flat'))} {rng.randint(1, 40)}")
        segs.append(f"{city} {_uk_postcode(rng, rng.choice(districts.split(',')))}")
        if with_country:
            segs.append(rng.choice(("United Kingdom", "UK")))
        codes = code
    else:
        city, postcodes, code = rng.choice(pool("de_cities"))
        lo, hi = (int(x) for x in postcodes.split("-"))
        segs = [
            f"{rng.choice(pool_words('de_streets'))} {rng.randint(1, 180)}",
            f"{rng.randint(lo, hi):05d} {city}",
        ]
        if with_country:
            segs.append("Germany")
        codes = code
    return Place(tuple(segs), tuple(codes.split(",")), "")


# ---------------------------------------------------------------- contacts


def ru_local_parts(p: Person) -> list[str]:
    g, f, m = slug(p.latin_given), slug(p.latin_family), slug(transliterate(p.middle or "x"))
    return [
        f"{g[0]}.{f}",
        f,
        f"{g}.{f}",
        f"{f}.{g[0]}",
        f"{g[0]}{f}",
        f"{g}",
        f"{f}.{g[0]}{m[0]}",
        f"{g}_{f}",
    ]


def en_local_parts(p: Person) -> list[str]:
    g, f = slug(p.given), slug(p.family)
    return [f"{g}.{f}", f"{g[0]}{f}", g, f"{g[0]}.{f}", f"{g}{f[0]}", f"{g}_{f}", f]


def _email_items(
    b: ItemBuilder, rng: random.Random, p: Person, domain: str, lang: str
) -> list[tuple[Item, str]]:
    locals_ = ru_local_parts(p) if lang != "en" else en_local_parts(p)
    local = rng.choice(locals_)
    if rng.random() < 0.14:
        free = (
            ("gmail.com", "yandex.ru", "mail.ru", "bk.ru", "list.ru")
            if lang != "en"
            else ("gmail.com", "outlook.com", "yahoo.com")
        )
        tail = str(rng.randint(70, 99)) if rng.random() < 0.4 else ""
        addresses = [f"{local}{tail}@{rng.choice(free)}"]
    else:
        addresses = [f"{local}@{domain}"]
    if rng.random() < 0.15:
        generic = (
            ("info", "office", "sales", "zakaz", "mail")
            if lang != "en"
            else ("info", "sales", "hello", "office")
        )
        addresses.append(f"{rng.choice(generic)}@{domain}")
    label_choices = (
        ("", "", "E-mail: ", "e-mail: ", "Email: ", "E: ")
        if lang != "en"
        else ("", "", "Email: ", "E: ", "E ", "e-mail: ")
    )
    label = rng.choice(label_choices)
    return [(b.item("email", label + a), a) for a in addresses]


def _website_item(b: ItemBuilder, rng: random.Random, domain: str, lang: str) -> tuple[Item, str]:
    printed = rng.choice((f"www.{domain}", domain, f"https://{domain}", f"www.{domain}"))
    label = rng.choice(("", "", "", "Сайт: " if lang != "en" else "Web: ", "W: "))
    return b.item("website", label + printed), f"https://{domain}"


def _social_item(b: ItemBuilder, rng: random.Random, p: Person, lang: str) -> tuple[Item, str]:
    handle = slug(p.latin_family) + rng.choice(("", "_" + slug(p.latin_given)[:1], str(rng.randint(1, 99))))
    if lang == "en":
        path = f"linkedin.com/in/{slug(p.latin_given)}-{slug(p.latin_family)}"
    else:
        path = rng.choice((f"t.me/{handle}", f"vk.com/{handle}", f"t.me/{handle}"))
    printed = rng.choice((path, f"https://{path}"))
    return b.item("social", printed), f"https://{path}"


def _phone_items(
    b: ItemBuilder, rng: random.Random, country: str, lang: str, area_codes: tuple[str, ...], ext: bool | None
) -> list[tuple[Item, Phone]]:
    plan: list[tuple[str, PhoneNumber]] = []
    area = rng.choice(area_codes)
    has_office = rng.random() < 0.78
    if has_office:
        plan.append(("work", phones.landline(rng, country, area)))
    if not has_office or rng.random() < 0.55:
        plan.append(("mobile", phones.mobile(rng, country, area)))
    if has_office and rng.random() < 0.14:
        plan.append(("fax", phones.landline(rng, country, area)))
    if rng.random() < 0.3:
        plan.reverse()
    want_ext = ext if ext is not None else rng.random() < 0.16
    if want_ext and not has_office:
        plan.insert(0, ("work", phones.landline(rng, country, area)))
    style = rng.randrange(100)
    out: list[tuple[Item, Phone]] = []
    ext_done = False
    for kind, num in plan:
        extension = None
        if want_ext and kind == "work" and not ext_done:
            extension, ext_done = (
                str(rng.randint(10, 9999) if rng.random() < 0.8 else rng.randint(100, 999)),
                True,
            )
        phone = phones.make_phone(rng, num, kind, "en" if lang == "en" else "ru", extension, style)
        out.append((b.item("phone", phone.raw), phone))
    return out


# ---------------------------------------------------------------- distractors


def inn10(rng: random.Random, region: str) -> str:
    digits = [int(c) for c in region] + [rng.randint(0, 9) for _ in range(7)]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return "".join(map(str, digits)) + str(sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 % 10)


def inn12(rng: random.Random, region: str) -> str:
    d = [int(c) for c in region] + [rng.randint(0, 9) for _ in range(8)]
    d.append(sum(w * x for w, x in zip((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), d, strict=True)) % 11 % 10)
    d.append(sum(w * x for w, x in zip((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8), d, strict=True)) % 11 % 10)
    return "".join(map(str, d))


def ogrn(rng: random.Random, region: str, individual: bool) -> str:
    year = f"{rng.randint(2, 23):02d}"
    if individual:
        body = "3" + year + region + "".join(str(rng.randint(0, 9)) for _ in range(9))
        return body + str(int(body) % 13 % 10)
    body = rng.choice("15") + year + region + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return body + str(int(body) % 11 % 10)


def ru_distractors(b: ItemBuilder, rng: random.Random, region: str, individual: bool) -> list[Item]:
    out: list[Item] = []
    inn = inn12(rng, region) if individual else inn10(rng, region)
    if not individual and rng.random() < 0.4:
        out.append(b.item("extra", f"ИНН/КПП {inn}/{region}{rng.randint(1, 51):02d}01001"))
    else:
        out.append(b.item("extra", f"ИНН {inn}"))
    if rng.random() < 0.7:
        label = "ОГРНИП" if individual else "ОГРН"
        out.append(b.item("extra", f"{label} {ogrn(rng, region, individual)}"))
    if rng.random() < 0.25:
        out.append(
            b.item(
                "extra",
                rng.choice(("Работаем с ", "На рынке с ", "Основана в "))
                + str(rng.randint(1992, 2019))
                + " г.",
            )
        )
    return out


def en_distractors(b: ItemBuilder, rng: random.Random, country: str) -> list[Item]:
    if country == "UK":
        text = rng.choice(
            (
                f"VAT No. GB {rng.randint(100, 999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}",
                f"Registered in England No. {rng.randint(1000000, 9999999):08d}",
            )
        )
    elif country == "DE":
        text = rng.choice(
            (
                f"USt-IdNr. DE{rng.randint(100000000, 999999999)}",
                f"HRB {rng.randint(10000, 99999)} Amtsgericht {rng.choice(('Berlin', 'München', 'Hamburg'))}",
            )
        )
    else:
        text = rng.choice(
            (
                f"Est. {rng.randint(1950, 2018)}",
                f"EIN {rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}",
                f"License #{rng.randint(100000, 999999)}",
            )
        )
    return [b.item("extra", text)]


# ---------------------------------------------------------------- the card


def make_content(rng: random.Random, options: ContentOptions | None = None) -> CardContent:
    opts = options or ContentOptions()
    lang = opts.language or weighted(rng, LANGUAGE_WEIGHTS)
    b = ItemBuilder()
    if lang == "world":
        from cardgen.world import world_card

        return world_card(b, rng)
    return _ru_card(b, rng, lang, opts) if lang != "en" else _en_card(b, rng, opts)


def _title_items(b: ItemBuilder, rng: random.Random, lang: str, caps: bool) -> tuple[Item | None, Item | None]:
    if rng.random() < 0.05:
        return None, None
    if lang == "en":
        title = rng.choice(pool_words("en_titles"))
        return b.item("title", *(title.upper() if caps else title).split(" ")), None
    row = rng.choice(pool("ru_titles"))
    title = row[0].upper() if caps else row[0]
    english = None
    if lang == "ru+en" and len(row) > 1 and rng.random() < 0.6:
        english = b.item("title_en", *row[1].split(" "))
    return b.item("title", *title.split(" ")), english


def _ru_card(b: ItemBuilder, rng: random.Random, lang: str, opts: ContentOptions) -> CardContent:
    person = ru_person(rng)
    caps = rng.random() < 0.15
    name, parts = ru_name_item(b, rng, person, caps)
    company = ru_company(rng, person)
    place = ru_place(rng)
    title, title_en = _title_items(b, rng, lang, rng.random() < 0.08)
    if company.printed and company.printed.startswith("ИП ") and rng.random() < 0.7:
        # A sole trader is rarely "Head of Sales"; these cards say what the person does or nothing.
        own = rng.choice(("Индивидуальный предприниматель", "Руководитель", "Мастер-консультант", ""))
        title, title_en = (b.item("title", *own.split(" ")) if own else None), None
    card = CardContent(
        language=lang, country="RU", name=name, name_parts=parts, title=title, title_en=title_en
    )
    if lang == "ru+en":
        alias = f"{person.latin_given} {person.latin_family}"
        card.aliases = [b.item("alias", alias.upper() if caps and rng.random() < 0.5 else alias)]
    if rng.random() < 0.22:
        card.department = b.item("department", *rng.choice(pool_words("ru_departments")).split(" "))
    if company.printed:
        card.company = b.item("company", company.printed)
    card.phones = _phone_items(b, rng, "RU", "ru", place.area_codes, opts.extension)
    _add_online(b, rng, card, person, company.domain, "ru")
    if rng.random() < 0.7:
        card.address = b.item("address", *place.segments, joiner=", ")
    individual = bool(company.printed and company.printed.startswith("ИП "))
    if opts.distractors if opts.distractors is not None else rng.random() < 0.22:
        card.extras = ru_distractors(b, rng, place.tax_region, individual)
    if rng.random() < 0.15:
        card.slogan = b.item("slogan", rng.choice(pool_words("ru_slogans")))
    card.logo_text = initials(company.stem)
    return card


def _en_card(b: ItemBuilder, rng: random.Random, opts: ContentOptions) -> CardContent:
    person = en_person(rng)
    name, parts = en_name_item(b, rng, person, rng.random() < 0.12)
    company = en_company(rng)
    place = en_place(rng, company.country)
    title, _ = _title_items(b, rng, "en", rng.random() < 0.1)
    card = CardContent(language="en", country=company.country, name=name, name_parts=parts, title=title)
    if rng.random() < 0.18:
        card.department = b.item("department", *rng.choice(pool_words("en_departments")).split(" "))
    if company.printed:
        card.company = b.item("company", company.printed)
    card.phones = _phone_items(b, rng, company.country, "en", place.area_codes, opts.extension)
    _add_online(b, rng, card, person, company.domain, "en")
    if rng.random() < 0.65:
        card.address = b.item("address", *place.segments, joiner=", ")
    if opts.distractors if opts.distractors is not None else rng.random() < 0.18:
        card.extras = en_distractors(b, rng, company.country)
    if rng.random() < 0.15:
        card.slogan = b.item("slogan", rng.choice(pool_words("en_slogans")))
    card.logo_text = initials(company.stem)
    return card


def _add_online(
    b: ItemBuilder, rng: random.Random, card: CardContent, p: Person, domain: str, lang: str
) -> None:
    if rng.random() < 0.92:
        card.emails = _email_items(b, rng, p, domain, lang)
    if rng.random() < 0.65:
        card.websites = [_website_item(b, rng, domain, lang)]
    if rng.random() < 0.15:
        card.socials = [_social_item(b, rng, p, lang)]


def initials(stem: str) -> str:
    parts = [w for w in stem.replace("-", " ").replace("&", " ").split() if w]
    letters = "".join(w[0] for w in parts[:2]).upper()
    return letters if len(letters) == 2 else stem[:2].upper()
