"""`make bench`: seconds per image through cardscan, per stage, against bare `tesseract IMAGE - -l LANG`.

A benchmark that prints figures, not a test: run it on an idle machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path
from time import perf_counter

from .config import Settings
from .evaluate import IMAGE_SUFFIXES
from .scan import scan_image

STAGES = ("load", "preprocess", "ocr", "orientation", "extract")


def bare_tesseract(image: Path, lang: str) -> float:
    start = perf_counter()
    subprocess.run(["tesseract", str(image), "-", "-l", lang], check=True, capture_output=True,
                   env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return perf_counter() - start


def run(images: list[Path], settings: Settings) -> dict[str, float]:
    totals: list[float] = []
    bare: list[float] = []
    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    for image in images:
        result = scan_image(image, settings)
        totals.append(result.seconds)
        for stage in STAGES:
            stages[stage].append(result.timings.get(stage, 0.0))
        bare.append(bare_tesseract(image, settings.lang))
    figures = {"images": float(len(images)), "cardscan_median_s": statistics.median(totals),
               "tesseract_median_s": statistics.median(bare),
               "cardscan_total_s": sum(totals), "tesseract_total_s": sum(bare)}
    figures |= {f"{stage}_mean_s": statistics.fmean(v) for stage, v in stages.items()}
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, default=60, help="images per directory at most")
    parser.add_argument("--lang", default="rus+eng")
    args = parser.parse_args(argv)
    images = [p for d in args.dirs for p in sorted(d.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES][: args.limit]
    if not images:
        sys.exit("no images found")
    figures = run(images, Settings(lang=args.lang))
    for key, value in figures.items():
        print(f"{key:<22} {value:8.3f}")
    print(f"{'ratio_to_tesseract':<22} {figures['cardscan_total_s'] / figures['tesseract_total_s']:8.2f}")


if __name__ == "__main__":
    main()
