"""Repairs of OCR damage to e-mail and web addresses, shared by both finders.

An address is Latin by nature and has a fixed shape, so its typical damage can be undone:
a '©' for '@', spaces inside, a lost dot, Cyrillic look-alikes, a line broken in two.
"""

from __future__ import annotations

import re

from pipeline.extract.lexicon import entries
from pipeline.extract.text import latinise

AT_VARIANTS = re.compile(r"\s*(?:©|®|\(at\)|\[at\]|\{at\}|\s+at\s+)\s*", re.IGNORECASE)
SPACED_AT = re.compile(r"(?<=\w)\s*@\s*(?=\w)")
SPACED_DOT = re.compile(r"(?<=\w)\s+\.\s*(?=[a-zA-Z])|(?<=\w)\.\s+(?=[a-zA-Z]{2,}\b)")
# Not before an '@': in 'mail @alfastroy.ru' the word is the mailbox, a space OCR put before the '@'.
LABEL = re.compile(r"^(?:e-?mail|е-?мейл|эл\.?\s*почта|почта|mail|[eе])(?=[:\s])(?!\s*@)\s*:?\s*", re.IGNORECASE)
# 'douglas.ya mamoto@...', 'jason_ sinclair@...': a space OCR put inside a local part that
# already shows it is one (a dot, an underscore or a digit in the first piece).
SPLIT_LOCAL = re.compile(r"(?<![\w.@])((?=[a-z0-9._]*[a-z])[a-z0-9]*[._0-9][a-z0-9._]*) ([a-z0-9._-]+@)")
# 'megan _kendrick@...': the space OCR put before an underscore or dot that joins two words of a mailbox.
SPACE_BEFORE_JOIN = re.compile(r"(?<![\w.@])([a-z0-9]+) ([._][a-z0-9._-]*@)")
# 'beatricej]@...': a bracket or brace beside the '@' is a stray mark; no address has one there.
BRACKET_AT = re.compile(r"[\[\]{}()<>]+(?=@)|(?<=@)[\[\]{}()<>]+")
GLUED_URL = re.compile(r"(?<=\S)(?=https?://|www\.)", re.IGNORECASE)
# 'https://westbroo k-legal.com', 'summit-ridge- advisors.com': a web address OCR broke in two.
SPLIT_URL = re.compile(r"((?:https?://|www\.)[a-z0-9-]+|[a-z0-9]+-)\s+([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.IGNORECASE)
# 'ivan@profil.ru-sales@profil.ru': two addresses OCR ran together.
GLUED_ADDRESSES = re.compile(r"(@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6})[-_,;]?(?=[a-z0-9._-]+@)", re.IGNORECASE)
BAD_WWW = re.compile(r"\bw{3,4}[-,]?\.", re.IGNORECASE)
RULE_FOR_L = str.maketrans({"|": "l", "\\": "l", "!": "l"})
# A rule glyph right after an 'l' is that same stroke read twice ('nl\@'), not a second 'l'.
DOUBLED_L = re.compile(r"(?<=l)[|\\!](?=@)")


def repair(text: str) -> str:
    """Fix the usual OCR damage around an address: lookalike '@', spaces, Cyrillic lookalikes."""
    # Not inside an e-mail address: 'a@awww.ru' holds no web address.
    text = " ".join(t if "@" in t else GLUED_URL.sub(" ", t) for t in BAD_WWW.sub("www.", text.strip()).split(" "))
    text = LABEL.sub("", text)
    text = SPLIT_URL.sub(r"\1\2", text)
    text = AT_VARIANTS.sub("@", text) if "@" not in text else text
    if text.count("@") > 1:
        text = GLUED_ADDRESSES.sub(r"\1 ", text)
    text = SPACED_AT.sub("@", BRACKET_AT.sub("", text))
    if "@" in text:
        text = SPACED_DOT.sub(".", text)
    text = " ".join(DOUBLED_L.sub("", latinise(tok)).translate(RULE_FOR_L) if "@" in tok else tok
                    for tok in text.split())
    return SPACE_BEFORE_JOIN.sub(r"\1\2", SPLIT_LOCAL.sub(r"\1\2", text))


def snap_to_known(domain: str, known: set[str] | frozenset[str]) -> str:
    """A domain one OCR slip away from a domain printed elsewhere on the card ('severstaikomplekt.ru'
    beside the website 'severstalkomplekt.ru') is that domain: two fields agree on it."""
    from difflib import SequenceMatcher

    for host in known:
        if host != domain and len(host) == len(domain) and SequenceMatcher(None, host, domain).ratio() >= 0.9:
            return host
    return domain


def restore_dot(domain: str, known: set[str] | frozenset[str] = frozenset()) -> str:
    """Put back the dot OCR lost or misread in a domain ('mailru', 'medicaLcom'): a known
    domain with the same letters, else before the top-level domain the letters end with."""
    low = domain.lower().strip(".,;:")
    if "." in low:
        return domain
    for host in sorted(known):
        if host.replace(".", "") == low:
            return host
    for tld in sorted(entries("tlds"), key=len, reverse=True):
        stem = low.removesuffix(tld.replace(".", ""))
        if stem != low and len(stem) >= 2:
            return f"{stem}.{tld}"
    return domain
