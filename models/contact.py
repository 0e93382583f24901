"""A person in the contact database, with what identifies them and what a networker keeps about them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow

if TYPE_CHECKING:
    from models.card import Card
    from models.history import Change
    from models.organization import Position

# Fields a person can set by hand (`cardscan contacts edit`); a scan never changes one that was.
NAME_FIELDS = ("display_name", "given_name", "middle_name", "family_name", "prefix", "suffix")


class Contact(Base):
    __tablename__ = "contact"
    # AUTOINCREMENT: SQLite would otherwise hand a deleted contact's id to the next one, so an id printed
    # yesterday could name someone else today (PostgreSQL sequences never go back anyway).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(300))
    given_name: Mapped[str | None] = mapped_column(String(120))
    middle_name: Mapped[str | None] = mapped_column(String(120))  # patronymic or middle name
    family_name: Mapped[str | None] = mapped_column(String(120))
    prefix: Mapped[str | None] = mapped_column(String(40))
    suffix: Mapped[str | None] = mapped_column(String(40))
    birthday: Mapped[date | None] = mapped_column(Date)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    met_at: Mapped[str | None] = mapped_column(String(300))  # the event or place
    met_on: Mapped[date | None] = mapped_column(Date)
    follow_up: Mapped[date | None] = mapped_column(Date, index=True)
    preferred_phone: Mapped[str | None] = mapped_column(String(20))  # an E.164 number of this contact
    # Personal facts a networker keeps (the advice: even family status): free text, tags, and key/value facts.
    family_status: Mapped[str | None] = mapped_column(String(100))
    spouse: Mapped[str | None] = mapped_column(String(200))
    children: Mapped[list[str]] = mapped_column(JSON, default=list)
    hobbies: Mapped[list[str]] = mapped_column(JSON, default=list)  # personal; `interests` are professional
    facts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Who introduced you: a link between two contacts, kept when the introducer is deleted (as no one).
    introduced_by_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    edited_fields: Mapped[list[str]] = mapped_column(JSON, default=list)  # set by hand: scans leave them alone
    # Everything `contacts search` looks in, case-folded in Python (SQLite's lower() folds ASCII only) and with
    # Cyrillic also transliterated; kept up to date by pipeline.book.search.refresh_search_text.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    phones: Mapped[list[Phone]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    emails: Mapped[list[Email]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    websites: Mapped[list[Website]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    addresses: Mapped[list[Address]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    socials: Mapped[list[Social]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    aliases: Mapped[list[Alias]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    name_keys: Mapped[list[NameKey]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    positions: Mapped[list[Position]] = relationship(back_populates="contact", cascade="all, delete-orphan",
                                                     order_by="Position.id")
    cards: Mapped[list[Card]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    changes: Mapped[list[Change]] = relationship(back_populates="contact", cascade="all, delete-orphan",
                                                 order_by="Change.id")
    introduced_by: Mapped[Contact | None] = relationship(remote_side="Contact.id", foreign_keys=[introduced_by_id])

    def is_hand_edited(self, field: str) -> bool:
        return field in (self.edited_fields or [])

    @property
    def current_positions(self) -> list[Position]:
        return [p for p in self.positions if p.until is None]


class _Item:
    """Columns every contact item shares: its contact, and the card it came from (None: entered by hand)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id", ondelete="SET NULL"))


class Phone(_Item, Base):
    __tablename__ = "phone"
    __table_args__ = (UniqueConstraint("contact_id", "e164"),)

    e164: Mapped[str] = mapped_column(String(20), index=True)
    extension: Mapped[str | None] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(10), default="other")

    contact: Mapped[Contact] = relationship(back_populates="phones")
    card: Mapped[Card | None] = relationship()


class Email(_Item, Base):
    __tablename__ = "email"
    __table_args__ = (UniqueConstraint("contact_id", "address"),)

    address: Mapped[str] = mapped_column(String(320), index=True)

    contact: Mapped[Contact] = relationship(back_populates="emails")
    card: Mapped[Card | None] = relationship()


class Website(_Item, Base):
    __tablename__ = "website"
    __table_args__ = (UniqueConstraint("contact_id", "url"),)

    url: Mapped[str] = mapped_column(String(500))

    contact: Mapped[Contact] = relationship(back_populates="websites")
    card: Mapped[Card | None] = relationship()


class Address(_Item, Base):
    __tablename__ = "address"

    text: Mapped[str] = mapped_column(String(500))

    contact: Mapped[Contact] = relationship(back_populates="addresses")
    card: Mapped[Card | None] = relationship()


class Social(_Item, Base):
    __tablename__ = "social"
    __table_args__ = (UniqueConstraint("contact_id", "url"),)

    url: Mapped[str] = mapped_column(String(500))  # a profile URL or handle as printed
    network: Mapped[str | None] = mapped_column(String(40))

    contact: Mapped[Contact] = relationship(back_populates="socials")
    card: Mapped[Card | None] = relationship()


class Alias(_Item, Base):
    """Another spelling of the contact's name: the Latin form of a Russian name, a nickname, a maiden name."""

    __tablename__ = "alias"
    __table_args__ = (UniqueConstraint("contact_id", "name"),)

    name: Mapped[str] = mapped_column(String(300))

    contact: Mapped[Contact] = relationship(back_populates="aliases")
    card: Mapped[Card | None] = relationship()


class NameKey(Base):
    """Spelling-independent keys of a contact's name words (see pipeline.extract.namekeys): the index that fuzzy
    dedupe looks candidates up in, so a card is compared with a handful of contacts, not the whole table."""

    __tablename__ = "name_key"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)

    contact: Mapped[Contact] = relationship(back_populates="name_keys")
