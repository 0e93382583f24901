"""`cardscan corrections export DIR`: the cards people corrected, as labelled examples for training."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import database, db_option


@click.group()
def corrections() -> None:
    """Cards corrected in the review, kept as labelled examples."""


@corrections.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@db_option
def corrections_export(directory: Path, db_url: str | None) -> None:
    """Write each corrected card's picture and label (sample_cards format) into DIRECTORY; `make train
    CORRECTIONS=DIRECTORY` learns from them too."""
    from pipeline.formats.corrections import export_corrections

    with database(db_url) as session:
        count = export_corrections(session, directory)
    click.echo(f"{count} corrected card(s) written to {directory}")
