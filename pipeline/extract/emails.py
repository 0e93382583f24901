"""E-mail addresses: OCR repairs first, then `email-validator` decides and normalises.

email-validator implements the RFC syntax and IDN rules (and normalises the domain)
correctly; a hand-written regex would accept or reject the wrong edge cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from ..types import OcrLine
from .text import latinise

AT_VARIANTS = re.compile(r"\s*(?:©|®|\(at\)|\[at\]|\{at\}|\s+at\s+)\s*", re.IGNORECASE)
SPACED_AT = re.compile(r"(?<=\w)\s*@\s*(?=\w)")
SPACED_DOT = re.compile(r"(?<=\w)\s+\.\s*(?=[a-zA-Z])|(?<=\w)\.\s+(?=[a-zA-Z]{2,}\b)")
CANDIDATE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
LABEL = re.compile(r"^(?:e-?mail|е-?мейл|эл\.?\s*почта|почта|mail)\s*[:.]?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class FoundEmail:
    address: str
    line: int
    confidence: float


def repair(text: str) -> str:
    """Fix the usual OCR damage around an address: lookalike '@', spaces, Cyrillic lookalikes."""
    text = LABEL.sub("", text.strip())
    text = AT_VARIANTS.sub("@", text) if "@" not in text else text
    text = SPACED_AT.sub("@", text)
    if "@" in text:
        text = SPACED_DOT.sub(".", text)
    return " ".join(latinise(tok) if "@" in tok else tok for tok in text.split())


def normalise(candidate: str) -> str | None:
    """The normalised address, or None when it is not a valid one."""
    candidate = candidate.strip(".,;:'\"()[]<>«»")
    try:
        info = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        return None
    return info.normalized.lower()


def find_emails(lines: list[OcrLine]) -> list[FoundEmail]:
    found: dict[str, FoundEmail] = {}
    for index, line in enumerate(lines):
        for candidate in CANDIDATE.findall(repair(line.text)):
            address = normalise(candidate)
            if address and address not in found:
                found[address] = FoundEmail(address, index, line.conf)
    return list(found.values())
