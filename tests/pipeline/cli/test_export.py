"""`cardscan export`, `import` and `remind --ics` as a user runs them."""

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
import vobject
from click.testing import CliRunner

from models.database import connect, sessions
from pipeline.cli import main
from tests.pipeline.formats.people import make_petrov, make_smith


@pytest.fixture
def db(sqlite_url: str) -> str:
    url = sqlite_url
    engine = connect(url)
    with sessions(engine).begin() as session:
        make_petrov(session)
        make_smith(session)
    engine.dispose()
    return url


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["vcard", "csv-google", "csv-outlook", "json", "jsonl"])
def test_every_format_is_written_to_a_private_file(db: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"contacts.{fmt}"
    _run("export", "--format", fmt, "-o", str(out), "--db", db)
    assert out.stat().st_mode & 0o777 == 0o600
    text = out.read_text(encoding="utf-8-sig")
    assert "Петров" in text and "Smith" in text


def test_stdout_search_and_since(db: str) -> None:
    found = list(vobject.readComponents(_run("export", "-o", "-", "--search", "Petrov", "--db", db)))
    assert [c.contents["fn"][0].value for c in found] == ["Петров Иван Сергеевич"]
    v3 = vobject.readOne(_run("export", "-o", "-", "--vcard-version", "3.0", "--search", "Smith", "--db", db))
    assert v3.version.value == "3.0" and v3.fn.value == "Jane Smith"
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert _run("export", "--format", "jsonl", "-o", "-", "--since", tomorrow, "--db", db) == ""
    today = date.today().isoformat()
    rows = [json.loads(line) for line in _run("export", "--format", "jsonl", "-o", "-", "--since", today,
                                              "--db", db).splitlines()]
    assert [r["name"] for r in rows] == ["Петров Иван Сергеевич", "Jane Smith"]


def test_import_command_and_remind_ics(db: str, tmp_path: Path) -> None:
    vcf = tmp_path / "out.vcf"
    _run("export", "-o", str(vcf), "--db", db)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert _run("import", str(vcf), "--db", other).count(": created -> contact") == 2
    assert _run("import", str(vcf), "--db", other).count(": unchanged -> contact") == 2
    ics = tmp_path / "reminders.ics"
    _run("remind", "--ics", str(ics), "--db", db)
    assert ics.stat().st_mode & 0o777 == 0o600
    # two birthdays, a follow-up, and the professional days of their jobs (sales: торговли; CTO: programmers)
    assert ics.read_text(encoding="utf-8").count("BEGIN:VEVENT") == 5


def test_export_to_a_missing_folder_is_one_clear_line(db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "-o", str(tmp_path / "no" / "such.vcf"), "--db", db])
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


def test_a_planted_symlink_never_redirects_the_export(db: str, tmp_path: Path) -> None:
    """A shared folder: someone links the temp name export used to write to onto a file of theirs."""
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours to overwrite\n")
    victim.chmod(0o644)
    (shared / f".contacts.vcf.tmp{os.getpid()}").symlink_to(victim)  # CliRunner runs in this process
    out = shared / "contacts.vcf"
    _run("export", "-o", str(out), "--db", db)
    assert victim.read_text() == "not yours to overwrite\n" and victim.stat().st_mode & 0o777 == 0o644
    assert out.stat().st_mode & 0o777 == 0o600 and not out.is_symlink()
    assert "BEGIN:VCARD" in out.read_text(encoding="utf-8")
    leftovers = sorted(p.name for p in shared.iterdir() if p.name != out.name)
    assert leftovers == [f".contacts.vcf.tmp{os.getpid()}"]  # the planted link, untouched; no temp file of ours


def test_export_over_a_symlink_replaces_the_link_not_its_target(db: str, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    out = tmp_path / "contacts.csv"
    out.symlink_to(victim)
    _run("export", "--format", "csv-google", "-o", str(out), "--db", db)
    assert victim.read_text() == "keep\n"
    assert not out.is_symlink() and out.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("fmt", ["vcard", "csv-google", "csv-outlook", "json", "jsonl"])
def test_export_takes_the_tag_and_event_filters_of_contacts_list(db: str, fmt: str) -> None:
    """Petrov has the tags яхты and логистика and was met at Иннопром 2026; Smith has neither."""
    for filters in (("--tag", "ЯХТЫ"), ("--met-at", "иннопром"), ("--tag", "логистика", "--met-at", "2026")):
        text = _run("export", "--format", fmt, "-o", "-", *filters, "--db", db)
        assert "Петров" in text and "Smith" not in text, filters
    # A tag is matched whole, and every filter given must hold.
    assert "Петров" not in _run("export", "--format", fmt, "-o", "-", "--tag", "яхт", "--met-at", "иннопром",
                                "--db", db)


def test_contacts_list_takes_the_same_filters(db: str) -> None:
    def listed(*filters: str) -> list[str]:
        return [r["name"] for r in json.loads(_run("contacts", "list", *filters, "--json", "--db", db))]

    assert listed("--tag", "ЯХТЫ") == listed("--met-at", "иннопром") == ["Петров Иван Сергеевич"]
    assert listed("--tag", "яхт") == listed("--tag", "яхты", "--met-at", "ЦИПР") == []
    assert listed() == ["Петров Иван Сергеевич", "Jane Smith"]


def test_contacts_list_and_export_take_their_filters_from_one_place() -> None:
    from pipeline.cli.contacts import contacts_list
    from pipeline.cli.export import export

    def filters(command: object) -> dict[str, str | None]:
        import click

        assert isinstance(command, click.Command)
        return {p.name: p.help for p in command.params if p.name in ("tag", "met_at")}

    assert filters(export) == filters(contacts_list) and set(filters(export)) == {"tag", "met_at"}


def test_a_contact_whose_every_field_waits_in_review_is_left_out_not_exported_blank(db: str) -> None:
    from pipeline.core.types import CardFields
    from tests.pipeline.formats.people import scan

    engine = connect(db)
    with sessions(engine).begin() as session:  # a card read with no name, its only field held for review
        scan(session, "9", CardFields(company="CHEVROLESTE", guesses=["company"], confidence={"company": 0.3}))
    engine.dispose()
    result = CliRunner().invoke(main, ["export", "-o", "-", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    cards = list(vobject.readComponents(result.stdout))
    assert [c.contents["fn"][0].value for c in cards] == ["Петров Иван Сергеевич", "Jane Smith"]
    assert "1 contact(s) with nothing to export yet left out" in result.stderr
