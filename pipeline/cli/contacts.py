"""`cardscan contacts ...`, `cardscan review` and `cardscan remind`: the stored contacts, from the terminal."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from models import Card, Contact
from pipeline.cli.common import contact_filters, database, db_option, err, region_option, say
from pipeline.core.config import DEFAULT_EDIT_REGION
from pipeline.core.display import printable
from pipeline.stages.report import phone_text

if TYPE_CHECKING:
    from pipeline.book.editing import SourceFile

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))  # JSON escapes control characters


def _get(session: Session, model: type[Contact] | type[Card], ident: int) -> Any:
    row = session.get(model, ident)
    if row is None:
        hint = ("`cardscan contacts list` shows the ids" if model is Contact
                else "`cardscan review` and `cardscan contacts show ID` show card ids")
        raise click.ClickException(f"no {'contact' if model is Contact else 'card'} {ident}; {hint}")
    return row


@click.group()
def contacts() -> None:
    """Stored contacts: list, show, search, edit, merge, split, delete."""


@contacts.command("list")
@contact_filters
@db_option
@json_option
def contacts_list(tag: str | None, met_at: str | None, db_url: str | None, as_json: bool) -> None:
    """Every contact, one row each (`export` takes the same filters)."""
    from pipeline.book.contacts import list_contacts

    with database(db_url) as session:
        rows = list_contacts(session, met_at, tag)
    _print_rows(rows, as_json)


@contacts.command("at")
@click.argument("organisation")
@db_option
@json_option
def contacts_at(organisation: str, db_url: str | None, as_json: bool) -> None:
    """Who do I know at ORGANISATION, now or formerly (those who left are kept through their job history)."""
    from pipeline.book.contacts import people_at

    with database(db_url) as session:
        rows = people_at(session, organisation)
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        say(f"no one at {organisation}")
    for r in rows:
        when = "now" if r["now"] else f"until {r['until'][:10]}"
        say(f"#{r['id']} {r['name'] or '(no name)'}: {r['title'] or '-'} @ {r['company']} ({when})")


@contacts.command("done")
@click.argument("contact_id", type=int)
@db_option
def contacts_done(contact_id: int, db_url: str | None) -> None:
    """Mark CONTACT_ID's follow-up done: `remind` no longer lists it."""
    from pipeline.book.editing import follow_up_done

    with database(db_url) as session:
        follow_up_done(session, _get(session, Contact, contact_id))
    say(f"contact {contact_id}: follow-up done")


@contacts.command("search")
@click.argument("text")
@db_option
@json_option
def contacts_search(text: str, db_url: str | None, as_json: bool) -> None:
    """Contacts whose name (in either script: Petrov finds Петров), alias, company, title, e-mail or phone
    contains TEXT."""
    from pipeline.book.contacts import search_contacts

    with database(db_url) as session:
        rows = search_contacts(session, text)
    _print_rows(rows, as_json)


def _print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        _echo_json(rows)
        return
    console = Console()
    console.print(_table(rows, console.width))


# Columns by priority: a narrow terminal drops the last ones rather than squeezing them all unreadable.
# Explicit --region, else the country of the contact's own numbers (the card's first for `review fix`), else RU.
EDIT_REGION_HELP = (f"Region for phone numbers written without + (default: the country of the contact's own "
                    f"numbers, else {DEFAULT_EDIT_REGION}).")
COLUMNS = (("id", 4), ("name", 18), ("phones", 22), ("company", 16), ("emails", 22), ("title", 16), ("cards", 5))


def _table(rows: list[dict[str, Any]], width: int) -> Table:
    shown, used = [], 4
    for name, least in COLUMNS:
        if used + least + 3 <= width:
            shown.append(name)
            used += least + 3
    table = Table(title=f"{len(rows)} contact(s)", width=min(width, max(used + 1, 160)))
    for name, least in COLUMNS:
        if name in shown:
            table.add_column(name, min_width=least, ratio=least, overflow="fold")
    for row in rows:
        # A contact with no name read (a shop's card, an organisation's vCard) was a blank row on a narrow
        # terminal, which drops the e-mail column first: it is named as the web app names it, with its e-mail.
        name = row["name"] or "\n".join(["(no name)"] + ([] if "emails" in shown else row["emails"][:1]))
        cells = {"id": str(row["id"]), "name": name, "title": row["title"] or "",
                 "company": row["company"] or "", "phones": "\n".join(phone_text(p) for p in row["phones"]),
                 "emails": "\n".join(row["emails"]), "cards": str(row["cards"])}
        # Rich drops escape sequences but not every control character (a BEL would ring): shown as %XX.
        table.add_row(*("\n".join(printable(line) for line in cells[name].split("\n"))
                        for name in (c for c, _ in COLUMNS) if name in shown))
    return table


