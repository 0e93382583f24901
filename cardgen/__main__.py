"""Command line: ``python -m cardgen --out DIR --count N --seed S [--qr SHARE] [--vocab seen|unseen]
[--world SHARE]``, ``--samples DIR`` or
``--pairs DIR [--seed S]``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cardgen.generate import generate_set
from cardgen.pairs import PAIRS_SEED, make_pairs
from cardgen.samples import write_samples
from cardgen.scenes import ALL_CONDITIONS, CONDITIONS


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m cardgen", description=__doc__)
    p.add_argument("--out", type=Path, help="directory for a generated set")
    p.add_argument("--count", type=int, default=50, help="number of images (default 50)")
    p.add_argument("--seed", type=int, help=f"random seed (default 0; {PAIRS_SEED} with --pairs)")
    p.add_argument(
        "--conditions",
        default=",".join(CONDITIONS),
        help=f"comma-separated conditions used in turn (default {','.join(CONDITIONS)}; also "
        f"{','.join(c for c in ALL_CONDITIONS if c not in CONDITIONS)})",
    )
    p.add_argument(
        "--qr",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of the cards (0..1, default 0) printing a QR code: a vCard, a MeCard or the website",
    )
    p.add_argument(
        "--vocab",
        choices=("all", "seen", "unseen"),
        default="all",
        help="draw words from the part of every word list that lexicons and tuning may see, from the part only "
        "evaluation uses, or from the original lists (default all; see cardgen/vocab.py)",
    )
    p.add_argument(
        "--world",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of the cards (0..1, default 0) of people from other cultures (Japanese, Chinese, Vietnamese, "
        "Korean, Indian, Arabic, Turkish, German, French, Spanish, Portuguese, Polish, Czech)",
    )
    p.add_argument("--samples", type=Path, metavar="DIR", help="write the fixed committed sample set to DIR")
    p.add_argument(
        "--pairs", type=Path, metavar="DIR", help="write the same-person card pairs (front/back, job changes) to DIR"
    )
    args = p.parse_args(argv)
    if sum(d is not None for d in (args.out, args.samples, args.pairs)) != 1:
        p.error("give exactly one of --out, --samples or --pairs")
    if args.seed is None:
        args.seed = PAIRS_SEED if args.pairs is not None else 0
    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()]
    bad = [c for c in conditions if c not in ALL_CONDITIONS]
    if bad or not conditions:
        p.error(f"unknown condition(s): {', '.join(bad) or '(none given)'}")
    if args.count < 0:
        p.error("--count must not be negative")
    if not 0.0 <= args.qr <= 1.0:
        p.error("--qr must be a share between 0 and 1")
    if not 0.0 <= args.world <= 1.0:
        p.error("--world must be a share between 0 and 1")
    args.conditions = conditions
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    if args.samples is not None:
        paths = write_samples(args.samples)
        where = args.samples
    elif args.pairs is not None:
        paths = make_pairs(args.pairs, args.seed)
        where = args.pairs
    else:
        paths = generate_set(args.out, args.count, args.seed, args.conditions, args.qr, args.vocab, args.world)
        where = args.out
    print(f"wrote {len(paths)} images with labels to {where} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
