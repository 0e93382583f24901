"""Any field content exports as exactly one vCard, and importing that export gives the same fields back
(issue 17: a URL holding a line break exported as two vCards, and the import made up a contact)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import vobject
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models import Contact
from models.database import connect, sessions
from pipeline.extract.vcard import read_vcards
from pipeline.formats.importing import import_vcards
from pipeline.formats.record import ContactRecord, NameForm, build_record, select_contacts
from pipeline.formats.vcard import vcards

# Any text a hand edit or an imported vCard can put in a field: every plane, line breaks of every kind,
# control characters, the vCard syntax characters. Stripped and non-empty, as the importer keeps values.
_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
_syntax = st.sampled_from(["\r\n", "\n", "\r", ",", ";", ":", "\\", '"', "^", "END:VCARD", "BEGIN:VCARD",
                           "\u2028", "\x85", "\x0b", "\x1c"])
text = st.lists(st.one_of(st.text(_chars, min_size=1, max_size=8), _syntax), min_size=1, max_size=6).map(
    "".join).map(str.strip).filter(bool)
url = st.tuples(st.sampled_from(["https://", "http://", ""]), text).map("".join)
network = st.one_of(st.none(), text)


def _lf(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _record(uid: str, name: str, title: str, org: str, websites: list[str], socials: list[tuple[str, str | None]],
            notes: str) -> ContactRecord:
    return ContactRecord(uid=uid, rev=datetime(2026, 12, 6, tzinfo=UTC), name=NameForm(name), alt_name=None,
                         nicknames=(), organization=org, department=None, title=title, phones=(), emails=(),
                         websites=tuple(websites), socials=tuple(socials), addresses=(), birthday=None,
                         notes=notes, interests=())


@pytest.mark.parametrize("version", ["4.0", "3.0"])
@pytest.mark.slow  # ~7 s: 200 generated contacts per version
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=text, title=text, org=text, websites=st.lists(url, min_size=1, max_size=3, unique=True),
       socials=st.lists(st.tuples(url, network), max_size=2, unique_by=lambda s: s[0]), notes=text)
def test_any_content_is_one_vcard_and_imports_back_the_same(version: str, name: str, title: str, org: str,
                                                            websites: list[str],
                                                            socials: list[tuple[str, str | None]],
                                                            notes: str) -> None:
    # vCard has one line break: a CR LF or a lone CR comes back as LF (RFC 6350 3.4), all else exactly.
    name, title, org, notes = (_lf(v) for v in (name, title, org, notes))
    # A vCard whose only name is its organisation's is an organisation's vCard (imported as no person):
    # tests/pipeline/formats/test_import_round_trip.py covers that case.
    assume(name.strip() != org.strip())
    websites, socials = [_lf(w) for w in websites], [(_lf(u), n) for u, n in socials]
    record = _record("3f1c1f2e-0000-4000-8000-000000000001", name, title, org, websites, socials, notes)
    text_out = vcards([record], version)  # type: ignore[arg-type]
    parsed = list(vobject.readComponents(text_out))
    assert len(parsed) == 1  # one contact, one vCard: nothing smuggled in
    (card,) = read_vcards(text_out)
    fields = card.fields
    assert fields.name == name and fields.title == title and fields.company == org
    assert fields.websites == websites
    assert fields.social == [u for u, _ in socials]
    assert card.extras.notes == notes


def test_a_hostile_url_imported_then_exported_stays_one_contact(tmp_path: Path) -> None:
    """The issue's case on real files: import a vCard whose URL hides a second vCard, export it as 4.0,
    import that export into a fresh database: one contact, with the URL as it was."""
    hostile = "https://evil.example/\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:Ghost Contact\nTEL:+79990000000"
    source = tmp_path / "in.vcf"
    escaped = hostile.replace("\n", "\\n")
    source.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ivan Petrov\r\nN:Petrov;Ivan;;;\r\nURL:{escaped}\r\n"
                      f"X-SOCIALPROFILE;TYPE=telegram:{escaped}/tg\r\nEND:VCARD\r\n", encoding="utf-8")
    first = sessions(connect(f"sqlite:///{tmp_path / 'a.db'}"))
    with first.begin() as session:
        import_vcards(session, source)
    with first() as session:
        exported = vcards([build_record(c) for c in select_contacts(session)], "4.0")
    out = tmp_path / "out.vcf"
    out.write_text(exported, encoding="utf-8")
    second = sessions(connect(f"sqlite:///{tmp_path / 'b.db'}"))
    with second.begin() as session:
        cards = import_vcards(session, out)
    assert len(cards) == 1 and cards[0].fields.websites == [hostile]
    assert cards[0].fields.social == [hostile + "/tg"]
    with second() as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 1
