"""`cardscan scan IMAGE...`: read cards and file them as contacts."""

from __future__ import annotations

import json
import shlex
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import database_refused, db_option, err, filing_options, open_engine, read_options
from pipeline.core.config import Settings, resolve_db_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from pipeline.book.filing import Filing
    from pipeline.core.types import ScanResult


@click.command()
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per image, an array for several.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one JSON object per image, one per line.")
@db_option
@click.option("--no-store", is_flag=True, help="Read the cards but do not write to the database.")
@read_options
@click.option("--debug-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write each stage's image here (cards found, flattened, prepared, OCR boxes).")
@filing_options
def scan(images: tuple[Path, ...], as_json: bool, as_jsonl: bool, db_url: str | None, no_store: bool,
         settings: Settings, debug_dir: Path | None, filing: Filing) -> None:
    """Read the cards in IMAGES (JPEG, PNG, TIFF, WebP, BMP, HEIC, PDF) and file them as contacts.

    A card sharing a phone number or e-mail address with a stored contact is merged into it;
    an image stored before is left unchanged. Exit code 0: every image read (or holding no
    card); 1: some image failed, each named on stderr; 2: usage error.
    """
    if as_json and as_jsonl:
        raise click.UsageError("use --json or --jsonl, not both")
    url = None if no_store else resolve_db_url(db_url)
    from pipeline.stages.report import result_to_dict, summary_lines

    results = _scan_all(images, settings, url, debug_dir, filing)
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
    if len(results) > 1 or url or _to_check(results):
        err.print(_totals(results, url))
    sys.exit(1 if failed else 0)


def _totals(results: list[ScanResult], url: str | None) -> str:
    status = Counter(r.status for r in results)
    from pipeline.stages.report import filing

    outcomes = Counter(f for r in results for f in map(filing, r.cards) if f)
    cards = sum(len(r.cards) for r in results)
    line = f"{len(results)} image(s): {status['ok']} read, {status['no_card']} without a card, {status['error']} failed"
    line += f"; {cards} card(s)"
    if url:
        line += ": " + ", ".join(f"{outcomes[o]} {o}" for o in sorted(outcomes, key=_in_order)) if outcomes else ""
        from models.database import shown_url

        line += f"; database {shown_url(url)}"
    check = _to_check(results)
    if check:
        where = "`cardscan review`" if url else "check the fields marked ?"
        line += f"; {check} card(s) need review ({where})"
    return line


def _in_order(filed: str) -> int:
    from pipeline.stages.report import FILINGS

    return FILINGS.index(filed) if filed in FILINGS else len(FILINGS)


def _to_check(results: list[ScanResult]) -> int:
    """Cards waiting for a person: a same-person question, fields held (or, unstored, that would be), or a
    doubtful name: the cards `cardscan review` lists."""
    from pipeline.stages.report import waits_for_review

    return sum(waits_for_review(c) for r in results for c in r.cards)


def _scan_all(images: tuple[Path, ...], settings: Settings, db_url: str | None,
              debug_dir: Path | None = None, filing: Filing | None = None) -> list[ScanResult]:
    from pipeline import scan

    store = _open_store(db_url, filing) if db_url else None
    results = []
    for image in images:
        result = scan(image, settings, debug_dir=debug_dir)
        if result.status == "error" and image.is_dir():  # what the user meant: the cards in that folder
            result.error = f"{result.error}: `cardscan batch {shlex.quote(str(image))}` scans the images in a folder"
        if store and result.cards:
            from sqlalchemy.exc import SQLAlchemyError  # only when storing: --no-store loads no SQLAlchemy

            try:
                store(result)
            except (SQLAlchemyError, OverflowError) as exc:  # read-only, disk full: the reading is still shown
                assert db_url is not None
                result.status, result.error = "error", "read, not stored: " + database_refused(exc, db_url)
                for card in result.cards:
                    card.contact_id, card.outcome = None, None
        results.append(result)
    return results


def _open_store(db_url: str, filing: Filing | None = None) -> Callable[[ScanResult], None]:
    from models.database import sessions

    return store_into(sessions(open_engine(db_url, to_store="pass --no-store to read the cards without filing them")),
                      filing)


def store_into(maker: sessionmaker[Session], filing: Filing | None = None) -> Callable[[ScanResult], None]:
    from pipeline.book.store import store_result

    def store(result: ScanResult) -> None:
        with maker.begin() as session:  # one transaction per file: a crash loses at most the file in hand
            store_result(session, result, filing=filing)

    return store


