"""`make bench`: cards per second through `cardscan batch` with 1 and 2 workers, per stage, against
bare `tesseract IMAGE - -l LANG` run over the same images with the same parallelism.

A benchmark that prints figures, not a test: run it on an idle machine. On a busy one the wall
seconds say little; the CPU seconds (this process and every worker and `tesseract` it ran) still
compare the work done, so the table gives both ratios.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING

from pipeline.core.config import DEFAULT_LANG, Settings
from pipeline.core.errors import OcrEngineError
from pipeline.stages.load import IMAGE_SUFFIXES
from pipeline.stages.ocr import ENGINES, get_engine

if TYPE_CHECKING:
    from pipeline.core.types import ScanResult
    from pipeline.jobs.batch import BatchSummary

# Spawned workers import this module again (it is their __main__): what it imports at the top, each worker
# loads, and `cardscan batch`'s workers do not load the database layer. jobs.batch is imported when used.
STAGES = ("load", "preprocess", "ocr", "orientation", "extract", "store")


@dataclass(frozen=True)
class Run:
    engine: str
    jobs: int
    images: int
    cards: int
    seconds: float
    bare_seconds: float
    cpu_seconds: float
    bare_cpu_seconds: float
    stage_ms: dict[str, float]  # mean CPU milliseconds per image
    peak_rss_mb: float  # the largest worker

    @property
    def cards_per_s(self) -> float:
        return self.cards / self.seconds

    @property
    def ratio(self) -> float:
        return self.seconds / self.bare_seconds

    @property
    def cpu_ratio(self) -> float:
        return self.cpu_seconds / self.bare_cpu_seconds


def cpu_seconds() -> float:
    """CPU seconds of this process and of every child it has waited for (workers, tesseract programs,
    and theirs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare_tesseract(images: list[Path], lang: str, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds for the tesseract command alone over `images`, `jobs` at a time."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(image: Path) -> None:
        subprocess.run(["tesseract", str(image), "-", "-l", lang], check=True, capture_output=True, env=env)

    start, cpu = perf_counter(), cpu_seconds()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, images))
    return perf_counter() - start, cpu_seconds() - cpu


def cardscan(images: list[Path], settings: Settings, jobs: int) -> BatchSummary:
    """The whole pipeline as `cardscan batch` runs it, storing into a throwaway SQLite database."""
    from models.database import connect, sessions
    from pipeline.book.store import store_result
    from pipeline.jobs.batch import run_batch

    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"sqlite:///{tmp}/bench.db")
        maker = sessions(engine)

        def store(result: ScanResult) -> None:
            with maker.begin() as session:
                store_result(session, result)

        summary = run_batch(images, settings, store, jobs)
        engine.dispose()
    return summary


def measure(images: list[Path], settings: Settings, jobs: int, bare: tuple[float, float]) -> Run:
    cpu = cpu_seconds()
    summary = cardscan(images, settings, jobs)
    cpu = cpu_seconds() - cpu
    n = max(summary.done, 1)
    stage_ms = {s: 1000 * summary.stage_seconds.get(s, 0.0) / n for s in STAGES}
    peak = max(summary.peak_rss_kb.values(), default=0) / 1024
    return Run(settings.ocr_engine, jobs, summary.done, summary.cards, summary.seconds, bare[0], cpu, bare[1],
               stage_ms, peak)


def render(runs: list[Run], tesseract_rss_mb: float) -> str:
    head = ["engine", "workers", "images", "cards", "seconds", "cards/s", "bare s", "ratio", "CPU s", "bare CPU s",
            "CPU ratio",
            *(f"{s} CPU ms" for s in STAGES), "peak MB/worker"]
    rows = [f"| {' | '.join(head)} |", f"|{'---|' * 2}{'---:|' * (len(head) - 2)}"]
    for r in runs:
        cells = [r.engine, str(r.jobs), str(r.images), str(r.cards), f"{r.seconds:.1f}", f"{r.cards_per_s:.2f}",
                 f"{r.bare_seconds:.1f}", f"{r.ratio:.2f}", f"{r.cpu_seconds:.1f}", f"{r.bare_cpu_seconds:.1f}",
                 f"{r.cpu_ratio:.2f}", *(f"{r.stage_ms[s]:.0f}" for s in STAGES),
                 f"{r.peak_rss_mb:.0f}"]
        rows.append(f"| {' | '.join(cells)} |")
    for engine in dict.fromkeys(r.engine for r in runs):
        by_jobs = {r.jobs: r for r in runs if r.engine == engine}
        if 1 in by_jobs and 2 in by_jobs:
            rows.append(f"{engine}: 2 workers give {by_jobs[2].cards_per_s / by_jobs[1].cards_per_s:.2f}x "
                        "the cards/s of 1 (target >= 1.8)")
    rows.append(f"bare tesseract peak memory: {tesseract_rss_mb:.0f} MB per process")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, default=100, help="images in all at most")
    parser.add_argument("--lang", default=DEFAULT_LANG)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to measure")
    parser.add_argument("--engines", nargs="+", choices=sorted(ENGINES), default=sorted(ENGINES))
    args = parser.parse_args(argv)
    images = [p for d in args.dirs for p in sorted(d.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES][: args.limit]
    if not images:
        sys.exit("no images found")
    engines = [e for e in args.engines if _usable(e)]
    runs: list[Run] = []
    tesseract_rss_mb = 0.0
    for jobs in args.jobs:
        bare = bare_tesseract(images, args.lang, jobs)
        if not runs:  # before any worker is reaped: so far the only children were tesseract commands
            tesseract_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"bare tesseract, {jobs} at a time: {bare[0]:.1f} s, {bare[1]:.1f} CPU s", file=sys.stderr)
        for engine in engines:
            runs.append(measure(images, replace(Settings(lang=args.lang), ocr_engine=engine), jobs, bare))
            print(f"{engine}, {jobs} worker(s): {runs[-1].seconds:.1f} s, {runs[-1].cpu_seconds:.1f} CPU s",
                  file=sys.stderr)
    print(render(runs, tesseract_rss_mb))


def _usable(engine: str) -> bool:
    try:
        get_engine(engine).languages()
    except OcrEngineError as exc:
        print(f"{engine}: left out ({exc})", file=sys.stderr)
        return False
    return True



if __name__ == "__main__":
    main()