@contacts.command("show")
@click.argument("contact_id", type=int)
@db_option
@json_option
def contacts_show(contact_id: int, db_url: str | None, as_json: bool) -> None:
    """Everything about one contact: names, phones, jobs past and present, cards, history."""
    from pipeline.book.contacts import contact_detail

    with database(db_url) as session:
        detail = contact_detail(_get(session, Contact, contact_id))
    if as_json:
        _echo_json(detail)
        return
    say("\n".join(_detail_lines(detail)))


def _detail_lines(d: dict[str, Any]) -> list[str]:
    out = [f"contact {d['id']}: {d['name'] or '(no name)'}"]
    for label, key in (("aliases", "aliases"), ("emails", "emails"), ("websites", "websites"), ("social", "social"),
                       ("addresses", "addresses"), ("interests", "interests"), ("hobbies", "hobbies"),
                       ("children", "children")):
        if d[key]:
            out.append(f"  {label:<11} {'; '.join(d[key])}")
    for label in ("family_status", "spouse"):
        if d[label]:
            out.append(f"  {label.replace('_', ' '):<11} {d[label]}")
    out += [f"  {'fact':<11} {key}: {value}" for key, value in d["facts"].items()]
    if d["introduced_by"]:
        out.append(f"  {'introduced':<11} by contact {d['introduced_by']}")
    out += [f"  {'phone':<11} {phone_text(p)}" + (" [preferred]" if p["number"] == d["preferred_phone"] else "")
            for p in d["phones"]]
    for label in ("birthday", "met_at", "met_on", "follow_up", "notes"):
        if d[label]:  # notes of several lines (an imported vCard's NOTE) stay in their column
            value = str(d[label]).replace("\n", "\n" + " " * 14)
            out.append(f"  {label.replace('_', ' '):<11} {value}")
    for p in d["positions"]:
        when = f"{p['since'][:10]} - {p['until'][:10] if p['until'] else 'now'}"
        job = " @ ".join(x for x in (p["title"], p["department"], p["company"]) if x)
        other = " @ ".join(x for x in (p["alt_title"], p["alt_company"]) if x)
        out.append(f"  {'job ' + str(p['id']):<11} {job}" + (f" / {other}" if other else "")
                   + f"  ({when}{', by hand' if p['by_hand'] else ''})")
    out += [f"  {'card':<11} #{c['id']} {c['source']} ({c['scanned_at'][:10]})" for c in d["card_list"]]
    out += [f"  {'? ' + w['field']:<11} {w['value']}  (card #{w['card_id']}, waiting for review: "
            f"cardscan review accept {w['card_id']} {w['field']})" for w in d.get("waiting", [])]
    if d["edited_by_hand"]:
        out.append(f"  {'by hand':<11} {', '.join(d['edited_by_hand'])}")
    out.append(f"  {len(d['history'])} change(s) in history (--json shows them)")
    return out


