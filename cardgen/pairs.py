"""The same person on two cards: both sides of one card, and the cards before and after a job change.

These exist to test and demonstrate de-duplication on rendered images. Each pair shares exactly
what a real pair shares and nothing more:

- ``front_back``: a Russian card and its English back. Same phones, e-mail and website; the name
  transliterated as ``translit`` does, the company with its legal form in English (``LLC``, ``JSC``),
  the English equivalent of the title and a Latin address.
- ``ru_job_change`` / ``en_job_change``: the same printed name and personal mobile on two cards
  with a different company, title, office phone and work e-mail.

Content is drawn with the builders of :mod:`cardgen.people` from random streams keyed by the seed
and the pair, so each pair does not depend on the others and the output is byte-identical per seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from phonenumbers import PhoneNumber

from cardgen import phones
from cardgen.generate import Card, write_example
from cardgen.geometry import LayoutError
from cardgen.layouts import CardPlan, build_plan
from cardgen.model import CardContent, Item, Phone
from cardgen.people import (
    Company,
    ItemBuilder,
    Person,
    Place,
    en_company,
    en_local_parts,
    en_name_item,
    en_person,
    en_place,
    initials,
    ru_company,
    ru_local_parts,
    ru_name_item,
    ru_person,
    ru_place,
)
from cardgen.scenes import SceneOptions
from cardgen.styles import Style, make_style
from cardgen.translit import transliterate
from cardgen.wordlists import rows, words

PAIRS_SEED = 20240502

# Russian legal forms and what the English side of a card prints for them. Forms without a common
# English rendering (ИП, НКО, ФГУП, none) are not drawn for the front/back pair.
LATIN_FORMS: dict[str, str] = {"ООО": "LLC", "АО": "JSC", "ПАО": "PJSC", "ЗАО": "CJSC"}

# Cities whose English name is not their transliteration; the rest are transliterated.
CITY_EN: dict[str, str] = {
    "Москва": "Moscow",
    "Санкт-Петербург": "Saint Petersburg",
    "Нижний Новгород": "Nizhny Novgorod",
    "Ростов-на-Дону": "Rostov-on-Don",
    "Екатеринбург": "Yekaterinburg",
}

# Street types as printed in ``ru_streets`` and the English abbreviation put after the name.
STREET_EN: dict[str, str] = {
    "ул.": "St.", "пр-т": "Ave.", "пер.": "Lane", "наб.": "Emb.", "ш.": "Hwy", "б-р": "Blvd.", "пл.": "Sq.",
}  # fmt: skip


@dataclass(frozen=True)
class PairImage:
    """One image of a pair: its file stem, the pair it belongs to and the layout family to use."""

    stem: str
    pair: str
    family: str


# File stems in output order; the index in this tuple is the label's ``generator.index``.
IMAGES: tuple[PairImage, ...] = (
    PairImage("ru_front", "front_back", "left_logo"),
    PairImage("en_back", "front_back", "left_logo"),
    PairImage("ru_oldjob", "ru_job_change", "classic_centered"),
    PairImage("ru_newjob", "ru_job_change", "two_column"),
    PairImage("en_oldjob", "en_job_change", "left_logo"),
    PairImage("en_newjob", "en_job_change", "classic_centered"),
)
FALLBACK_FAMILIES = ("classic_centered", "left_logo", "two_column")


def _rng(seed: int, what: str) -> random.Random:
    return random.Random(f"cardgen-pairs:{seed}:{what}")


# ---------------------------------------------------------------- shared pieces


def _phone_items(
    b: ItemBuilder, rng: random.Random, numbers: list[tuple[str, PhoneNumber]], lang: str, style: int
) -> list[tuple[Item, Phone]]:
    out = []
    for kind, num in numbers:
        phone = phones.make_phone(rng, num, kind, lang, None, style)
        out.append((b.item("phone", phone.raw), phone))
    return out


def _international_style(rng: random.Random, num: PhoneNumber) -> int:
    """A print style starting with ``+``: a card meant for foreigners does not print ``8 (495)``."""
    forms = phones.printed_forms(num)
    return rng.choice([i for i, form in enumerate(forms) if form.startswith("+")])


def _email_item(b: ItemBuilder, rng: random.Random, address: str, lang: str) -> tuple[Item, str]:
    label = rng.choice(("", "E-mail: ", "e-mail: ") if lang == "ru" else ("", "Email: ", "E: "))
    return b.item("email", label + address), address


def _website_item(b: ItemBuilder, printed: str, domain: str) -> tuple[Item, str]:
    return b.item("website", printed), f"https://{domain}"


def _title_item(b: ItemBuilder, title: str) -> Item:
    return b.item("title", *title.split(" "))


def _draw_company(draw: Callable[[], Company], ok: Callable[[Company], bool], what: str) -> Company:
    """Rejection sampling keeps the stock distributions of ``people`` while forcing what a pair needs."""
    for _ in range(200):
        company = draw()
        if company.printed and ok(company):
            return company
    raise RuntimeError(f"could not draw {what}")


# ---------------------------------------------------------------- front and back


def latin_company(company: Company) -> str:
    """``ООО «Ромашка»`` -> ``Romashka LLC``: the name without quotes, transliterated, form after it."""
    assert company.printed is not None
    inner = company.printed.removeprefix(company.form).strip(' «»"')
    return f"{transliterate(inner)} {LATIN_FORMS[company.form]}"


def _en_street(street: str) -> str:
    for ru, en in STREET_EN.items():
        if street.startswith(ru + " "):
            return f"{transliterate(street[len(ru) + 1 :])} {en}"
        if street.endswith(" " + ru):
            return f"{transliterate(street[: -len(ru) - 1])} {en}"
    return transliterate(street)


def en_address(place: Place) -> tuple[str, ...]:
    """The English form of a Russian address: ``5 Lenina St., office 12, Moscow 123456, Russia``.

    Works on the printed segments of :func:`cardgen.people.ru_place`, whose shapes are fixed.
    """
    cities = {row[0] for row in rows("ru_cities")}
    streets = set(words("ru_streets"))
    postcode = city = street = house = ""
    rest: list[str] = []
    for seg in place.segments:
        if re.fullmatch(r"\d{6}", seg):
            postcode = seg
        elif seg.removeprefix("г. ") in cities:
            name = seg.removeprefix("г. ")
            city = CITY_EN.get(name, transliterate(name))
        elif seg in streets:
            street = _en_street(seg)
        elif m := re.fullmatch(r"(?:д\. )?(\d+[АБВ]?)", seg):
            house = transliterate(m.group(1))
        elif m := re.fullmatch(r"(стр\.|корп\.|офис|оф\.|пом\.) (\d+)", seg):
            word = {"стр.": "bldg.", "корп.": "block", "пом.": "room"}.get(m.group(1), "office")
            rest.append(f"{word} {m.group(2)}")
        else:
            raise ValueError(f"unexpected address segment {seg!r}")
    # "8 Marta St." would read as house 8; such streets keep the house after the name.
    first = f"{street}, {house}" if street[:1].isdigit() else f"{house} {street}"
    return (first, *rest, f"{city} {postcode}".strip(), "Russia")


def front_back(seed: int) -> tuple[CardContent, CardContent]:
    """A Russian card and its English back side."""
    rng = _rng(seed, "front_back")
    person = ru_person(rng)
    company = _draw_company(lambda: ru_company(rng, person), lambda c: c.form in LATIN_FORMS, "a company")
    place = ru_place(rng)
    title_ru, title_en = rng.choice([r for r in rows("ru_titles") if len(r) > 1])[:2]
    work = phones.landline(rng, "RU", rng.choice(place.area_codes))
    numbers = [("work", work), ("mobile", phones.mobile(rng, "RU"))]
    style = _international_style(rng, work)
    email = f"{rng.choice(ru_local_parts(person))}@{company.domain}"
    site = rng.choice((f"www.{company.domain}", company.domain))

    b = ItemBuilder()
    name, parts = ru_name_item(b, rng, person, caps=False, order="fio")
    ru = CardContent("ru", "RU", name, parts, title=_title_item(b, title_ru))
    ru.company = b.item("company", company.printed or "")
    ru.phones = _phone_items(b, rng, numbers, "ru", style)
    ru.emails = [_email_item(b, rng, email, "ru")]
    ru.websites = [_website_item(b, site, company.domain)]
    ru.address = b.item("address", *place.segments, joiner=", ")
    ru.logo_text = initials(company.stem)

    b = ItemBuilder()
    latin = Person(person.latin_given, None, person.latin_family, None, None, person.male,
                   person.latin_given, person.latin_family)  # fmt: skip
    name, parts = en_name_item(b, rng, latin, caps=False)
    en = CardContent("en", "RU", name, parts, title=_title_item(b, title_en))
    en.company = b.item("company", latin_company(company))
    en.phones = _phone_items(b, rng, numbers, "en", style)
    en.emails = [_email_item(b, rng, email, "en")]
    en.websites = [_website_item(b, site, company.domain)]
    en.address = b.item("address", *en_address(place), joiner=", ")
    en.logo_text = initials(transliterate(company.stem))
    return ru, en


# ---------------------------------------------------------------- job change


@dataclass(frozen=True)
class Job:
    company: Company
    place: Place
    title: str


def _job_card(
    lang: str, person: Person, job: Job, mobile: PhoneNumber, rng: random.Random, name_seed: int
) -> CardContent:
    """One job's card. The name is drawn from ``name_seed`` so both cards print it identically."""
    b = ItemBuilder()
    name_rng = random.Random(name_seed)
    if lang == "ru":
        name, parts = ru_name_item(b, name_rng, person, caps=False)
    else:
        name, parts = en_name_item(b, name_rng, person, caps=False)
    card = CardContent(lang, job.company.country, name, parts, title=_title_item(b, job.title))
    card.company = b.item("company", job.company.printed or "")
    work = phones.landline(rng, job.company.country, rng.choice(job.place.area_codes))
    card.phones = _phone_items(b, rng, [("work", work), ("mobile", mobile)], lang, rng.randrange(100))
    locals_ = ru_local_parts(person) if lang == "ru" else en_local_parts(person)
    card.emails = [_email_item(b, rng, f"{rng.choice(locals_)}@{job.company.domain}", lang)]
    if rng.random() < 0.6:
        card.websites = [_website_item(b, f"www.{job.company.domain}", job.company.domain)]
    card.address = b.item("address", *job.place.segments, joiner=", ")
    card.logo_text = initials(job.company.stem)
    return card


