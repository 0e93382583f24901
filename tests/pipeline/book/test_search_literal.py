"""`contacts search` takes what is typed literally (issue 17, item 14: `search %` matched everyone)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from pipeline.book.contacts import search_contacts
from pipeline.book.store import store_result
from pipeline.core.errors import CardscanError
from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult


def _add(session: Session, sha: str, name: str, company: str, phone: str) -> None:
    given, family = name.split()
    fields = CardFields(name=name, name_parts=NameParts(given=given, family=family), company=company,
                        phones=[Phone(phone, "mobile")], emails=[f"{family.lower()}@example.org"])
    store_result(session, ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)]))


def test_percent_and_underscore_are_characters_not_wildcards(session: Session) -> None:
    _add(session, "a", "Ivan Petrov", "Globex", "+79161234567")
    _add(session, "b", "Anna Sidorova", "100% Cotton_Ltd", "+79161234568")
    assert [c["name"] for c in search_contacts(session, "%")] == ["Anna Sidorova"]
    assert [c["name"] for c in search_contacts(session, "_")] == ["Anna Sidorova"]
    assert [c["name"] for c in search_contacts(session, "a_s")] == []  # no "a_s" anywhere; "a s" in a name
    assert [c["name"] for c in search_contacts(session, "petrov")] == ["Ivan Petrov"]


def test_a_search_of_50_kb_is_one_clear_error(session: Session) -> None:
    with pytest.raises(CardscanError, match="the search text has 51200 characters; search for at most 1000"):
        search_contacts(session, "x" * 51200)
