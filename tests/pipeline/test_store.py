"""Filing scan results: exact-key merging and idempotent rescans (no OCR involved here)."""

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Card, Contact, Phone
from models.database import connect, sessions
from pipeline.store import store_result
from pipeline.types import CardFields, CardResult, ScanResult
from pipeline.types import Phone as FoundPhone


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = connect(db_url)
    with sessions(engine).begin() as s:
        yield s
    engine.dispose()


def _result(sha: str, name: str, phones: list[str] = (), emails: list[str] = (), company: str | None = None):
    fields = CardFields(name=name, company=company, emails=list(emails),
                        phones=[FoundPhone(p, "work") for p in phones])
    return ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)])


def _count(session: Session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def test_same_phone_merges_and_adds_new_email(session: Session) -> None:
    first = _result("a", "Иван Петров", phones=["+74951234567"])
    second = _result("b", "Ivan Petrov", phones=["+74951234567"], emails=["ivan@example.com"])
    store_result(session, first)
    store_result(session, second)
    assert (first.cards[0].outcome, second.cards[0].outcome) == ("created", "merged")
    assert first.cards[0].contact_id == second.cards[0].contact_id
    contact = session.get(Contact, first.cards[0].contact_id)
    assert contact.display_name == "Иван Петров"  # the first reading is kept, never replaced
    assert [e.address for e in contact.emails] == ["ivan@example.com"]
    assert _count(session, Contact) == 1 and _count(session, Card) == 2


def test_same_email_merges_and_new_phone_is_added_not_replaced(session: Session) -> None:
    store_result(session, _result("a", "Jane Doe", phones=["+14158675309"], emails=["jane@acme.io"]))
    store_result(session, _result("b", "Jane Doe", phones=["+12127365000"], emails=["jane@acme.io"]))
    assert sorted(session.scalars(select(Phone.e164))) == ["+12127365000", "+14158675309"]


def test_no_shared_key_makes_two_contacts(session: Session) -> None:
    store_result(session, _result("a", "Jane Doe", phones=["+14158675309"], company="Acme Inc."))
    store_result(session, _result("b", "Jane Doe", phones=["+12127365000"], company="Globex LLC"))
    assert _count(session, Contact) == 2


def test_rescanning_the_same_file_is_unchanged(session: Session) -> None:
    store_result(session, _result("a", "Jane Doe", phones=["+14158675309"]))
    again = _result("a", "Jane Doe", phones=["+14158675309"])
    store_result(session, again)
    assert again.cards[0].outcome == "unchanged"
    assert _count(session, Contact) == 1 and _count(session, Card) == 1