EDIT_OPTIONS = (
    ("--name", "display_name", "The name as shown."), ("--given", "given_name", None),
    ("--middle", "middle_name", "Patronymic or middle name."), ("--family", "family_name", None),
    ("--prefix", "prefix", None), ("--suffix", "suffix", None),
    ("--birthday", "birthday", "YYYY-MM-DD, or MM-DD when the year is unknown."),
    ("--interests", "interests", "Comma-separated tags; replaces the list."), ("--notes", "notes", None),
    ("--met-at", "met_at", "The event or place you met."), ("--met-on", "met_on", "YYYY-MM-DD."),
    ("--follow-up", "follow_up", "YYYY-MM-DD: `cardscan remind` lists it."),
    ("--company", "company", "Puts the current job right (a misread name); a job change is `contacts job add`."),
    ("--title", "title", None), ("--department", "department", None),
    ("--add-phone", "phone", None), ("--preferred-phone", "preferred_phone", "Also added if new."),
    ("--add-email", "email", None), ("--add-alias", "alias", "Another spelling of the name."),
    ("--add-social", "social", "A profile URL (LinkedIn, Telegram, VK ...)."),
    ("--family-status", "family_status", 'E.g. "женат", "married, two children".'), ("--spouse", "spouse", None),
    ("--children", "children", "Comma-separated names; replaces the list."),
    ("--hobbies", "hobbies", "Personal interests, comma-separated; replaces the list."),
    ("--fact", "fact", "KEY=VALUE, any fact worth keeping (KEY= removes it)."),
    ("--introduced-by", "introduced_by", "The id of the contact who introduced you (empty: no one)."),
    ("--remove-phone", "remove_phone", "The number, in any form."), ("--remove-email", "remove_email", None),
    ("--remove-address", "remove_address", "Part of the address, enough to name one."),
    ("--remove-social", "remove_social", "Part of the URL."), ("--remove-alias", "remove_alias", None),
)


def _edit_options(func: Any) -> Any:
    for flag, dest, help_text in reversed(EDIT_OPTIONS):
        func = click.option(flag, dest, metavar="TEXT", help=help_text)(func)
    return func


@contacts.command("edit")
@click.argument("contact_id", type=int)
@_edit_options
@region_option(EDIT_REGION_HELP)
@db_option
def contacts_edit(contact_id: int, region: str | None, db_url: str | None, **values: str | None) -> None:
    """Set fields by hand (an empty value clears one). Fields set here are never changed by a later scan."""
    from pipeline.book.editing import edit_contact

    changes = {dest: values[dest] for _, dest, _ in EDIT_OPTIONS if values.get(dest) is not None}
    if not changes:
        raise click.UsageError("nothing to change; see `cardscan contacts edit --help`")
    with database(db_url) as session:
        contact = _get(session, Contact, contact_id)
        edit_contact(session, contact, changes, region=region)
    say(f"contact {contact_id}: {', '.join(changes)} set by hand")


@contacts.group("job")
def job() -> None:
    """A contact's jobs by hand: add one the cards do not show, date, end or correct one, delete one.
    Job ids are in `contacts show`."""


JOB_OPTIONS = (("--company", "company", None), ("--title", "title", None), ("--department", "department", None),
               ("--since", "since", "YYYY-MM-DD: when the job began."),
               ("--until", "until", "YYYY-MM-DD: when the person left (empty: the next job's start ends it)."))


def _job_options(func: Any) -> Any:
    for flag, dest, help_text in reversed(JOB_OPTIONS):
        func = click.option(flag, dest, metavar="TEXT", help=help_text)(func)
    return func


def _job_values(values: dict[str, str | None]) -> dict[str, str | None]:
    return {dest: values[dest] for _, dest, _ in JOB_OPTIONS if values.get(dest) is not None}


@job.command("add")
@click.argument("contact_id", type=int)
@_job_options
@db_option
def job_add(contact_id: int, db_url: str | None, **values: str | None) -> None:
    """Add a job to CONTACT_ID (today's, unless --since puts it in the past)."""
    from pipeline.book.editing import add_job

    with database(db_url) as session:
        new = add_job(session, _get(session, Contact, contact_id), _job_values(values))
        job_id = new.id
    say(f"contact {contact_id}: job {job_id} added")


@job.command("edit")
@click.argument("contact_id", type=int)
@click.argument("job_id", type=int)
@_job_options
@db_option
def job_edit(contact_id: int, job_id: int, db_url: str | None, **values: str | None) -> None:
    """Correct or date job JOB_ID of CONTACT_ID."""
    from pipeline.book.editing import edit_job, job_of

    changes = _job_values(values)
    if not changes:
        raise click.UsageError("nothing to change; see `cardscan contacts job edit --help`")
    with database(db_url) as session:
        contact = _get(session, Contact, contact_id)
        edit_job(session, contact, job_of(contact, job_id), changes)
    say(f"contact {contact_id}: job {job_id} set by hand")


