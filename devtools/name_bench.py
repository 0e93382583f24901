"""`make bench-names`: how well name splitters put a printed name into given / middle / family / prefix / suffix.

Two sets: names drawn from cardgen's people module (every order and case form the card generator prints,
the same count of each, from a fixed seed), and the hand-written hard forms in
tests/pipeline/extract/names_hard.tsv. Each candidate is scored on exact match of all five parts, on each part
alone, on keeping every printed word exactly once ("kept"), and on microseconds per name; the table also gives
the install size of the libraries a candidate needs beyond the project's own dependencies.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, fields
from importlib import metadata
from pathlib import Path
from time import perf_counter

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from cardgen.people import ItemBuilder, en_name_item, en_person, ru_name_item, ru_person
from pipeline.core.types import NameParts
from pipeline.extract import names
from pipeline.extract.text import script

PARTS = tuple(f.name for f in fields(NameParts))
HARD_CASES = Path(__file__).resolve().parent.parent / "tests" / "pipeline" / "extract" / "names_hard.tsv"
RU_FORMS = {"FIO": "fio", "IOF": "iof", "IF": "if"}
EN_FORMS = ("plain", "initial", "Dr.", "suffix")
Splitter = Callable[[str], NameParts]


@dataclass(frozen=True)
class Case:
    text: str
    expected: NameParts
    form: str


# ---------------------------------------------------------------- the two sets


def _en_form(parts: dict[str, str | None]) -> str:
    if parts["prefix"]:
        return "Dr."
    if parts["suffix"]:
        return "suffix"
    return "initial" if parts["middle"] else "plain"


def _ru_cases(rng: random.Random, per_form: int) -> Iterator[Case]:
    for label, order in RU_FORMS.items():
        for caps in (False, True):
            for _ in range(per_form):
                item, parts = ru_name_item(ItemBuilder(), rng, ru_person(rng), caps, order)
                yield Case(item.text, NameParts(**parts), f"ru {label}" + (" CAPS" if caps else ""))


def _en_cases(rng: random.Random, per_form: int) -> Iterator[Case]:
    """English names as the generator draws them, kept until each form (and its capitals) has `per_form`."""
    for caps in (False, True):
        counts = Counter[str]()
        while min(counts[f] for f in EN_FORMS) < per_form:
            item, parts = en_name_item(ItemBuilder(), rng, en_person(rng), caps)
            form = _en_form(parts)
            if counts[form] < per_form:
                counts[form] += 1
                yield Case(item.text, NameParts(**parts), f"en {form}" + (" CAPS" if caps else ""))


def generated_cases(count: int, seed: int) -> list[Case]:
    """About `count` names, the same number for each of the generator's forms."""
    rng = random.Random(seed)
    per_form = count // (2 * (len(RU_FORMS) + len(EN_FORMS)))
    return [*_ru_cases(rng, per_form), *_en_cases(rng, per_form)]


def hard_cases(path: Path = HARD_CASES) -> list[Case]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, *parts, _why = line.split("\t")
            out.append(Case(text, NameParts(*(p or None for p in parts)), f"hard {script(text)}"))
    return out


# ---------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    name: str
    make: Callable[[], Splitter]  # imports its libraries and loads their data
    needs: tuple[str, ...] = ()  # distributions beyond the project's dependencies


def _by_script(latin: Splitter, cyrillic: Splitter) -> Splitter:
    return lambda text: (cyrillic if script(text) == "ru" else latin)(text)


def _nameparser() -> Splitter:
    from nameparser import HumanName

    def split(text: str) -> NameParts:
        h = HumanName(text)
        return NameParts(*(v or None for v in (h.first, h.middle, h.last, h.title, h.suffix)))

    return split


def _honorifics(core_split: Callable[[list[str]], tuple[str | None, str | None, str | None] | None]) -> Splitter:
    """Prefix and suffix as split_name strips them; the rest to `core_split`, else to split_name."""

    def split(text: str) -> NameParts:
        prefix, core, suffix = names._strip_honorifics(text.split())
        found = core_split(core) if core else None
        return NameParts(*found, prefix, suffix) if found else names.split_name(text)

    return split


