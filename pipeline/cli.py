"""The `cardscan` command: a thin layer over the pipeline library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from .config import Settings, resolve_db_url
from .errors import CardscanError
from .report import result_to_dict, summary_lines
from .scan import scan_image
from .types import ScanResult

err = Console(stderr=True)

db_option = click.option("--db", "db_url", metavar="URL", help="Database URL (default: $CARDSCAN_DB, else "
                         "a SQLite file in your data directory).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cardscan")
def main() -> None:
    """Turn photos and scans of business cards into a contact database."""


@main.command()
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON document per image (an array for several).")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON document per line.")
@db_option
@click.option("--no-store", is_flag=True, help="Read the cards but do not write to the database.")
@click.option("--region", metavar="CC", help="Default phone region, e.g. RU or US (default: from the card).")
@click.option("--lang", default="rus+eng", show_default=True, help="Tesseract languages.")
@click.option("--debug-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write each stage's image here (cards found, flattened, prepared, OCR boxes).")
def scan(images: tuple[Path, ...], as_json: bool, as_jsonl: bool, db_url: str | None, no_store: bool,
         region: str | None, lang: str, debug_dir: Path | None) -> None:
    """Read the cards in IMAGES and file them as contacts."""
    if as_json and as_jsonl:
        raise click.UsageError("use --json or --jsonl, not both")
    settings = Settings(lang=lang, region=region)
    results = _scan_all(images, settings, None if no_store else resolve_db_url(db_url), debug_dir)
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
        err.print(f"[red]error[/red] {r.source}: {r.error}", highlight=False, soft_wrap=True)
    sys.exit(1 if failed else 0)


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


def _open_store(db_url: str) -> Callable[[ScanResult], None]:
    from models.database import connect, sessions

    from .store import store_result

    try:
        maker = sessions(connect(db_url))
    except Exception as exc:  # any driver or URL error: one line, not a traceback
        raise click.ClickException(f"cannot open the database {db_url!r}: {str(exc).splitlines()[0]}") from None

    def store(result: ScanResult) -> None:
        with maker.begin() as session:  # one transaction per file: a crash loses at most the file in hand
            store_result(session, result)

    return store


@main.group()
def contacts() -> None:
    """List and inspect stored contacts."""


@contacts.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def contacts_list(db_url: str | None, as_json: bool) -> None:
    """Every contact, one row each."""
    from models.database import connect, sessions

    from .contacts import list_contacts

    with sessions(connect(resolve_db_url(db_url))).begin() as session:
        rows = list_contacts(session)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    Console().print(_table(rows))


def _table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(rows)} contact(s)")
    for column in ("id", "name", "title", "company", "phones", "emails", "cards"):
        # A phone or address broken over two lines is easy to misread: keep them whole.
        table.add_column(column, overflow="fold", no_wrap=column in ("phones", "emails"))
    for row in rows:
        table.add_row(str(row["id"]), row["name"] or "", row["title"] or "", row["company"] or "",
                      "\n".join(row["phones"]), "\n".join(row["emails"]), str(row["cards"]))
    return table


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@db_option
def upgrade(db_url: str | None) -> None:
    """Migrate the database schema to the newest version."""
    from models.database import connect

    url = resolve_db_url(db_url)
    connect(url)
    click.echo(f"database at {url} is up to date")


@main.command("eval")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--region", metavar="CC", help="Default phone region for every image.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all CPUs).")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Also write the figures as JSON here.")
@click.option("--errors", "errors_out", type=click.Path(path_type=Path),
              help="Write every mismatch (expected vs read) as JSON lines here.")
@click.option("--markdown", "md_out", type=click.Path(path_type=Path), help="Also write the table as Markdown here.")
def evaluate(dirs: tuple[Path, ...], region: str | None, jobs: int | None, json_out: Path | None,
             errors_out: Path | None, md_out: Path | None) -> None:
    """Score the pipeline against labelled images in DIRS and print the accuracy table."""
    from .evaluate import evaluate_dirs, render_markdown, render_table

    report = evaluate_dirs(list(dirs), Settings(region=region), jobs=jobs, errors_path=errors_out)
    Console().print(render_table(report))
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if md_out:
        md_out.write_text(render_markdown(report), encoding="utf-8")


def run() -> None:
    try:
        main()
    except CardscanError as exc:
        err.print(f"cardscan: {exc}", highlight=False)
        sys.exit(1)
