"""What a batch shows while it runs: a live bar on a terminal, one plain line per file otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from models.database import shown_url
from pipeline.jobs.batch import BatchSummary, FileDone
from pipeline.stages.report import FILINGS, NO_CARD


class Reporter(Protocol):
    def file_done(self, item: FileDone) -> None: ...


class BarReporter:
    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.task = progress.add_task("scanning", total=total, failed=0, rate="")
        self.done = self.failed = self.cards = 0

    def file_done(self, item: FileDone) -> None:
        self.done += 1
        self.cards += len(item.result.cards)
        self.failed += item.result.status == "error"
        elapsed = self.progress.tasks[0].elapsed or 1e-9
        self.progress.update(self.task, advance=1, failed=self.failed, rate=f"{self.cards / elapsed:.1f} cards/s")


class LineReporter:
    """For logs and pipes: one line per file, with its place in the batch."""

    def __init__(self, console: Console, total: int) -> None:
        self.console, self.total, self.done = console, total, 0

    def file_done(self, item: FileDone) -> None:
        self.done += 1
        r = item.result
        if r.status == "error":
            what = f"failed: {r.error}"
        elif not r.cards:
            what = NO_CARD  # was "0 card(s)", where `scan` and `watch` say "no card found"
        else:
            outcomes = ", ".join(c.outcome for c in r.cards if c.outcome)
            what = f"{len(r.cards)} card(s)" + (f" ({outcomes})" if outcomes else "")
        self.console.print(f"[{self.done}/{self.total}] {r.source}: {what}", markup=False, highlight=False)


@contextmanager
def reporter(console: Console, total: int) -> Iterator[Reporter]:
    if not console.is_terminal:
        yield LineReporter(console, total)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), TextColumn("{task.fields[failed]} failed"))
    with Progress(*columns, console=console, transient=True) as progress:
        yield BarReporter(progress, total)


def summary_lines(summary: BatchSummary, db_url: str | None) -> list[str]:
    """The closing summary: what was read, what it did to the contacts, what failed and why."""
    rate = summary.cards / summary.seconds if summary.seconds else 0.0
    lines = [f"{summary.found + summary.skipped} image(s): {summary.skipped} already stored (skipped), "
             f"{summary.done} scanned in {summary.seconds:.1f} s, {summary.no_card} without a card, "
             f"{len(summary.failures)} failed",
             f"{summary.cards} card(s) read ({rate:.2f} cards/s)"]
    if db_url:
        counts = summary.outcomes
        parts = [f"{counts.get(o, 0)} {o}" for o in FILINGS]
        parts += [f"{n} {o}" for o, n in sorted(counts.items()) if o not in FILINGS]
        lines.append(f"contacts: {', '.join(parts)}; database {shown_url(db_url)}")
        if summary.to_review:  # a doubtful name is filed ("created") yet waits in the queue: count it there too
            lines.append(f"{summary.to_review} card(s) to check: `cardscan review`")
    lines += [f"failed {source}: {reason}" for source, reason in summary.failures]
    if summary.interrupted:
        lines.append(f"interrupted: {summary.found - summary.done} file(s) not scanned; run the same command "
                     "again to go on (stored files are skipped)")
    return lines