@job.command("current")
@click.argument("contact_id", type=int)
@click.argument("job_id", type=int)
@db_option
def job_current(contact_id: int, job_id: int, db_url: str | None) -> None:
    """Make past job JOB_ID of CONTACT_ID the current one (the open job ends today); kept by hand from scans."""
    from pipeline.book.editing import job_of, mark_current

    with database(db_url) as session:
        contact = _get(session, Contact, contact_id)
        mark_current(session, contact, job_of(contact, job_id))
    say(f"contact {contact_id}: job {job_id} is current")


@job.command("delete")
@click.argument("contact_id", type=int)
@click.argument("job_id", type=int)
@db_option
def job_delete(contact_id: int, job_id: int, db_url: str | None) -> None:
    """Delete job JOB_ID of CONTACT_ID (one that never was: a misread card)."""
    from pipeline.book.editing import delete_job, job_of

    with database(db_url) as session:
        contact = _get(session, Contact, contact_id)
        delete_job(session, contact, job_of(contact, job_id))
    say(f"contact {contact_id}: job {job_id} deleted")


@contacts.command("merge")
@click.argument("keep_id", type=int)
@click.argument("other_id", type=int)
@db_option
def contacts_merge(keep_id: int, other_id: int, db_url: str | None) -> None:
    """Merge contact OTHER_ID into KEEP_ID: its phones, e-mails, jobs and cards move over, its name becomes
    an alias."""
    from pipeline.book.editing import merge_contacts

    with database(db_url) as session:
        merge_contacts(session, _get(session, Contact, keep_id), _get(session, Contact, other_id))
    say(f"contact {other_id} merged into {keep_id}")


@contacts.command("split")
@click.argument("contact_id", type=int)
@click.option("--card", "card_id", type=int, required=True, help="The card to split off (see `contacts show`).")
@db_option
def contacts_split(contact_id: int, card_id: int, db_url: str | None) -> None:
    """Move a card filed under the wrong person to a contact of its own."""
    from pipeline.book.editing import split_card

    with database(db_url) as session:
        new = split_card(session, _get(session, Contact, contact_id), _get(session, Card, card_id))
        new_id = new.id
    say(f"card {card_id} is now contact {new_id}")


@contacts.command("delete")
@click.argument("contact_id", type=int)
@click.option("--with-files", is_flag=True, help="Also delete the image files the contact's cards were read from.")
@click.option("--yes", is_flag=True, help="Do not ask.")
@db_option
def contacts_delete(contact_id: int, with_files: bool, yes: bool, db_url: str | None) -> None:
    """Delete a contact with its cards, card pictures, OCR text and history."""
    from models.database import forget_deleted
    from pipeline.book.editing import delete_contact

    with database(db_url) as session:
        contact = _get(session, Contact, contact_id)
        if not yes:
            try:
                sure = click.confirm(f"delete contact {contact_id} ({contact.display_name or 'no name'}) and its "
                                     f"{len(contact.cards)} card(s)?", err=True)
            except click.Abort:  # no answer: input from a script or a pipe that ended, or Ctrl-C
                sure = False
            if not sys.stdin.isatty():  # a piped answer is not echoed: end the question's line
                click.echo(err=True)
            if not sure:  # click's bare "Aborted!" said neither what was kept nor how to go on
                raise click.ClickException(f"contact {contact_id} not deleted; add --yes to delete without being asked")
        sources = delete_contact(session, contact)
        bind = session.get_bind()
    forget_deleted(bind.engine)
    say(f"contact {contact_id} deleted")
    _report_sources(sources, with_files)


def _report_sources(sources: list[SourceFile], with_files: bool) -> None:
    for source in sources:
        path = Path(source.path)
        if not source.relative and not path.exists():
            continue
        if source.relative:
            if with_files:
                err.print(f"the {source.kind} {path} was stored relative to the folder that scan ran in, which is "
                          "not known: not deleted; delete it yourself if it is no longer needed")
        elif source.used_by:
            users = ", ".join("a card waiting for review" if u == 0 else f"contact {u}" for u in source.used_by)
            err.print(f"the {source.kind} {path} is kept: it also holds the card(s) of {users}")
        elif with_files:
            path.unlink()
            say(f"deleted the {source.kind} {path}")
        else:
            err.print(f"the {source.kind} {path} is still on disk (--with-files deletes it)")


