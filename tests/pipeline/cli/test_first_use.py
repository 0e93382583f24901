"""What a new user meets first, from the README alone: a mistyped --db, a folder given to `scan`, a delete
from a script, `make demo` when a sample fails. Each answer is one line saying what to do."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from pipeline.cli import main
from tests.conftest import draw_card

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("url", ["foo://", "mysql://u@h/db", "http://example.com", "postgres://u@h/x",
                                 "postgresql+psycopg2://u@h/x"])
def test_a_database_url_cardscan_cannot_use_says_which_urls_work(url: str) -> None:
    result = CliRunner().invoke(main, ["contacts", "list", "--db", url])
    assert result.exit_code == 2, result.output
    last = result.output.strip().splitlines()[-1]
    assert last == (f"Error: Invalid value for --db: {url!r} is not a database cardscan can use; give a file path "
                    "(contacts.db), sqlite:///path/to/contacts.db or postgresql://user@host/dbname")


def test_a_malformed_database_url_is_one_line_without_the_password() -> None:
    result = CliRunner().invoke(main, ["contacts", "list", "--db", "postgresql://u:s3cret@h:port/x"])
    assert result.exit_code == 2 and "s3cret" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: Invalid value for --db: 'postgresql://u:***@h:port/x' is malformed (")
    assert last.endswith("give a file path (contacts.db), sqlite:///path/to/contacts.db or postgresql://user@host/dbname")


def test_a_database_that_refuses_the_connection_is_the_drivers_words_alone(tmp_path: Path) -> None:
    """SQLAlchemy prefixes the driver's message with its exception class: '(sqlite3.DatabaseError) file is ...'."""
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello\n" * 1000)
    result = CliRunner().invoke(main, ["contacts", "list", "--db", f"sqlite:///{not_a_db}"])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: cannot open the database 'sqlite:///{not_a_db}': file is not a database"


def test_scan_given_a_folder_points_to_batch(tmp_path: Path) -> None:
    folder = tmp_path / "my cards"
    folder.mkdir()
    result = CliRunner().invoke(main, ["scan", str(folder), "--no-store"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"error {folder}: a folder, not a regular file: `cardscan batch '{folder}'` scans "
                                     "the images in a folder")


@pytest.mark.slow  # one card by OCR
def test_a_card_read_in_the_stated_region_is_filed_whole(tmp_path: Path) -> None:
    """`--region BR` on a card that names no country: its phone is marked `?` to check, but filed into the
    contact, not held in the review queue (before: every such card waited for a person to confirm Brazil)."""
    card = draw_card(tmp_path / "card.png", [("Jane Doe", 64), ("Sales Manager", 36), ("Acme Widgets", 40),
                                              ("Tel (11) 2294-9484", 40), ("jane@acmewidgets.com", 36)])
    db = f"sqlite:///{tmp_path / 'c.db'}"
    scanned = CliRunner().invoke(main, ["scan", str(card), "--region", "BR", "--db", db, "--json"])
    assert scanned.exit_code == 0, scanned.output
    doc = json.loads(scanned.stdout)["cards"][0]
    assert [p["number"] for p in doc["phones"]] == ["+551122949484"]
    assert "phones" in doc["guesses"] and doc["assumed"] == ["phones"]
    assert (doc["outcome"], doc["held"], doc["needs_review"]) == ("created", [], False)
    run = CliRunner().invoke(main, ["contacts", "show", str(doc["contact_id"]), "--json", "--db", db])
    shown = json.loads(run.stdout)
    assert [p["number"] for p in shown["phones"]] == ["+551122949484"]
    assert CliRunner().invoke(main, ["review", "--db", db]).stdout.strip() == "nothing to review"


def _readme_block(after: str, kind: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"```{kind}\n", readme.index(after)) + len(f"```{kind}\n")
    return readme[start:readme.index("```", start)]


@pytest.mark.slow  # two cards by OCR
def test_the_readme_try_it_example_prints_what_the_readme_shows(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's `contacts show 1` example had drifted from the real output (order of phones and e-mails, the
    follow-up line, the count of changes): run its commands and compare, dates and the checkout's path aside."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_cards").symlink_to(ROOT / "sample_cards")
    (tmp_path / "var").mkdir()
    commands = [line.split("#")[0].split()
                for line in _readme_block("Try it with the bundled cards", "sh").splitlines()]
    assert [c[:2] for c in commands] == [[".venv/bin/cardscan", "scan"]] * 2 + [[".venv/bin/cardscan", "contacts"]]
    for args in commands[:2]:
        assert CliRunner().invoke(main, args[1:]).exit_code == 0
    shown = CliRunner().invoke(main, commands[2][1:])
    assert shown.exit_code == 0

    def plain(text: str) -> str:
        text = text.replace(str(ROOT), "/home/you/cardscan")  # card paths are stored resolved
        return re.sub(r"\d{4}-\d\d-\d\d", "YYYY-MM-DD", text).strip()

    assert plain(shown.stdout) == plain(_readme_block("Try it with the bundled cards", "text"))


def test_delete_without_an_answer_says_nothing_was_deleted_and_how_to_go_on(tmp_path: Path) -> None:
    """From a script (no terminal to answer the question) it ended in click's bare 'Aborted!'."""
    vcf = tmp_path / "one.vcf"
    vcf.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ivan Petrov\r\nN:Petrov;Ivan;;;\r\nTEL:+79161234567\r\n"
                   "END:VCARD\r\n")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert CliRunner().invoke(main, ["import", str(vcf), "--db", db]).exit_code == 0
    for answer in ("", "n\n"):
        kept = CliRunner().invoke(main, ["contacts", "delete", "1", "--db", db], input=answer)
        assert kept.exit_code == 1
        said = kept.output.strip().splitlines()[-1]
        assert said == "Error: contact 1 not deleted; add --yes to delete without being asked"
    assert CliRunner().invoke(main, ["contacts", "show", "1", "--db", db]).exit_code == 0
    deleted = CliRunner().invoke(main, ["contacts", "delete", "1", "--db", db], input="y\n")
    assert deleted.exit_code == 0 and "contact 1 deleted" in deleted.output


