"""The contact database: SQLAlchemy 2.0 typed models; schema changes go through Alembic."""

from .base import Base
from .card import Card
from .contact import Contact, Email, Phone, Website

__all__ = ["Base", "Card", "Contact", "Email", "Phone", "Website"]
