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
from .text import latinise
from .web import restore_dot, snap_to_known

AT_VARIANTS = re.compile(r"\s*(?:©|®|\(at\)|\[at\]|\{at\}|\s+at\s+)\s*", re.IGNORECASE)
SPACED_AT = re.compile(r"(?<=\w)\s*@\s*(?=\w)")
SPACED_DOT = re.compile(r"(?<=\w)\s+\.\s*(?=[a-zA-Z])|(?<=\w)\.\s+(?=[a-zA-Z]{2,}\b)")
CANDIDATE = re.compile(r"[\w.+'-]+@[^\W_][\w-]*(?:\.[^\W_][^\W_-]*(?:-[^\W_]+)*)*", re.UNICODE)
LABEL = re.compile(r"^(?:e-?mail|е-?мейл|эл\.?\s*почта|почта|mail|[eе])(?=[:\s])\s*:?\s*", re.IGNORECASE)
# 'douglas.ya mamoto@...', 'jason_ sinclair@...': a space OCR put inside a local part that
# already shows it is one (a dot, an underscore or a digit in the first piece).
SPLIT_LOCAL = re.compile(r"(?<![\w.])((?=[a-z0-9._]*[a-z])[a-z0-9]*[._0-9][a-z0-9._]*) ([a-z0-9._-]+@)")
GLUED_URL = re.compile(r"(?<=\S)(?=https?://|www\.)", re.IGNORECASE)
# 'https://westbroo k-legal.com', 'summit-ridge- advisors.com': a web address OCR broke in two.
SPLIT_URL = re.compile(r"((?:https?://|www\.)[a-z0-9-]+|[a-z0-9]+-)\s+([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.IGNORECASE)
BAD_WWW = re.compile(r"\bw{3,4}[-,]?\.", re.IGNORECASE)
RULE_FOR_L = str.maketrans({"|": "l", "\\": "l", "!": "l"})
# A rule glyph right after an 'l' is that same stroke read twice ('nl\@'), not a second 'l'.
DOUBLED_L = re.compile(r"(?<=l)[|\\!](?=@)")


@dataclass(frozen=True)
class FoundEmail:
    address: str
    line: int
    confidence: float


def repair(text: str) -> str:
    """Fix the usual OCR damage around an address: lookalike '@', spaces, Cyrillic lookalikes."""
    text = LABEL.sub("", GLUED_URL.sub(" ", BAD_WWW.sub("www.", text.strip())))
    text = SPLIT_URL.sub(r"\1\2", text)
    text = AT_VARIANTS.sub("@", text) if "@" not in text else text
    text = SPACED_AT.sub("@", text)
    if "@" in text:
        text = SPACED_DOT.sub(".", text)
    text = " ".join(DOUBLED_L.sub("", latinise(tok)).translate(RULE_FOR_L) if "@" in tok else tok
                    for tok in text.split())
    return SPLIT_LOCAL.sub(r"\1\2", text)


def fix_domain(candidate: str, known: set[str]) -> str:
    local, _, domain = candidate.rpartition("@")
    domain = restore_dot(domain, known | set(entries("mail_hosts")))
    return f"{local}@{snap_to_known(domain.lower(), known)}"


def normalise(candidate: str) -> str | None:
    """The normalised address, or None when it is not a valid one."""
    candidate = candidate.strip(".,;:'\"()[]<>«»")
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