def _pymorphy3() -> Splitter:
    """Each word's role from pymorphy3 alone (split_name's nominative Name/Patr/Surn tag); untagged words by
    position."""

    def core_split(core: list[str]) -> tuple[str | None, str | None, str | None]:
        roles = [names._morph_role(w) for w in core]
        given = next((i for i, r in enumerate(roles) if r == "Name"), None)
        middle = next((i for i, r in enumerate(roles) if r == "Patr" and i != given), None)
        rest = [i for i in range(len(core)) if i not in (given, middle)]
        if given is None and rest:
            given = next((i for i in rest if roles[i] != "Surn"), rest[0])
            rest.remove(given)
        return _word(core, given), _word(core, middle), " ".join(core[i] for i in rest) or None

    return _by_script(names.split_name, _honorifics(core_split))


def _word(core: list[str], i: int | None) -> str | None:
    return core[i] if i is not None else None


def _natasha() -> Splitter:
    """natasha's rule-based NamesExtractor (yargy grammar over pymorphy2) on the words left after honorifics;
    the longest match wins, words it leaves out are lost; no match: split_name."""
    from natasha import MorphVocab, NamesExtractor

    extract = NamesExtractor(MorphVocab())

    def core_split(core: list[str]) -> tuple[str | None, str | None, str | None] | None:
        found = max(extract(" ".join(core)), key=lambda m: m.stop - m.start, default=None)
        return (found.fact.first, found.fact.middle, found.fact.last) if found else None

    return _by_script(names.split_name, _honorifics(core_split))


CANDIDATES = (
    Candidate("split_name: rules + pymorphy3 for unknown words, nameparser for Latin", lambda: names.split_name,
              ("nameparser", "pymorphy3")),
    Candidate("split_name without pymorphy3 (lexicons and endings only)",
              lambda: lambda text: names._split(text, lambda _: None), ("nameparser",)),
    Candidate("nameparser alone, both scripts", _nameparser, ("nameparser",)),
    Candidate("pymorphy3 tags alone for Cyrillic, split_name for Latin", _pymorphy3, ("nameparser", "pymorphy3")),
    Candidate("natasha NamesExtractor for Cyrillic, split_name for Latin", _natasha, ("nameparser", "natasha")),
)


# ---------------------------------------------------------------- scoring


