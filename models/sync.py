"""What `cardscan sync carddav` last pushed for each contact, so the next sync sends only what changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class SyncState(Base):
    """One contact's vCard on one address book. Holds no personal data: the href is made of the UID.
    A deleted contact leaves its row with contact_id None, so the next sync deletes the server copy."""

    __tablename__ = "sync_state"
    __table_args__ = (UniqueConstraint("collection", "href"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"), index=True)
    collection: Mapped[str] = mapped_column(String(1000))  # the address book URL, without credentials
    href: Mapped[str] = mapped_column(String(1000))  # the vCard's URL path on the server
    etag: Mapped[str | None] = mapped_column(String(200))
    vcard_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the vCard pushed, REV left out
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
