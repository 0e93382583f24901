"""Data types shared by the content, layout and label modules."""

from __future__ import annotations

from dataclasses import dataclass, field

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Item:
    """One printed piece of text.

    ``segments`` joined by ``joiner`` give ``text``; a layout may break the item into several
    lines only between segments, which keeps the label (lines joined the same way) exact.
    """

    key: int
    role: str
    segments: tuple[str, ...]
    joiner: str = " "

    @property
    def text(self) -> str:
        return self.joiner.join(self.segments)


@dataclass(frozen=True)
class Phone:
    number: str
    type: str
    extension: str | None
    raw: str


@dataclass
class CardContent:
    language: str
    country: str
    name: Item
    name_parts: dict[str, str | None]
    aliases: list[Item] = field(default_factory=list)
    title: Item | None = None
    title_en: Item | None = None
    department: Item | None = None
    company: Item | None = None
    slogan: Item | None = None
    phones: list[tuple[Item, Phone]] = field(default_factory=list)
    emails: list[tuple[Item, str]] = field(default_factory=list)
    websites: list[tuple[Item, str]] = field(default_factory=list)
    socials: list[tuple[Item, str]] = field(default_factory=list)
    address: Item | None = None
    extras: list[Item] = field(default_factory=list)
    logo_text: str = ""
    culture: str | None = None  # cardgen.world cards: the person's culture (ja, zh, vi, ...)

    def contact_items(self) -> list[Item]:
        """Phones, e-mails, websites, social links in the order a card usually lists them."""
        items = [i for i, _ in self.phones] + [i for i, _ in self.emails]
        return items + [i for i, _ in self.websites] + [i for i, _ in self.socials]

    def all_items(self) -> list[Item]:
        out: list[Item | None] = [self.name, *self.aliases, self.title, self.title_en, self.department]
        out += [self.company, self.slogan, *self.contact_items(), self.address, *self.extras]
        return [i for i in out if i is not None]