@click.group(invoke_without_command=True)
@db_option
@json_option
@click.pass_context
def review(ctx: click.Context, db_url: str | None, as_json: bool) -> None:
    """Cards waiting for you: same person or not (`review merge` / `review apart`), and fields read with doubt,
    held from the contact until you `review accept`, `review fix` or `review reject` them."""
    ctx.obj = db_url
    if ctx.invoked_subcommand is not None:
        return
    from pipeline.book.review import review_queue

    with database(db_url) as session:
        rows = [_review_row(card) for card in review_queue(session)]
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        say("nothing to review")
    for row in rows:
        say(f"card {row['card']}: {row['name'] or '(no name)'}, {row['company'] or 'no company'}  "
            f"[{row['source']}]" + (f" -> contact {row['contact']}" if row["contact"] else ""))
        for p in row["photos"]:  # other photos of the card, waiting on the same question: its evidence too
            say(f"    also photographed: card {p['card']} [{p['source']}]: {p['name'] or '(no name)'}, "
                f"{p['company'] or 'no company'}")
        for c in row["candidates"]:
            say(f"    may be contact {c['contact']}: {c['name']}, {c['company'] or 'no company'} "
                f"(score {c['score']:.0f}: {c['reason']})")
        for d in row["check"]:
            state = "held, not in the contact" if d["held"] else "in the contact, check it"
            value = "; ".join(d["value"]) if isinstance(d["value"], list) else d["value"]
            # "(held, not in the contact 0.52, guessed)" read as if 0.52 were part of the contact
            conf = f"; confidence {d['confidence']:.2f}" if d["confidence"] is not None else ""
            say(f"    ? {d['field']:<10} {value}  ({state}{conf}{', guessed' if d['guessed'] else ''})")
    if any(r["candidates"] for r in rows):
        say("same person? cardscan review merge CARD CONTACT | cardscan review apart CARD")
    if any(r["check"] for r in rows):
        say("fields: cardscan review accept CARD [FIELD...] | review fix CARD FIELD VALUE... | "
            "review reject CARD FIELD")


def _review_row(card: Card) -> dict[str, Any]:
    from pipeline.book.contacts import contact_summary
    from pipeline.book.review import doubts, held

    fields = card.fields or {}
    waiting = held(fields)
    check = [] if card.review == "pending" else [
        {"field": k, "value": _shown(fields.get(k)), "held": k in waiting,
         "confidence": (fields.get("confidence") or {}).get(k), "guessed": k in (fields.get("guesses") or [])}
        for k in doubts(fields)]
    return {"card": card.id, "source": card.source_path, "contact": card.contact_id, "name": fields.get("name"),
            "company": fields.get("company"), "check": check,
            "photos": [{"card": p.id, "source": p.source_path, "name": (p.fields or {}).get("name"),
                        "company": (p.fields or {}).get("company")} for p in card.photos],
            "candidates": [{"contact": c.contact_id, "score": c.score, "reason": c.reason}
                           | {k: contact_summary(c.contact)[k] for k in ("name", "company")}
                           for c in card.candidates]}


def _shown(value: Any) -> Any:
    if isinstance(value, list):
        return [phone_text(v) if isinstance(v, dict) else str(v) for v in value]
    return value


def _decided(session: Session, card_id: int, action: Any) -> Any:
    from pipeline.book.editing import EditError

    try:
        return action(_get(session, Card, card_id))
    except EditError as exc:
        raise click.ClickException(str(exc)) from None


@review.command("accept")
@click.argument("card_id", type=int)
@click.argument("names", nargs=-1, metavar="[FIELD]...")
@db_option
@click.pass_obj
def review_accept(group_db: str | None, card_id: int, names: tuple[str, ...], db_url: str | None) -> None:
    """The fields of card CARD_ID were read right (all its doubtful ones without FIELD): held ones go into
    its contact."""
    from pipeline.book.review import accept

    with database(db_url or group_db) as session:
        applied = _decided(session, card_id, lambda card: accept(session, card, list(names) or None))
    say(f"card {card_id}: accepted" + (f"; {', '.join(applied)} now in the contact" if applied else ""))


