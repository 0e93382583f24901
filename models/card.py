"""One scanned card: where it came from, what OCR read, what was extracted, and the crop itself."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from models.base import Base, utcnow

if TYPE_CHECKING:
    from models.contact import Contact


class Card(Base):
    __tablename__ = "card"
    # One file can hold several cards (a flatbed page); the pair identifies one card for good.
    __table_args__ = (UniqueConstraint("sha256", "card_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None while the card waits in `cardscan review` for the user to say whose it is.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    source_path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    card_index: Mapped[int] = mapped_column(Integer, default=0)
    page: Mapped[int] = mapped_column(Integer, default=0)
    bbox: Mapped[list[float] | None] = mapped_column(JSON)
    ocr_text: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The flattened card as JPEG, kept in the database so that deleting the contact deletes it too.
    crop: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    review: Mapped[str | None] = mapped_column(String(20), index=True)  # "pending" while ambiguous
    # In the review queue (pipeline.book.review.mark): waiting for a same-person answer, or a field to check.
    to_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    # The OCR lines as the review page draws them (core.types.ReadLine): text, confidence, box on `crop`
    # (left, top, width, height in its pixels) and the fields each became. None: filed before they were kept.
    lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Another photo of a card that waits on a same-person question: the card that asks it. The question is asked
    # once, with every photo as evidence, and its answer files them all (pipeline.book.editing.resolve_review).
    waits_on_id: Mapped[int | None] = mapped_column(ForeignKey("card.id", ondelete="SET NULL"), index=True)
    scanned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the photo was taken (EXIF): dates the job on the card, whatever order the cards are scanned in.
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    contact: Mapped[Contact | None] = relationship(back_populates="cards")
    candidates: Mapped[list[ReviewCandidate]] = relationship(back_populates="card", cascade="all, delete-orphan",
                                                             order_by="ReviewCandidate.score.desc()")
    held_keys: Mapped[list[HeldKey]] = relationship(back_populates="card", cascade="all, delete-orphan")
    waits_on: Mapped[Card | None] = relationship(remote_side="Card.id", back_populates="photos")
    photos: Mapped[list[Card]] = relationship(back_populates="waits_on", order_by="Card.id")


class ReviewCandidate(Base):
    """A contact an ambiguous card may belong to, with the dedupe score that made it a candidate."""

    __tablename__ = "review_candidate"

    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(200), default="")

    card: Mapped[Card] = relationship(back_populates="candidates")
    contact: Mapped[Contact] = relationship()


class HeldKey(Base):
    """A phone, e-mail or company a card holds for review (pipeline.book.review): not in its contact, so never
    exported or synced, but evidence that another card showing it is the same person's. Indexed here because the
    card's JSON, where the reading lives, is indexed alike by no two databases. Kept while the field is held."""

    __tablename__ = "held_key"

    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # phone | email | org
    # E.164, the address, or the organisation's key (namekeys.organization_key: no legal form, Latin letters)
    value: Mapped[str] = mapped_column(String(320), primary_key=True, index=True)

    card: Mapped[Card] = relationship(back_populates="held_keys")
