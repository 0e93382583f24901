"""A new user's trial, on real photos through the CLI: the same card photographed twice is one contact even when
its phones are read with doubt (held); what needs review is listed by `cardscan review` and leaves it once
decided, a rescan says so; a contact filed with held fields gets its follow-up and a name in `remind`."""

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import SHARED

REAL = SHARED / "real_cards" / "images"
# Two pairs of one physical card photographed twice (the real_cards README), neither with a name on it, and a
# card whose name is read with doubt.
ADACHI = (REAL / "806010510_264886.jpg", REAL / "806021986_246712.jpg")
AUTOSOCORRO = (REAL / "806122959_320030.jpg", REAL / "806123639_321862.jpg")
NAMED = REAL / "806123003_320433.jpg"


def _run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _review(db: str) -> list[dict[str, Any]]:
    return list(json.loads(_run("review", "--db", db, "--json").stdout))


@pytest.mark.slow
def test_a_card_photographed_twice_is_one_contact_reviewed_once_and_reminded_of(tmp_path: Path) -> None:
    if not NAMED.exists():
        pytest.skip("the shared real photos are not here")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    scanned = _run(
        "scan", *map(str, (*ADACHI, *AUTOSOCORRO, NAMED)), "--db", db, "--region", "BR", "--json", "--met-at", "Feira"
    )
    cards = [doc["cards"][0] for doc in json.loads(scanned.stdout)]
    first, twin = cards[0], cards[1]
    assert "phones" in first["held"] and "phones" in twin["held"]  # the phones are read with doubt on both
    assert (first["filed"], twin["filed"], twin["contact_id"]) == ("created", "merged", first["contact_id"])
    assert cards[3]["contact_id"] == cards[2]["contact_id"] and cards[3]["filed"] == "merged"
    listed = json.loads(_run("contacts", "list", "--db", db, "--json").stdout)
    assert len(listed) == 3  # one per card, not one per photo
    assert all(not row["phones"] for row in listed if row["id"] == first["contact_id"])  # held: not in it

    # Every card the scan said needs review is listed by `review`, and only those.
    waiting = {row["card"] for row in _review(db)}
    assert len(waiting) == sum(c["needs_review"] for c in cards) == 5
    first_card = min(waiting)
    _run("review", "accept", str(first_card), "--db", db)
    assert first_card not in {row["card"] for row in _review(db)}
    twin_card = first_card + 1
    assert twin_card not in {row["card"] for row in _review(db)}  # its phones are the contact's now: nothing held
    shown = _run("contacts", "show", str(first["contact_id"]), "--db", db).stdout
    assert "+551122949484" in shown and "waiting for review" not in shown

    again = _run("scan", str(ADACHI[1]), "--db", db, "--region", "BR", "--json")
    card = json.loads(again.stdout)["cards"][0]
    assert (card["outcome"], card["needs_review"], card["held"]) == ("unchanged", False, [])
    assert "need review" not in again.stderr

    # Each new contact has its follow-up, named by what there is: a doubtful name, or the company, marked.
    reminders = json.loads(_run("remind", "--days", "7", "--db", db, "--json").stdout)
    follow_ups = {r["contact_id"]: r for r in reminders if r["kind"] == "follow-up"}
    assert set(follow_ups) == {row["id"] for row in listed}
    assert all(date.fromisoformat(r["date"]) > date.today() for r in follow_ups.values())
    autosocorro = follow_ups[cards[2]["contact_id"]]
    assert autosocorro["name"] and "AUTOSOCORRO" in autosocorro["name"] and autosocorro["name_confirmed"] is False
    text = _run("remind", "--days", "7", "--db", db).stdout
    assert "(no name)" not in text and re.search(r"#\d+ AUTOSOCORRO.* \(unconfirmed\): due; met at Feira", text)
