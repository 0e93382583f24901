"""A person in the contact database, with the phones and e-mails that identify them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .card import Card


class Contact(Base):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(300))
    given_name: Mapped[str | None] = mapped_column(String(120))
    middle_name: Mapped[str | None] = mapped_column(String(120))
    family_name: Mapped[str | None] = mapped_column(String(120))
    prefix: Mapped[str | None] = mapped_column(String(40))
    suffix: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(300))
    department: Mapped[str | None] = mapped_column(String(300))
    company: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    phones: Mapped[list[Phone]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    emails: Mapped[list[Email]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    websites: Mapped[list[Website]] = relationship(back_populates="contact", cascade="all, delete-orphan")
    cards: Mapped[list[Card]] = relationship(back_populates="contact", cascade="all, delete-orphan")


class Phone(Base):
    __tablename__ = "phone"
    __table_args__ = (UniqueConstraint("contact_id", "e164"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    e164: Mapped[str] = mapped_column(String(20), index=True)
    extension: Mapped[str | None] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(10), default="other")
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id", ondelete="SET NULL"))

    contact: Mapped[Contact] = relationship(back_populates="phones")
    card: Mapped[Card | None] = relationship()


class Email(Base):
    __tablename__ = "email"
    __table_args__ = (UniqueConstraint("contact_id", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(320), index=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id", ondelete="SET NULL"))

    contact: Mapped[Contact] = relationship(back_populates="emails")
    card: Mapped[Card | None] = relationship()


class Website(Base):
    __tablename__ = "website"
    __table_args__ = (UniqueConstraint("contact_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id", ondelete="SET NULL"))

    contact: Mapped[Contact] = relationship(back_populates="websites")
    card: Mapped[Card | None] = relationship()
