"""The contact database: SQLAlchemy 2.0 typed models; schema changes go through Alembic."""

from models.base import Base
from models.card import Card, HeldKey, ReviewCandidate
from models.contact import Address, Alias, Contact, Email, NameKey, Phone, Social, Website
from models.history import Change
from models.organization import Organization, Position
from models.queue import QueueJob
from models.sync import SyncState

__all__ = [
    "Address", "Alias", "Base", "Card", "Change", "Contact", "Email", "HeldKey", "NameKey", "Organization", "Phone",
    "Position", "QueueJob", "ReviewCandidate", "Social", "SyncState", "Website",
]