@review.command("fix")
@click.argument("card_id", type=int)
@click.argument("name", metavar="FIELD")
@click.argument("values", nargs=-1, required=True, metavar="VALUE...")
@region_option(EDIT_REGION_HELP)
@db_option
@click.pass_obj
def review_fix(group_db: str | None, card_id: int, name: str, values: tuple[str, ...], region: str | None,
               db_url: str | None) -> None:
    """Card CARD_ID prints VALUE for FIELD (phones, emails, websites, social: one VALUE each; text fields: the
    words): it goes into the contact instead of the reading, and is kept as a correction."""
    from pipeline.book.review import fix

    with database(db_url or group_db) as session:
        _decided(session, card_id, lambda card: fix(session, card, name, list(values), region))
    say(f"card {card_id}: {name} corrected")


@review.command("reject")
@click.argument("card_id", type=int)
@click.argument("name", metavar="FIELD")
@db_option
@click.pass_obj
def review_reject(group_db: str | None, card_id: int, name: str, db_url: str | None) -> None:
    """Card CARD_ID's FIELD was misread and is not wanted: it never goes into the contact."""
    from pipeline.book.review import reject

    with database(db_url or group_db) as session:
        _decided(session, card_id, lambda card: reject(session, card, name))
    say(f"card {card_id}: {name} rejected")


@review.command("merge")
@click.argument("card_id", type=int)
@click.argument("contact_id", type=int)
@db_option
@click.pass_obj
def review_merge(group_db: str | None, card_id: int, contact_id: int, db_url: str | None) -> None:
    """File card CARD_ID under contact CONTACT_ID (with the other photos of it that wait on the question)."""
    from pipeline.book.editing import resolve_review

    # --db after the subcommand, as every other command takes it; before it (on `review`) works too.
    with database(db_url or group_db) as session:
        resolve_review(session, _get(session, Card, card_id), _get(session, Contact, contact_id))
    say(f"card {card_id} filed under contact {contact_id}")


@review.command("apart")
@click.argument("card_id", type=int)
@db_option
@click.pass_obj
def review_apart(group_db: str | None, card_id: int, db_url: str | None) -> None:
    """Keep card CARD_ID apart: it becomes a new contact (with the other photos of it that wait on the question)."""
    from pipeline.book.editing import resolve_review

    with database(db_url or group_db) as session:
        new_id = resolve_review(session, _get(session, Card, card_id), None).id
    say(f"card {card_id} is now contact {new_id}")


@click.command()
@click.option("--days", type=click.IntRange(min=0), default=14, show_default=True, help="How far ahead to look.")
@click.option("--ics", "ics_file", metavar="FILE", help="Instead, write every birthday (yearly) and follow-up as "
              "calendar events to FILE (iCalendar, created 0600; - for stdout).")
@db_option
@json_option
def remind(days: int, ics_file: str | None, db_url: str | None, as_json: bool) -> None:
    """Birthdays, professional holidays and follow-ups coming up in the next DAYS days (overdue follow-ups too),
    with the phone or e-mail to reach each person and a greeting draft in their language."""
    from pipeline.book.reminders import upcoming

    if ics_file:
        _write_ics(ics_file, db_url)
        return
    with database(db_url) as session:
        found = upcoming(session, date.today(), days)
    if as_json:
        _echo_json([{"date": r.on.isoformat(), "kind": r.kind, "contact_id": r.contact_id, "name": r.name,
                     "name_confirmed": r.name_confirmed, "detail": r.detail, "phone": r.phone, "email": r.email,
                     "greeting": r.greeting} for r in found])
        return
    if not found:
        say(f"nothing in the next {days} day(s)")
    for r in found:
        # A greeting is a call or a message to the phone; a follow-up is the e-mail the issue asks to write.
        reach = "; ".join(x for x in (r.phone, r.email if r.kind == "follow-up" or not r.phone else None) if x)
        name = (r.name if r.name_confirmed else f"{r.name} (unconfirmed)") if r.name else "(no name)"
        say(f"{r.on.isoformat()}  {r.kind:<9}  #{r.contact_id} {name}: {r.detail}"
                   + (f"  [{reach}]" if reach else ""))
        if r.greeting:
            say(f"{'':<24}draft: {r.greeting}")


def _write_ics(target: str, db_url: str | None) -> None:
    from pipeline.formats.files import write_private
    from pipeline.formats.ics import calendar, calendar_entries

    with database(db_url) as session:
        entries = calendar_entries(session, date.today())
    try:
        write_private(target, calendar(entries))
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror}; choose another file") from None
    err.print(f"{len(entries)} event(s) written to {'stdout' if target == '-' else target}")
