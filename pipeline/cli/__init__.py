"""The `cardscan` command: a thin layer over the library, one module per command or group.

Commands are imported when they run, not when `cardscan --help` lists them, so start-up does not
pay for OpenCV, SQLAlchemy or the OCR engine.
"""

from __future__ import annotations

import sys
from importlib import import_module

import click

from pipeline.core.errors import CardscanError

# name -> (module, attribute, one-line help shown by `cardscan --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "scan": ("pipeline.cli.scan", "scan", "Read the cards in IMAGES and file them as contacts."),
    "batch": ("pipeline.cli.batch", "batch", "Scan every image and PDF in DIRECTORY on every core."),
    "watch": ("pipeline.cli.watch", "watch", "File every card put into INBOX, then move the file away."),
    "contacts": ("pipeline.cli.contacts", "contacts", "Stored contacts: list, show, search, edit, merge, split, "
                 "delete."),
    "review": ("pipeline.cli.contacts", "review", "Cards waiting for you: same person or not?"),
    "remind": ("pipeline.cli.contacts", "remind", "Birthdays, professional holidays and follow-ups coming up."),
    "export": ("pipeline.cli.export", "export", "Write contacts as vCard, CSV (Google, Outlook) or JSON."),
    "import": ("pipeline.cli.export", "import_file", "Read contacts from a vCard file, through dedupe."),
    "sync": ("pipeline.cli.export", "sync", "Push contacts to a CardDAV address book."),
    "db": ("pipeline.cli.db", "db", "Database maintenance."),
    "corrections": ("pipeline.cli.corrections", "corrections", "Cards corrected in the review, as training examples."),
    "serve": ("pipeline.cli.serve", "serve", "Open the contact book in a browser: review, correct, search, export."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(import_module(module), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][2]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cardscan")
def main() -> None:
    """Turn photos and scans of business cards into a contact database."""


def run() -> None:
    try:
        main()
    except CardscanError as exc:
        from pipeline.cli.common import err

        err.print(f"cardscan: {exc}")
        sys.exit(1)
