"""Reproducible synthetic business cards (Russian, English, bilingual) with exact labels."""

from cardgen.generate import generate_set
from cardgen.pairs import make_pairs
from cardgen.samples import write_samples
from cardgen.scenes import CONDITIONS

__all__ = ["CONDITIONS", "generate_set", "make_pairs", "write_samples"]
