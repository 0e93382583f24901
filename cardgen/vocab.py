"""Seen and unseen vocabulary: every word list the generator draws people, companies and places from is split by
a fixed hash into a part that lexicons, tuning and training may see and a part only evaluation sets use.

An entry's part is decided by the sha256 of its folded form, so it is the same on every machine and in every
Python; an entry that the extraction lexicons (``pipeline/lexicons/*.txt``) hold is always *seen* (a lexicon
cannot be said to generalise to a word it lists). ``all`` (the default) draws from the original lists exactly as
before the split existed, so the older evaluation sets stay byte for byte the same. ``seen`` and ``unseen`` also
draw from the ``*_more`` lists (extra words that keep both parts of a small list populated).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from cardgen.wordlists import DATA_DIR, rows

MODES = ("all", "seen", "unseen")
UNSEEN_PERCENT = 40

# Data files (without .txt) that are split, and whether their entries are names (then every word of an unseen
# entry must be absent from the lexicons, not only the entry as a whole).
SPLIT: dict[str, bool] = {
    "ru_given_male": True, "ru_given_female": True, "ru_family": True, "ru_patronymics": True,
    "en_given_male": True, "en_given_female": True, "en_family": True,
    "ru_company_stems": False, "en_company_stems": False, "ru_titles": False, "en_titles": False,
    "ru_departments": False, "en_departments": False, "ru_streets": False, "us_streets": False,
    "uk_streets": False, "de_streets": False, "ru_cities": False, "us_cities": False, "uk_cities": False,
    "de_cities": False, "ru_slogans": False, "en_slogans": False,
    "world_given": True, "world_family": True, "world_companies": False, "world_titles": False,
    "world_departments": False, "world_streets": False, "world_cities": False, "world_slogans": False,
}  # fmt: skip

_MODE: ContextVar[str] = ContextVar("cardgen_vocab", default="all")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е").strip()


def mode() -> str:
    return _MODE.get()


@contextmanager
def using(vocab: str) -> Iterator[None]:
    """Draw from ``vocab`` (``all``, ``seen`` or ``unseen``) inside the block."""
    if vocab not in MODES:
        raise ValueError(f"unknown vocabulary {vocab!r}: one of {', '.join(MODES)}")
    token = _MODE.set(vocab)
    try:
        yield
    finally:
        _MODE.reset(token)


def lexicon_dir() -> Path:
    root = Path(__file__).resolve().parents[1] / "pipeline"
    found = sorted(p for p in root.rglob("lexicons") if p.is_dir())
    if not found:
        raise FileNotFoundError(f"no pipeline lexicons under {root}")
    return found[0]


@cache
def lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(phrases, words) of the extraction lexicons, folded: every line and every field of a line, and every
    word in them."""
    phrases: set[str] = set()
    tokens: set[str] = set()
    for path in sorted(lexicon_dir().glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            text = fold(line)
            phrases.add(text)
            for field in re.split(r"[|\t,:;]", text):
                if field.strip():
                    phrases.add(field.strip())
            tokens.update(words_of(text))
    return frozenset(phrases), frozenset(tokens)


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def in_lexicon(entry: str, is_name: bool) -> bool:
    phrases, tokens = lexicon()
    key = fold(entry)
    if key in phrases:
        return True
    parts = words_of(key)
    if is_name or len(parts) == 1:
        return any(w in tokens for w in parts)
    return False


def hashed_unseen(entry: str) -> bool:
    digest = hashlib.sha256(fold(entry).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < UNSEEN_PERCENT


def is_unseen(entry: str, is_name: bool = False) -> bool:
    """The fixed part of ``entry``: unseen by hash, unless a lexicon holds it."""
    return hashed_unseen(entry) and not in_lexicon(entry, is_name)


# Files whose rows print more than their first column (a patronymic's male and female forms, a feminine
# family name or title).
FORM_COLUMNS = {"ru_patronymics": (0, 1), "world_family": (0, 2), "world_titles": (0, 2)}


def printed_forms(name: str, row: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(row[i] for i in FORM_COLUMNS.get(name, (0,)) if i < len(row) and row[i])


def row_unseen(name: str, row: tuple[str, ...]) -> bool:
    """A row's part: the hash of its first column, seen whenever a lexicon holds any form it prints."""
    is_name = SPLIT[name]
    return hashed_unseen(row[0]) and not any(in_lexicon(f, is_name) for f in printed_forms(name, row))


@cache
def _split(name: str, part: str) -> tuple[tuple[str, ...], ...]:
    more = DATA_DIR / f"{name}_more.txt"
    candidates = rows(name) + (rows(f"{name}_more") if more.exists() else ())
    out = tuple(r for r in dict.fromkeys(candidates) if row_unseen(name, r) == (part == "unseen"))
    if not out:
        raise RuntimeError(f"the {part} part of cardgen/data/{name}.txt is empty")
    return out


def pool(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of data file ``name`` that the current vocabulary may draw."""
    current = mode()
    if current == "all" or name not in SPLIT:
        return rows(name)
    return _split(name, current)


def pool_words(name: str) -> tuple[str, ...]:
    return tuple(r[0] for r in pool(name))