def _requires(dist: str) -> list[str]:
    """Names of what a distribution needs on this Python (no extras)."""
    try:
        reqs = [Requirement(r) for r in metadata.requires(dist) or ()]
    except metadata.PackageNotFoundError:
        return []
    return [r.name for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def _closure(roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        key = canonicalize_name(todo.pop())
        if key not in seen:
            seen.add(key)
            todo += _requires(key)
    return seen


def install_mb(needs: tuple[str, ...]) -> float:
    """Size on disk of the distributions `needs` pulls in beyond cardscan's own other dependencies."""
    wanted = _closure(list(needs))
    project = _closure([r for r in _requires("cardscan") if canonicalize_name(r) not in wanted])
    return sum(_dist_bytes(d) for d in wanted - project) / 1e6


def _dist_bytes(dist: str) -> int:
    try:
        files = metadata.distribution(dist).files or ()
    except metadata.PackageNotFoundError:
        return 0
    paths = [Path(f.locate()) for f in files]
    return sum(p.stat().st_size for p in paths if p.is_file())


def _kept(case: Case, got: NameParts) -> bool:
    """Every printed word is in exactly one part (commas between parts aside)."""
    printed = Counter(w for w in case.text.replace(",", " ").split())
    return printed == Counter(w for p in astuple(got) if p for w in p.replace(",", " ").split())


def score(cases: list[Case], split: Splitter) -> dict[str, dict[str, float]]:
    """Per form and in total: count, exact, each part, kept."""
    got = [split(c.text) for c in cases]
    table: dict[str, dict[str, float]] = {}
    for form in [*dict.fromkeys(c.form for c in cases), "all"]:
        pairs = [(c, g) for c, g in zip(cases, got, strict=True) if form in ("all", c.form)]
        row = {"n": len(pairs), "wrong": sum(c.expected != g for c, g in pairs),
               "exact": _share(c.expected == g for c, g in pairs)}
        row |= {p: _share(getattr(c.expected, p) == getattr(g, p) for c, g in pairs) for p in PARTS}
        table[form] = row | {"kept": _share(_kept(c, g) for c, g in pairs)}
    return table


def _share(hits: Iterator[bool] | list[bool]) -> float:
    hits = list(hits)
    return sum(hits) / len(hits) if hits else 0.0


def microseconds(cases: list[Case], split: Splitter, repeats: int = 3) -> float:
    """Per name, best of `repeats` passes; split_name's dictionary cache is emptied before each, so every
    pass looks each word up once (the machine is shared: the best pass is the least disturbed)."""
    best = float("inf")
    for _ in range(repeats):
        names._morph_role.cache_clear()
        start = perf_counter()
        for c in cases:
            split(c.text)
        best = min(best, perf_counter() - start)
    return best / len(cases) * 1e6


def failures(cases: list[Case], split: Splitter) -> list[tuple[Case, NameParts]]:
    return [(c, g) for c in cases if (g := split(c.text)) != c.expected]


# ---------------------------------------------------------------- report


def _fmt_parts(p: NameParts) -> str:
    return " | ".join(f"{k}={v}" for k, v in zip(PARTS, astuple(p), strict=True) if v)


def report(cand: Candidate, sets: dict[str, list[Case]], show: int) -> None:
    start = perf_counter()
    try:
        split = cand.make()
        split("Иван Петров")  # libraries load their dictionaries on first use
    except ImportError as e:
        print(f"\n## {cand.name}: not installed ({e.name}); pip install -e '.[names-bench]'")
        return
    load_ms = (perf_counter() - start) * 1000
    every = [c for cs in sets.values() for c in cs]
    speed = {s: microseconds([c for c in every if script(c.text) == s], split) for s in ("ru", "en")}
    print(f"\n## {cand.name}\ninstall {install_mb(cand.needs):.1f} MB, load {load_ms:.0f} ms, "
          f"{speed['ru']:.1f} µs per Cyrillic name, {speed['en']:.1f} µs per Latin name\n")
    print(f"| {'set / form':<22} | {'n':>4} | {'wrong':>5} | {'exact':>6} | " + " | ".join(f"{p:>6}" for p in PARTS)
          + f" | {'kept':>6} |")
    print("|" + "|".join("-" * w for w in (24, 6, 7, 8, *(8,) * len(PARTS), 8)) + "|")
    for set_name, cases in sets.items():
        for form, row in score(cases, split).items():
            label = f"{set_name} {form}" if form == "all" else form
            print(f"| {label:<22} | {row['n']:>4.0f} | {row['wrong']:>5.0f} | {row['exact']:>6.3f} | "
                  + " | ".join(f"{row[p]:>6.3f}" for p in PARTS) + f" | {row['kept']:>6.3f} |")
    for set_name, cases in sets.items():
        for case, got in failures(cases, split)[:show]:
            print(f"  wrong ({set_name}) {case.text!r}: got {_fmt_parts(got)}; want {_fmt_parts(case.expected)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=3000, help="generated names (split evenly over the forms)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--show", type=int, default=0, help="print up to N wrong splits per set and candidate")
    parser.add_argument("--only", help="run only candidates whose name contains this")
    args = parser.parse_args(argv)
    sets = {"generated": generated_cases(args.count, args.seed), "hard": hard_cases()}
    for cand in CANDIDATES:
        if not args.only or args.only in cand.name:
            report(cand, sets, args.show)


if __name__ == "__main__":
    main()
