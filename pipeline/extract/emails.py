"""E-mail addresses: OCR repairs first, then `email-validator` decides and normalises.

email-validator implements the RFC syntax and IDN rules (and normalises the domain)
correctly; a hand-written regex would accept or reject the wrong edge cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from ..types import OcrLine
from .lexicon import entries
from .repairs import repair, restore_dot, snap_to_known
from .text import count_scripts

CANDIDATE = re.compile(r"[\w.+'-]+@[^\W_][\w-]*(?:\.[^\W_][^\W_-]*(?:-[^\W_]+)*)*", re.UNICODE)


@dataclass(frozen=True)
class FoundEmail:
    address: str
    line: int
    confidence: float


def fix_domain(candidate: str, known: set[str]) -> str:
    """The domain made whole: a lost dot put back, a slip snapped to a domain the card prints."""
    local, _, domain = candidate.rpartition("@")
    domain = restore_dot(domain, known | set(entries("mail_hosts")))
    return f"{local}@{snap_to_known(domain.lower(), known)}"


def normalise(candidate: str) -> str | None:
    """The normalised address, or None when it is not a valid one."""
    candidate = candidate.strip(".,;:'\"()[]<>«»")
    if all(count_scripts(candidate)):
        return None  # Latin and Cyrillic in one address: a misreading, not an address
    try:
        info = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        return None
    return info.normalized.lower()


def find_emails(lines: list[OcrLine], known_domains: set[str] | None = None) -> list[FoundEmail]:
    """Addresses on the card; `known_domains` (the card's websites) help repair damaged ones."""
    found: dict[str, FoundEmail] = {}
    for index, line in enumerate(lines):
        for candidate in CANDIDATE.findall(repair(line.text)):
            address = normalise(fix_domain(candidate, known_domains or set()))
            if address and address not in found:
                found[address] = FoundEmail(address, index, line.conf)
    return list(found.values())
