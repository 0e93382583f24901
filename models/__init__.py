"""The contact database: SQLAlchemy 2.0 typed models; schema changes go through Alembic."""

from .base import Base
from .card import Card, ReviewCandidate
from .contact import Address, Alias, Contact, Email, NameKey, Phone, Social, Website
from .history import Change
from .organization import Organization, Position
from .sync import SyncState

__all__ = [
    "Address", "Alias", "Base", "Card", "Change", "Contact", "Email", "NameKey", "Organization", "Phone",
    "Position", "ReviewCandidate", "Social", "SyncState", "Website",
]
