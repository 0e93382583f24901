"""One person is one contact even when what identifies them was read with doubt: held phones, e-mails and
companies are matching evidence (never contact values); the review queue, the follow-up and the reminders see
such contacts; on SQLite and PostgreSQL. The same on real photos through the CLI: tests/pipeline/cli/
test_same_card_twice.py."""

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Card, Contact, HeldKey, Phone
from pipeline.book.editing import add_job, delete_contact, edit_contact, mark_current
from pipeline.book.filing import Filing
from pipeline.book.merge import sorted_jobs
from pipeline.book.reminders import upcoming
from pipeline.book.review import accept, review_queue
from pipeline.book.store import store_result
from pipeline.core.types import CardFields, CardResult, ScanResult
from pipeline.core.types import Phone as CardPhone

OFFICE, MOBILE = "+551122949484", "+5511996799468"
TODAY = date(2026, 12, 4)  # a Friday: the follow-up is on Monday


def scan(
    session: Session,
    sha: str,
    *,
    name: str | None = None,
    phones: tuple[str, ...] = (),
    company: str | None = None,
    guesses: tuple[str, ...] = (),
    emails: tuple[str, ...] = (),
    filing: Filing | None = None,
) -> CardResult:
    fields = CardFields(
        name=name,
        company=company,
        emails=list(emails),
        guesses=list(guesses),
        phones=[CardPhone(p, "mobile" if p == MOBILE else "work") for p in phones],
    )
    result = ScanResult(f"/cards/{sha}.jpg", sha * 64, "ok", [CardResult(fields)])
    store_result(session, result, filing=filing)
    session.flush()
    return result.cards[0]


def contacts(session: Session) -> int:
    return len(session.scalars(select(Contact.id)).all())


def test_the_same_card_holding_its_phones_twice_is_one_contact_and_the_phones_stay_out(session: Session) -> None:
    first = scan(session, "a", phones=(OFFICE, MOBILE), company="Eletrônica ADACHI Ltda.", guesses=("phones",))
    second = scan(session, "b", phones=(OFFICE, MOBILE), company="Eletrônica ADACHI Ltda.", guesses=("phones",))
    assert (first.filed, second.filed, second.outcome) == ("created", "merged", "needs_review")
    assert second.contact_id == first.contact_id and contacts(session) == 1
    assert session.scalars(select(Phone.e164)).all() == []  # evidence, not values: nothing held is in the contact
    assert {(k.kind, k.value) for k in session.scalars(select(HeldKey))} == {("phone", OFFICE), ("phone", MOBILE)}
    assert [c.id for c in review_queue(session)] == [1, 2]
    contact = session.get(Contact, first.contact_id)
    assert contact is not None
    delete_contact(session, contact)  # delete means delete: the held readings too
    assert session.scalars(select(HeldKey)).all() == [] and review_queue(session) == []


def test_weaker_evidence_asks_and_another_name_is_another_person(session: Session) -> None:
    first = scan(session, "a", phones=(OFFICE,), guesses=("phones",))
    second = scan(session, "b", phones=(OFFICE,), guesses=("phones",))  # one doubtful phone, no name: ask
    assert second.outcome == "needs_review" and second.filed is None and second.candidates == [first.contact_id]
    assert second.in_review and contacts(session) == 1
    named = scan(session, "c", name="Ricardo Nogueira", phones=(MOBILE,), guesses=("phones",))
    other = scan(session, "d", name="Мария Кузнецова", phones=(MOBILE,), guesses=("phones",))
    assert other.filed == "created" and other.contact_id != named.contact_id  # a misread digit lands anywhere
    shop = scan(session, "e", company="ООО «Кристалл»")
    again = scan(session, "f", company="Kristall LLC")  # two unnamed cards of one company: ask
    assert again.outcome == "needs_review" and again.candidates == [shop.contact_id]


def test_a_sure_phone_or_the_same_name_at_a_held_company_finds_the_contact(session: Session) -> None:
    first = scan(session, "a", name="Ricardo Nogueira", phones=(MOBILE,), guesses=("phones",))
    second = scan(session, "b", name="Ricardo Nogueira", phones=(MOBILE,))
    assert second.outcome == "merged" and second.contact_id == first.contact_id
    third = scan(session, "c", name="Ivan Petrov", company="AUTOSOCORRO R. OLIVEIRA", guesses=("company",))
    fourth = scan(session, "d", name="Ivan Petrov", company="AUTOSOCORRO R OLIVEIRA", guesses=("company",))
    assert fourth.filed == "merged" and fourth.contact_id == third.contact_id
    contact = session.get(Contact, third.contact_id)
    assert contact is not None and contact.positions == []  # the held company opened no job


def test_accepting_one_photo_settles_the_other_and_a_rescan_says_so(session: Session) -> None:
    scan(session, "a", phones=(OFFICE, MOBILE), guesses=("phones",))
    scan(session, "b", phones=(OFFICE, MOBILE), guesses=("phones",))
    card_a, card_b = session.scalars(select(Card).order_by(Card.id)).all()
    assert accept(session, card_a) == ["phones"]
    session.flush()
    assert review_queue(session) == [] and card_b.fields["confirmed"] == ["phones"]
    assert session.scalars(select(HeldKey)).all() == []  # nothing held any more
    again = scan(session, "a", phones=(OFFICE, MOBILE), guesses=("phones",))
    assert (again.outcome, again.in_review, again.held) == ("unchanged", False, [])
    third = scan(session, "c", phones=(OFFICE, MOBILE), guesses=("phones",))  # a third photo: known already
    assert (third.outcome, third.in_review, third.held) == ("merged", False, [])


