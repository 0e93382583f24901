"""Organisations and the positions people hold in them, kept as history when they change jobs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow

if TYPE_CHECKING:
    from models.card import Card
    from models.contact import Contact


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # The name without legal form, quotes or case, in Latin letters: «Ромашка» ООО and Romashka LLC meet here.
    match_key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    positions: Mapped[list[Position]] = relationship(back_populates="organization")


class Position(Base):
    """A contact's job: open while `until` is None. Jobs are ordered by `since` (the date of the card that
    showed them); each ends where the next begins, so the latest is the current one whatever the scan order."""

    __tablename__ = "position"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"),
                                                        index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    # The same job as printed in the other language (the English side of a Russian card): kept, searched, exported.
    alt_title: Mapped[str | None] = mapped_column(String(300))
    alt_company: Mapped[str | None] = mapped_column(String(300))
    department: Mapped[str | None] = mapped_column(String(300))
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    # `until` set by hand (`contacts job edit --until`): the person left; otherwise the next job's start closes it.
    ended_by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id", ondelete="SET NULL"))

    contact: Mapped[Contact] = relationship(back_populates="positions")
    organization: Mapped[Organization | None] = relationship(back_populates="positions", lazy="joined")
    card: Mapped[Card | None] = relationship()

    @property
    def company(self) -> str | None:
        return self.organization.name if self.organization else None
