"""A birthday without a year is shown as --MM-DD everywhere, never in the placeholder year 1604."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from models.database import connect, sessions
from pipeline.book.editing import edit_contact
from pipeline.book.reminders import birthday_text
from pipeline.book.store import store_result
from pipeline.cli import main
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult


def test_birthday_text_leaves_the_placeholder_year_out() -> None:
    assert birthday_text(date(1604, 2, 29)) == "--02-29"
    assert birthday_text(date(1980, 5, 17)) == "1980-05-17"
    assert birthday_text(None) is None


@pytest.mark.slow  # every output command through the CLI: 5-10 s
def test_no_output_shows_the_placeholder_year(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    soon = date.today() + timedelta(days=3)
    with sessions(connect(db)).begin() as session:
        result = ScanResult("/cards/a.jpg", "a" * 64, "ok", [CardResult(CardFields(
            name="Jane Doe", phones=[Phone("+14155550123", "mobile")]))])
        store_result(session, result)
        contact = session.get_one(__import__("models").Contact, result.cards[0].contact_id)
        edit_contact(session, contact, {"birthday": soon.strftime("%m-%d")})
        contact_id = contact.id
    outputs = {}
    runner = CliRunner()
    for args in (["contacts", "show", str(contact_id)], ["contacts", "show", str(contact_id), "--json"],
                 ["contacts", "list", "--json"], ["remind", "--json"], ["remind"],
                 ["export", "--format", "json", "-o", "-"], ["export", "--format", "csv-google", "-o", "-"],
                 ["export", "--format", "vcard", "-o", "-"]):
        run = runner.invoke(main, [*args, "--db", db], catch_exceptions=False)
        assert run.exit_code == 0, run.output
        outputs[" ".join(args)] = run.stdout
    for command, out in outputs.items():
        assert "1604" not in out, command
    assert soon.strftime("--%m-%d") in outputs[f"contacts show {contact_id}"]
    assert f'"birthday": "{soon.strftime("--%m-%d")}"' in outputs["contacts list --json"]
    assert "BDAY:" + soon.strftime("--%m%d") in outputs["export --format vcard -o -"]
    assert soon.isoformat() in outputs["remind"] and "year unknown" in outputs["remind"]
