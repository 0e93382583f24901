"""The `cardscan` command: a thin layer over the pipeline library."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from pipeline.cli.common import db_option, err, open_engine
from pipeline.core.config import Settings, resolve_db_url
from pipeline.core.errors import CardscanError
from pipeline.core.types import ScanResult
from pipeline.jobs.batch import FileDone, find_images
from pipeline.stages.report import result_to_dict, summary_lines
from pipeline.stages.run import scan_image

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def _check_region(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    import phonenumbers

    if value is not None and value.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise click.BadParameter(f"{value!r} is not a region libphonenumber knows (use ISO codes: RU, US, DE ...)")
    return value.upper() if value else None


def _check_lang(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    import pytesseract

    try:
        have = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError):
        raise click.UsageError("Tesseract is not installed; run `make setup`") from None
    missing = [lang for lang in value.split("+") if lang not in have]
    if missing:
        raise click.BadParameter(f"no Tesseract data for {', '.join(missing)}; installed: {'+'.join(sorted(have))}")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cardscan")
def main() -> None:
    """Turn photos and scans of business cards into a contact database."""


@main.command()
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per image, an array for several.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one JSON object per image, one per line.")
@db_option
@click.option("--no-store", is_flag=True, help="Read the cards but do not write to the database.")
@click.option("--region", metavar="CC", callback=_check_region,
              help="Default phone region, e.g. RU or US (default: guessed from the card).")
@click.option("--lang", default="rus+eng", show_default=True, callback=_check_lang, help="Tesseract languages.")
@click.option("--debug-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write each stage's image here (cards found, flattened, prepared, OCR boxes).")
def scan(images: tuple[Path, ...], as_json: bool, as_jsonl: bool, db_url: str | None, no_store: bool,
         region: str | None, lang: str, debug_dir: Path | None) -> None:
    """Read the cards in IMAGES (JPEG, PNG, TIFF, WebP, BMP, HEIC, PDF) and file them as contacts.

    A card sharing a phone number or e-mail address with a stored contact is merged into it;
    an image stored before is left unchanged. Exit code 0: every image read (or holding no
    card); 1: some image failed, each named on stderr; 2: usage error.
    """
    if as_json and as_jsonl:
        raise click.UsageError("use --json or --jsonl, not both")
    settings = Settings(lang=lang, region=region)
    url = None if no_store else resolve_db_url(db_url)
    results = _scan_all(images, settings, url, debug_dir)
    docs = [result_to_dict(r) for r in results]
    if as_jsonl:
        for doc in docs:
            click.echo(json.dumps(doc, ensure_ascii=False))
    elif as_json:
        click.echo(json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r.status != "error":  # errors go to stderr below, one line each
                click.echo("\n".join(summary_lines(r)))
    failed = [r for r in results if r.status == "error"]
    for r in failed:
        err.print(f"[red]error[/red] {r.source}: {r.error}")
    if len(results) > 1 or url:
        err.print(_totals(results, url))
    sys.exit(1 if failed else 0)


def _totals(results: list[ScanResult], url: str | None) -> str:
    status = Counter(r.status for r in results)
    outcomes = Counter(c.outcome for r in results for c in r.cards if c.outcome)
    cards = sum(len(r.cards) for r in results)
    line = f"{len(results)} image(s): {status['ok']} read, {status['no_card']} without a card, {status['error']} failed"
    line += f"; {cards} card(s)"
    if url:
        line += ": " + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())) if outcomes else ""
        line += f"; database {url}"
    return line


def _scan_all(images: tuple[Path, ...], settings: Settings, db_url: str | None,
              debug_dir: Path | None = None) -> list[ScanResult]:
    store = _open_store(db_url) if db_url else None
    results = []
    for image in images:
        result = scan_image(image, settings, debug_dir)
        if store and result.cards:
            store(result)
        results.append(result)
    return results


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--recursive", "-r", is_flag=True, help="Also scan the folders inside DIRECTORY.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all CPUs).")
@click.option("--jsonl", "jsonl_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one JSON object per scanned file to this file.")
@db_option
@click.option("--rescan", is_flag=True, help="Scan files already stored too (they come out unchanged).")
@click.option("--region", metavar="CC", callback=_check_region, help="Default phone region, e.g. RU or US.")
@click.option("--lang", default="rus+eng", show_default=True, callback=_check_lang, help="Tesseract languages.")
def batch(directory: Path, recursive: bool, jobs: int | None, jsonl_out: Path | None, db_url: str | None,
          rescan: bool, region: str | None, lang: str) -> None:
    """Scan every image and PDF in DIRECTORY on every core and file the cards as contacts.

    Files already stored are skipped (by content), so a stopped batch goes on where it was.
    Exit code 0: every file read; 1: some failed (listed at the end); 130: stopped by Ctrl-C.
    """
    from models.database import sessions
    from pipeline.jobs.batch import not_yet_stored, run_batch
    from pipeline.jobs.progress import reporter, summary_lines

    url = resolve_db_url(db_url)
    maker = sessions(open_engine(url))
    paths = find_images(directory, recursive)
    todo = paths if rescan else not_yet_stored(paths, maker)
    store = _store_into(maker)
    with _jsonl_writer(jsonl_out) as write, reporter(err, len(todo)) as shown:
        def on_file(item: FileDone) -> None:
            shown.file_done(item)
            write(item.result)

        summary = run_batch(todo, Settings(lang=lang, region=region), store, jobs or os.cpu_count() or 1, on_file)
    summary.skipped = len(paths) - len(todo)
    for line in summary_lines(summary, url):
        err.print(line, markup=False, highlight=False)
    sys.exit(summary.exit_code)


@contextmanager
def _jsonl_writer(path: Path | None) -> Iterator[Callable[[ScanResult], None]]:
    if path is None:
        yield lambda _result: None
        return
    with path.open("a", encoding="utf-8") as out:
        def write(result: ScanResult) -> None:
            out.write(json.dumps(result_to_dict(result), ensure_ascii=False) + "\n")
            out.flush()  # a stopped batch still leaves every stored file in the log

        yield write


@main.command()
@click.argument("inbox", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--processed", type=click.Path(file_okay=False, path_type=Path),
              help="Where files go once their cards are stored, by day (default: INBOX/processed).")
@click.option("--failed", type=click.Path(file_okay=False, path_type=Path),
              help="Where unreadable or refused files go, each with a .error.txt (default: INBOX/failed).")
@db_option
@click.option("--poll", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="Look for new files every SECONDS instead of waiting for OS events (network shares).")
@click.option("--settle", type=click.FloatRange(min=0.0), default=1.0, show_default=True, metavar="SECONDS",
              help="A file is taken once its size and time stayed unchanged this long.")
@click.option("--region", metavar="CC", callback=_check_region, help="Default phone region, e.g. RU or US.")
@click.option("--lang", default="rus+eng", show_default=True, callback=_check_lang, help="Tesseract languages.")
def watch(inbox: Path, processed: Path | None, failed: Path | None, db_url: str | None, poll: float | None,
          settle: float, region: str | None, lang: str) -> None:
    """File every card put into INBOX, then move the file to processed/YYYY-MM-DD/ (or failed/).

    Files already there are taken first. Symlinks, FIFOs, devices, dotfiles and temp files are left
    alone or refused. SIGTERM or Ctrl-C finishes the file in hand and exits 0.
    """
    import signal
    from datetime import datetime

    from models.database import sessions
    from pipeline.jobs.inbox import Watcher, WatchOptions

    url = resolve_db_url(db_url)
    options = WatchOptions(inbox, processed or inbox / "processed", failed or inbox / "failed", poll, settle)

    def log(message: str) -> None:
        err.print(f"{datetime.now():%Y-%m-%d %H:%M:%S} {message}", markup=False, highlight=False)

    watcher = Watcher(options, Settings(lang=lang, region=region), sessions(open_engine(url)), log)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: watcher.stop.set())
    how = f"polling every {poll:g} s" if poll else "OS events"
    log(f"watching {watcher.root} ({how}); database {url}")
    stats = watcher.run()
    log(f"stopped: {stats.processed} file(s) processed, {stats.failed} failed, {stats.cards} card(s)")


def _open_store(db_url: str) -> Callable[[ScanResult], None]:
    from models.database import sessions

    return _store_into(sessions(open_engine(db_url)))


def _store_into(maker: sessionmaker[Session]) -> Callable[[ScanResult], None]:
    from pipeline.book.store import store_result

    def store(result: ScanResult) -> None:
        with maker.begin() as session:  # one transaction per file: a crash loses at most the file in hand
            store_result(session, result)

    return store


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@db_option
def upgrade(db_url: str | None) -> None:
    """Migrate the database schema to the newest version."""
    url = resolve_db_url(db_url)
    open_engine(url)
    click.echo(f"database at {url} is up to date")


@main.command("eval")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--region", metavar="CC", callback=_check_region, help="Default phone region for every image.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all CPUs).")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Also write the figures as JSON here.")
@click.option("--errors", "errors_out", type=click.Path(path_type=Path),
              help="Write every mismatch (expected vs read) as JSON lines here.")
@click.option("--markdown", "md_out", type=click.Path(path_type=Path), help="Also write the table as Markdown here.")
@click.option("--ocr-cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep each card's OCR here and reuse it: re-measures extraction alone, in seconds.")
def evaluate(dirs: tuple[Path, ...], region: str | None, jobs: int | None, json_out: Path | None,
             errors_out: Path | None, md_out: Path | None, cache_dir: Path | None) -> None:
    """Score the pipeline against labelled images in DIRS and print the accuracy table.

    Labels are `<image>.json` beside each image, or `labels/<image>.json` beside an `images/`
    folder; the format is described in sample_cards/README.md.
    """
    from devtools.evaluate import evaluate_dirs, render_markdown, render_table

    report = evaluate_dirs(list(dirs), Settings(region=region), jobs=jobs, errors_path=errors_out,
                           ocr_cache_dir=cache_dir)
    Console().print(render_table(report))
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if md_out:
        md_out.write_text(render_markdown(report), encoding="utf-8")


def _register() -> None:
    from pipeline.cli.contacts import contacts, remind, review
    from pipeline.cli.export import export, import_file, sync

    for command in (contacts, review, remind, export, import_file, sync):
        main.add_command(command)


_register()


def run() -> None:
    try:
        main()
    except CardscanError as exc:
        err.print(f"cardscan: {exc}")
        sys.exit(1)
