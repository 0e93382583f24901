"""Command line: ``python -m cardgen --out DIR --count N --seed S`` or ``python -m cardgen --samples DIR``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cardgen.generate import generate_set
from cardgen.samples import write_samples
from cardgen.scenes import CONDITIONS


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m cardgen", description=__doc__)
    p.add_argument("--out", type=Path, help="directory for a generated set")
    p.add_argument("--count", type=int, default=50, help="number of images (default 50)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--conditions",
        default=",".join(CONDITIONS),
        help=f"comma-separated subset of {','.join(CONDITIONS)}, used in turn",
    )
    p.add_argument("--samples", type=Path, metavar="DIR", help="write the fixed committed sample set to DIR")
    args = p.parse_args(argv)
    if (args.out is None) == (args.samples is None):
        p.error("give exactly one of --out or --samples")
    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()]
    bad = [c for c in conditions if c not in CONDITIONS]
    if bad or not conditions:
        p.error(f"unknown condition(s): {', '.join(bad) or '(none given)'}")
    if args.count < 0:
        p.error("--count must not be negative")
    args.conditions = conditions
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    if args.samples is not None:
        paths = write_samples(args.samples)
        where = args.samples
    else:
        paths = generate_set(args.out, args.count, args.seed, args.conditions)
        where = args.out
    print(f"wrote {len(paths)} images with labels to {where} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