def ru_job_change(seed: int) -> tuple[CardContent, CardContent]:
    """A Russian person's card at the old job and at the new one."""
    rng = _rng(seed, "ru_job_change")
    person = ru_person(rng)
    mobile = phones.mobile(rng, "RU")
    name_seed = rng.getrandbits(32)
    # A sole trader's company prints the person's own name, which is not a job change.
    old = _draw_company(lambda: ru_company(rng, person), lambda c: c.form != "ИП", "an old company")
    new = _draw_company(
        lambda: ru_company(rng, person),
        lambda c: c.form != "ИП" and c.stem != old.stem and c.domain != old.domain,
        "a new company",
    )
    titles = rng.sample(words("ru_titles"), 2)
    jobs = [Job(company, ru_place(rng), title) for company, title in zip((old, new), titles, strict=True)]
    cards = [_job_card("ru", person, job, mobile, rng, name_seed) for job in jobs]
    return cards[0], cards[1]


def en_job_change(seed: int) -> tuple[CardContent, CardContent]:
    """An English-speaking person's card at the old job and at the new one, in the same country."""
    rng = _rng(seed, "en_job_change")
    person = en_person(rng)
    name_seed = rng.getrandbits(32)
    old = _draw_company(lambda: en_company(rng), lambda c: True, "an old company")
    new = _draw_company(
        lambda: en_company(rng),
        lambda c: c.country == old.country and c.stem != old.stem and c.domain != old.domain,
        "a new company",
    )
    places = [en_place(rng, old.country) for _ in range(2)]
    # US mobiles carry the area code of where the person got the phone: the old job's city.
    mobile = phones.mobile(rng, old.country, rng.choice(places[0].area_codes))
    titles = rng.sample(words("en_titles"), 2)
    jobs = [Job(c, p, t) for c, p, t in zip((old, new), places, titles, strict=True)]
    cards = [_job_card("en", person, job, mobile, rng, name_seed) for job in jobs]
    return cards[0], cards[1]


