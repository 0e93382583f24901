"""E-mail addresses: OCR repairs first, then `email-validator` decides and normalises.

email-validator implements the RFC syntax and IDN rules (and normalises the domain)
correctly; a hand-written regex would accept or reject the wrong edge cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from pipeline.core.types import OcrLine
from pipeline.extract.lexicon import entries
from pipeline.extract.repairs import repair, restore_dot, snap_to_known
from pipeline.extract.text import count_scripts

MIN_MAIL_STEM = 5  # 'gmail', 'yahoo': shorter service names ('bk', 'ya') are one slip from too much
CANDIDATE = re.compile(r"[\w.+'-]+@[^\W_][\w-]*(?:\.[^\W_][^\W_-]*(?:-[^\W_]+)*)*", re.UNICODE)


HYPHEN_FOR_DOT = re.compile(r"(?<=\.(?:com|net|org|gov|edu))-([a-z]{2})$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundEmail:
    address: str
    line: int
    confidence: float


def fix_domain(candidate: str, known: set[str]) -> str:
    """The domain made whole: a lost dot put back, a slip snapped to a domain the card prints or to a
    mail service ('admail.com' is gmail.com: nobody's business is one letter off Gmail)."""
    local, _, domain = candidate.rpartition("@")
    domain = HYPHEN_FOR_DOT.sub(r".\1", domain)  # 'bol.com-br': the dot of a two-part TLD read as a hyphen
    domain = restore_dot(domain, known | set(entries("mail_hosts")))
    domain = snap_to_known(domain.lower(), known)
    return f"{local}@{domain if domain in known else snap_mail_host(domain)}"


def snap_mail_host(domain: str) -> str:
    """A domain with the TLD of a mail service and a name one slip from it (two in a longer name)."""
    hosts = entries("mail_hosts")
    if domain in hosts or "." not in domain:
        return domain
    stem, _, tld = domain.rpartition(".")
    close = [h for h in hosts if h.endswith("." + tld) and len(h.rpartition(".")[0]) >= MIN_MAIL_STEM
             and Levenshtein.distance(stem, h.rpartition(".")[0]) <= (1 if len(stem) < 6 else 2)]
    return close[0] if len(close) == 1 else domain


def normalise(candidate: str) -> str | None:
    """The normalised address, or None when it is not a valid one."""
    candidate = candidate.strip(".,;:'\"()[]<>«»")
    # '-edward72@' after 'Tel. 215.416.1368 ·': a separator glued to the mailbox; a leading '-', '.'
    # or '_' is legal but no one's address starts so.
    candidate = candidate.lstrip("-._")
    if all(count_scripts(candidate)):
        return None  # Latin and Cyrillic in one address: a misreading, not an address
    # Imported here: its RFC and IDN tables cost ~0.04 CPU s, which a card without an address need not pay.
    from email_validator import EmailNotValidError, validate_email

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
