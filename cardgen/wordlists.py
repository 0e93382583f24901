"""Loading of the word lists shipped in ``cardgen/data``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a ``|``-separated data file; blank lines and ``#`` comments are skipped."""
    text = (DATA_DIR / f"{name}.txt").read_text(encoding="utf-8")
    out: list[tuple[str, ...]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(tuple(part.strip() for part in line.split("|")))
    return tuple(out)


@cache
def words(name: str) -> tuple[str, ...]:
    """First column of a data file."""
    return tuple(row[0] for row in rows(name))