def test_accepting_a_held_company_on_one_photo_settles_it_on_the_other(session: Session) -> None:
    """The two real photos of the AUTOSOCORRO card, both holding its phones and company: after `review accept`
    of the first, the second stayed in the queue for the company the contact now had as its job."""
    guesses = ("phones", "company")
    scan(session, "a", phones=(MOBILE,), company="AUTOSOCORRO R. OLIVEIRA", guesses=guesses)
    scan(session, "b", phones=(MOBILE,), company="AUTOSOCORRO R OLIVEIRA", guesses=guesses)  # a dot OCR lost
    card_a, card_b = session.scalars(select(Card).order_by(Card.id)).all()
    assert card_b.contact_id == card_a.contact_id and card_b.to_review
    assert sorted(accept(session, card_a)) == ["company", "phones"]
    session.flush()
    assert review_queue(session) == [] and card_b.fields["confirmed"] == ["company", "phones"]
    third = scan(session, "c", phones=(MOBILE,), company="Autosocorro R. Oliveira", guesses=guesses)
    assert (third.outcome, third.in_review, third.held) == ("merged", False, [])


def test_a_contact_made_by_a_card_holding_fields_gets_its_follow_up_and_a_name_to_be_listed_by(
    session: Session,
) -> None:
    filing = Filing(met_at="Feira", follow_up=True, today=TODAY)
    nameless = scan(
        session, "a", phones=(OFFICE,), company="AUTOSOCORRO R. OLIVEIRA", guesses=("phones", "company"), filing=filing
    )
    doubtful = scan(
        session, "b", name="Altair Miranda", emails=("a@microvida.com.br",), guesses=("name",), filing=filing
    )
    sure = scan(session, "c", name="Renan Beato", phones=(MOBILE,), filing=filing)
    assert nameless.filed == "created" and sure.outcome == "created" and not sure.in_review
    assert doubtful.outcome == "created" and doubtful.in_review  # a doubtful name is filed, and waits in review
    found = {r.contact_id: r for r in upcoming(session, TODAY, 7)}
    assert {r.on for r in found.values()} == {date(2026, 12, 7)}
    assert (found[nameless.contact_id].name, found[nameless.contact_id].name_confirmed) == (
        "AUTOSOCORRO R. OLIVEIRA",
        False,
    )
    assert (found[doubtful.contact_id].name, found[doubtful.contact_id].name_confirmed) == ("Altair Miranda", False)
    assert (found[sure.contact_id].name, found[sure.contact_id].name_confirmed) == ("Renan Beato", True)
    card = session.scalars(select(Card).where(Card.contact_id == doubtful.contact_id)).one()
    accept(session, card)
    assert next(r for r in upcoming(session, TODAY, 7) if r.contact_id == doubtful.contact_id).name_confirmed


def test_mark_current_names_the_job_it_ended_and_a_typed_first_job_starts_on_a_day(session: Session) -> None:
    card = scan(session, "a", name="Диана Антонова")
    contact = session.get(Contact, card.contact_id)
    assert contact is not None
    edit_contact(session, contact, {"company": "ООО «Ладога»", "title": "Менеджер"})
    (job,) = contact.positions
    since = job.since.replace(tzinfo=UTC)
    assert since == datetime.combine(since.date(), datetime.min.time(), UTC)  # a day, as add_job's "today"
    add_job(session, contact, {"company": "АО «Профиль»", "title": "Арт-директор", "since": "2099-01-01"})
    old = sorted_jobs(contact.positions)[0]
    mark_current(session, contact, old)
    ended = [
        (c.field, c.old_value, c.new_value) for c in contact.changes if c.new_value and c.new_value.startswith("ended")
    ]
    # The first row: the typed job's start ended the old one; the last: mark_current ended the typed one.
    assert ended == [
        ("position", "Менеджер @ ООО «Ладога»", "ended 2099-01-01"),
        ("position", "Арт-директор @ АО «Профиль»", "ended 2099-01-01"),
    ]


def test_a_question_answered_someone_else_gives_the_new_contact_its_follow_up_and_meeting(session: Session) -> None:
    """`review apart` makes a new contact, which gets what a new contact filed at once gets: the follow-up on the
    next working day after the scan, and where you met; `review merge` files the meeting as met again."""
    from pipeline.book.editing import resolve_review

    fair = Filing(met_at="Feira do Comércio", follow_up=True, today=TODAY)
    known = scan(session, "a", name="Ricardo Nogueira", company="Nog Design", phones=(OFFICE,))
    asked = scan(session, "b", name="Ricardo Nogueira", company="Auto Socorro", phones=(MOBILE,), filing=fair)
    other = scan(session, "c", name="Ricardo Nogueira", company="Padaria Estrela", phones=("+5511911112222",),
                 filing=fair)
    assert asked.outcome == other.outcome == "needs_review" and asked.candidates == [known.contact_id]
    card = session.scalars(select(Card).where(Card.sha256 == "b" * 64)).one()
    new = resolve_review(session, card, None)
    assert (new.follow_up, new.met_at, new.met_on) == (date(2026, 12, 7), "Feira do Comércio", TODAY)
    assert [(r.kind, r.contact_id) for r in upcoming(session, TODAY, 7) if r.kind == "follow-up"] == [
        ("follow-up", new.id)]
    merged = session.scalars(select(Card).where(Card.sha256 == "c" * 64)).one()
    contact = session.get(Contact, known.contact_id)
    assert contact is not None and resolve_review(session, merged, contact) is contact
    assert contact.follow_up is None and contact.met_at == "Feira do Comércio"  # not new: no follow-up