def test_the_closing_counts_of_scan_and_batch_are_the_cards_review_lists(session: Session) -> None:
    """A doubtful name is filed (the contact is `created`) but its card waits in the review queue: scan's and
    batch's closing lines said nothing of it, while `cardscan review` and the web app's count listed it."""
    from pipeline.book.review import review_queue
    from pipeline.book.store import store_result
    from pipeline.cli.scan import _totals
    from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
    from pipeline.jobs.batch import BatchSummary, FileDone
    from pipeline.jobs.progress import summary_lines

    def result(n: int, name: str, name_conf: float) -> ScanResult:
        fields = CardFields(name=name, company="Kuzey Enerji", phones=[Phone(f"+90216284663{n}", "work")],
                            confidence={"name": name_conf, "phones": 0.96}, guesses=["name"] if name_conf < 0.6 else [])
        return ScanResult(f"card{n}.jpg", f"{n:064x}", "ok", [CardResult(fields)])

    results = [result(1, "Hakan BULUT", 0.45), result(2, "Ayşe Demir", 0.93)]
    for r in results:
        store_result(session, r)
    session.flush()
    assert [r.cards[0].outcome for r in results] == ["created", "created"]
    queued = review_queue(session)
    assert [c.fields["name"] for c in queued] == ["Hakan BULUT"]
    assert _totals(results, "sqlite:///c.db").endswith("; 1 card(s) need review (`cardscan review`)")
    summary = BatchSummary(found=2)
    for r in results:
        summary.add(FileDone(r, worker_pid=1, worker_peak_rss_kb=1))
    assert "1 card(s) to check: `cardscan review`" in summary_lines(summary, "sqlite:///c.db")


def test_sync_from_a_script_without_a_password_says_where_to_put_it(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """No terminal: the prompt warned 'Password input may be echoed', then ended in a bare 'Aborted!'."""
    monkeypatch.delenv("CARDSCAN_CARDDAV_PASSWORD", raising=False)
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--db", db]).exit_code == 0
    args = ["sync", "carddav", "http://127.0.0.1:9/dav/", "--user", "me", "--db", db]
    none = CliRunner().invoke(main, args, input="")
    assert none.exit_code == 2 and "Aborted" not in none.output and "echoed" not in none.output
    assert none.output.strip().splitlines()[-1] == ("Error: no password for me: put it in the URL or "
                                                     "$CARDSCAN_CARDDAV_PASSWORD, or run this in a terminal to be "
                                                     "asked for it")
    piped = CliRunner().invoke(main, args, input="s3cret\n")  # taken, then the server (none there) is tried
    assert piped.exit_code == 1 and "s3cret" not in piped.output
    assert piped.output.strip().splitlines()[-1].startswith("Error: cannot reach http://127.0.0.1:9/dav/")
