"""No wrong silent merges (issue 17, item 9): numbers and kinds of entity in organisation names keep
organisations, and so the people at them, apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Contact, Phone
from pipeline.book.dedupe import SAME_ORG
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, NameParts, ScanResult
from pipeline.core.types import Phone as CardPhone
from pipeline.extract.namekeys import organization_similarity


def _card(session: Session, sha: str, company: str, phone: str, email: str) -> CardResult:
    fields = CardFields(name="Ivan Petrov", name_parts=NameParts(given="Ivan", family="Petrov"), company=company,
                        phones=[CardPhone(phone, "mobile")], emails=[email])
    result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)])
    store_result(session, result)
    return result.cards[0]


def test_same_name_at_two_numbered_schools_is_not_merged(session: Session) -> None:
    first = _card(session, "a", "School No. 5", "+79161110005", "petrov@school5.example")
    second = _card(session, "b", "School No. 17", "+79161110017", "petrov@school17.example")
    assert first.outcome == "created"
    assert second.outcome == "needs_review"  # the same name elsewhere: asked, never merged silently
    phones = session.scalars(select(Phone.e164).where(Phone.contact_id == first.contact_id)).all()
    assert phones == ["+79161110005"]
    third = _card(session, "c", "School No. 05", "+79161110099", "ivan@school5.example")  # the same school
    assert (third.outcome, third.contact_id) == ("merged", first.contact_id)


def test_same_name_at_llc_and_jsc_of_one_name_is_not_merged(session: Session) -> None:
    first = _card(session, "d", "ООО «Ромашка»", "+79161112233", "petrov@romashka.example")
    second = _card(session, "e", "АО «Ромашка»", "+79161114455", "petrov@romashka-ao.example")
    assert second.outcome == "needs_review"
    third = _card(session, "f", "Romashka LLC", "+79161116677", "ivan@romashka.example")  # ООО = LLC
    assert (third.outcome, third.contact_id) == ("merged", first.contact_id)
    assert session.scalar(select(func.count()).select_from(Contact)) == 1


_word = st.sampled_from(["Ромашка", "School", "Филиал", "Branch", "Globex", "Сбербанк", "Гимназия", "Store"])
_forms = st.sampled_from([("ООО", "LLC"), ("АО", "JSC"), ("", ""), ("ПАО", "PJSC")])


@given(word=_word, n1=st.integers(0, 9999), n2=st.integers(0, 9999), forms=_forms)
def test_different_numbers_never_score_as_one_organisation(word: str, n1: int, n2: int,
                                                           forms: tuple[str, str]) -> None:
    a, b = f"{forms[0]} {word} № {n1}".strip(), f"{word} No. {n2} {forms[1]}".strip()
    if n1 != n2:
        assert organization_similarity(a, b) < SAME_ORG
    else:
        assert organization_similarity(a, b) >= SAME_ORG  # one organisation, in either language


@given(word=_word, f1=_forms, f2=_forms)
def test_kinds_of_entity_keep_organisations_apart(word: str, f1: tuple[str, str], f2: tuple[str, str]) -> None:
    a, b = f"{f1[0]} «{word}»".strip(), f"{word} {f2[1]}".strip()
    same = f1 == f2 or not f1[0] or not f2[1]  # a card without a legal form says nothing against it
    assert (organization_similarity(a, b) >= SAME_ORG) == same
