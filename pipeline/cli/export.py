"""`cardscan export`, `cardscan import` and `cardscan sync carddav`: contacts out to phones, mail clients and
address books, and in from them."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from pipeline.cli.common import contact_filters, database, db_option, err, region_option, say
from pipeline.core.config import CARDDAV_PASSWORD_ENV, DEFAULT_EDIT_REGION, carddav_password

version_option = click.option("--vcard-version", type=click.Choice(["4.0", "3.0"]), help="vCard version "
                              "(export default 4.0; sync default 3.0, which every CardDAV server and phone reads).")
photo_option = click.option("--with-photo", is_flag=True, help="Include the card picture as the contact's PHOTO.")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["vcard", "csv-google", "csv-outlook", "json", "jsonl"]),
              default="vcard", show_default=True, help="vCard file, CSV for Google Contacts or Outlook, or JSON.")
@click.option("-o", "--output", required=True, metavar="FILE", help="The file to write (created 0600), - for stdout.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only contacts added or changed on or after "
              "YYYY-MM-DD.")
@click.option("--search", metavar="TEXT", help="Only contacts `cardscan contacts search TEXT` finds.")
@contact_filters
@version_option
@photo_option
@db_option
def export(fmt: str, output: str, since: datetime | None, search: str | None, tag: str | None, met_at: str | None,
           vcard_version: str | None, with_photo: bool, db_url: str | None) -> None:
    """Write the contacts to a file a phone, mail client or CRM imports: all, or those every filter given
    chooses (--tag and --met-at as `contacts list` takes them)."""
    from pipeline.formats.export import render
    from pipeline.formats.files import write_private
    from pipeline.formats.record import exportable, select_contacts

    with database(db_url) as session:
        chosen = select_contacts(session, since.date() if since else None, search, with_photo=with_photo,
                                 tag=tag, met_at=met_at)
        contacts = [c for c in chosen if exportable(c)]
        data = render(contacts, fmt, vcard_version or "4.0", with_photo)  # type: ignore[arg-type]
    try:
        write_private(output, data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}; choose another file with -o") from None
    err.print(f"{len(contacts)} contact(s) written to {'stdout' if output == '-' else output} ({fmt})")
    if len(chosen) > len(contacts):
        err.print(f"{len(chosen) - len(contacts)} contact(s) with nothing to export yet left out: their fields wait "
                  "in `cardscan review`")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@region_option("Region for phone numbers written without +.", default=DEFAULT_EDIT_REGION)
@db_option
def import_file(file: Path, region: str, db_url: str | None) -> None:
    """File the contacts of a vCard FILE (.vcf, from a phone or another tool) like scanned cards:
    the same person is merged, an ambiguous one waits in `cardscan review`."""
    from collections import Counter

    from pipeline.formats.importing import VCardError, import_vcards, read_vcard_file

    try:  # read first: a file that is no vCard file creates no database either
        read = read_vcard_file(file, region)
    except VCardError as exc:
        raise click.ClickException(str(exc)) from None
    with database(db_url, create=True) as session:
        cards = import_vcards(session, file, region, read)
    for card in cards:
        where = f"contact {card.contact_id}" if card.contact_id else "cardscan review"
        say(f"{card.fields.name or '(no name)'}: {card.outcome} -> {where}")
    counts = Counter(c.outcome for c in cards)
    err.print(f"{len(cards)} vCard(s): " + ", ".join(f"{n} {o}" for o, n in sorted(counts.items(), key=str)))


@click.group()
def sync() -> None:
    """Put the contacts into an address book on a server."""


@sync.command("carddav")
@click.argument("url")
@click.option("--user", help=f"Login (or in the URL). The password: in the URL, ${CARDDAV_PASSWORD_ENV}, or asked for.")
@click.option("--create", is_flag=True, help="Create the address book at URL first.")
@version_option
@photo_option
@db_option
def sync_carddav(url: str, user: str | None, create: bool, vcard_version: str | None, with_photo: bool,
                 db_url: str | None) -> None:
    """Push the contacts to the CardDAV address book at URL (Nextcloud, iCloud, Radicale ...): new and changed
    ones are sent, unchanged ones are not, deleted ones are deleted. Edits made on the server are kept."""
    from pipeline.formats.carddav import CardDavClient
    from pipeline.formats.carddav import sync as push

    password = carddav_password()
    if user and password is None:
        if sys.stdin.isatty():
            password = click.prompt(f"password for {user}", hide_input=True, err=True)
        else:  # piped in, taken as it comes; nothing there ended a prompt in "Aborted!" after an echo warning
            password = sys.stdin.readline().rstrip("\r\n") or None
            if password is None:
                raise click.UsageError(f"no password for {user}: put it in the URL or ${CARDDAV_PASSWORD_ENV}, or "
                                       "run this in a terminal to be asked for it")
    with database(db_url) as session, CardDavClient(url, user, password) as client:
        if create:
            client.create_addressbook()
        report = push(session, client, vcard_version or "3.0", with_photo)  # type: ignore[arg-type]
    say(f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
               f"{report.deleted} deleted on {client.url}")
    for href in report.conflicts:
        err.print(f"[yellow]kept[/yellow] {href}: changed or deleted on the server since the last sync")