def pair_contents(seed: int = PAIRS_SEED) -> dict[str, CardContent]:
    """Content of every image of :data:`IMAGES`, keyed by stem (cheap: nothing is rendered)."""
    contents: dict[str, CardContent] = {}
    for pair, make in (("front_back", front_back), ("ru_job_change", ru_job_change),
                       ("en_job_change", en_job_change)):  # fmt: skip
        stems = [img.stem for img in IMAGES if img.pair == pair]
        contents.update(zip(stems, make(seed), strict=True))
    return contents


# ---------------------------------------------------------------- rendering


def _lay_out(content: CardContent, style: Style, seed: int, image: PairImage) -> CardPlan:
    """A plan in the image's preferred family; the layout stream is keyed by the pair and attempt,
    so both sides of one card get the same card size."""
    families = (image.family, *(f for f in FALLBACK_FAMILIES if f != image.family))
    for family in families:
        for attempt in range(4):
            try:
                return build_plan(content, style, _rng(seed, f"{image.pair}:layout:{attempt}"), family)
            except LayoutError:
                continue
    raise RuntimeError(f"could not lay out {image.stem}")


def _styles(seed: int) -> dict[str, Style]:
    """Light styles; the two sides of one card share theirs, different employers do not."""
    shared = make_style(_rng(seed, "front_back:style"))
    styles = {"ru_front": shared, "en_back": shared}
    for image in IMAGES:
        styles.setdefault(image.stem, make_style(_rng(seed, f"{image.stem}:style")))
    return styles


def make_pairs(out_dir: Path, seed: int = PAIRS_SEED) -> list[Path]:
    """Render every image of :data:`IMAGES` as a JPEG scan with its label into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    contents = pair_contents(seed)
    styles = _styles(seed)
    paths: list[Path] = []
    for index, image in enumerate(IMAGES):
        content = contents[image.stem]
        card = Card(content, _lay_out(content, styles[image.stem], seed, image))
        rng = _rng(seed, f"{image.stem}:scene")
        nprng = np.random.default_rng(rng.getrandbits(64))
        paths.append(write_example(out_dir, image.stem, "scan", [card], rng, nprng, SceneOptions(fmt="jpg"),
                                   seed, index))  # fmt: skip
    return paths
