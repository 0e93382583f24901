"""Read the word lists in pipeline/lexicons/ once per process."""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources


def fold(text: str) -> str:
    """The comparison form of a word: NFKC, case-folded, ё as е."""
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")


@cache
def entries(name: str) -> tuple[str, ...]:
    """Non-comment lines of lexicons/<name>.txt, in file order."""
    text = resources.files("pipeline").joinpath("lexicons", f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def words(name: str) -> frozenset[str]:
    return frozenset(fold(e) for e in entries(name))


@cache
def pairs(name: str) -> dict[str, str]:
    """A two-column lexicon (`key<TAB>value`)."""
    return dict((fold(k), v) for k, v in (e.split("\t", 1) for e in entries(name)))
