"""Reproducible synthetic business cards (Russian, English, bilingual, and Latin-script cards of many cultures)
with exact labels."""

from cardgen.generate import generate_set
from cardgen.pairs import make_pairs
from cardgen.samples import write_samples
from cardgen.scenes import ALL_CONDITIONS, CONDITIONS, HARD_CONDITIONS

__all__ = ["ALL_CONDITIONS", "CONDITIONS", "HARD_CONDITIONS", "generate_set", "make_pairs", "write_samples"]
