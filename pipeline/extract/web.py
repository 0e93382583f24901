"""Websites and social profiles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz.distance import Levenshtein

from pipeline.core.types import OcrLine
from pipeline.extract.lexicon import entries, fold, pairs
from pipeline.extract.repairs import repair, restore_dot
from pipeline.extract.text import latinise

SHORT_LABEL = 2  # letters: a site name this short right after a word is the tail of a longer one split by OCR
FRAGMENT = 0.3  # confidence factor of such a tail ('collect ve.com' of 'cargocollective.com'): a person checks it
MIN_SNAP_HOST = 10  # characters: 'linkedin.com', 'instagram.com'; short hosts ('vk.com') are too near others
URLISH = re.compile(
    r"(?<![@\w.])((?:https?://)?(?:www\.)?[a-z0-9а-я](?:[a-z0-9а-я-]*[a-z0-9а-я])?"
    r"(?:\.[a-z0-9а-я](?:[a-z0-9а-я-]*[a-z0-9а-я])?)+(?:/[^\s,;]*)?"
    r"|(?:https?://|www\.)[a-z0-9-]{4,}(?:/[^\s,;]*)?)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundLink:
    url: str
    social: bool
    line: int
    confidence: float


def normalise_url(raw: str) -> str | None:
    """`https://host/path` with the host lower-cased and `www.` dropped; None if it is no URL."""
    raw = raw.strip(".,;:'\"()[]<>«»")
    if not re.match(r"https?://", raw, re.IGNORECASE):
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = fold(parts.hostname or "").removeprefix("www.").replace("-.", ".")
    if host.startswith("www") and "." in host[3:]:
        host = host[3:]  # 'wwwsite.com': the dot after www was lost
    if "." not in host and re.match(r"(?:https?://)?www\.|https?://", raw, re.IGNORECASE):
        host = restore_dot(host)  # written as a URL, so a dot must be there
    if not host.isascii():
        host = host if _cyrillic_tld(host) else latinise(host)
    if "." not in host or not _known_tld(host, raw):
        return None
    host = _snap_social(host)
    path = parts.path.rstrip("/")
    return f"https://{host}{path}"


def _snap_social(host: str) -> str:
    """'inkedin.com', 'minkedin.com': a long social host one slip off is that host (its profile path
    follows), never a company's site of its own."""
    if social_network(host) or len(host) < MIN_SNAP_HOST:
        return host
    close = [h for h in entries("social_hosts") if len(h) >= MIN_SNAP_HOST and Levenshtein.distance(host, h) == 1]
    return close[0] if len(close) == 1 else host


def _cyrillic_tld(host: str) -> bool:
    return host.endswith(".рф")


def _known_tld(host: str, raw: str) -> bool:
    """A bare `word.word` is only a site when its TLD is a known one or it was written as a URL."""
    explicit = raw.lower().startswith(("https://www.", "http://www.")) or ("://" in raw[:8] and "www." in raw)
    tlds = entries("tlds")
    return explicit or any(host.endswith("." + tld) for tld in tlds)


def is_social(url: str) -> bool:
    return social_network(url) is not None


def social_network(url: str) -> str | None:
    """The social host a profile URL is on ('t.me', 'linkedin.com'), or None for any other site."""
    host = (urlsplit(url if "://" in url else "https://" + url).hostname or "").removeprefix("www.")
    return next((h for h in entries("social_hosts") if host == h or host.endswith("." + h)), None)


def find_links(lines: list[OcrLine]) -> list[FoundLink]:
    found: dict[str, FoundLink] = {}
    for index, line in enumerate(lines):
        # Drop e-mail addresses first: their domain is not a website of its own.
        text = re.sub(r"\S+@\S+", " ", repair(line.text))
        for match in URLISH.finditer(text):
            url = normalise_url(match.group(1))
            if url and url not in found:
                tail = _split_tail(url, text[:match.start(1)])
                found[url] = FoundLink(url, is_social(url), index, line.conf * (FRAGMENT if tail else 1.0))
    return [link for link in found.values() if not _is_fragment(link.url, found)]


def _split_tail(url: str, before: str) -> bool:
    """A site whose name is one or two letters, printed right after a word without a scheme or www: more likely
    the end of a longer name OCR broke at a space than a site of its own."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    name = host.split(".")[0]
    word = before.rstrip().rsplit(None, 1)[-1] if before.strip() else ""
    return (len(name) <= SHORT_LABEL and before.endswith(" ") and word.isalpha() and not is_social(url)
            and not before.rstrip().lower().endswith(("www", "http", "https")))


def _is_fragment(url: str, found: dict[str, FoundLink]) -> bool:
    """'dynamics.com' read from a broken line beside the whole 'kestrel-dynamics.com'."""
    host = urlsplit(url).hostname or ""
    others = (urlsplit(u).hostname or "" for u in found if u != url)
    return any(o.endswith(("-" + host, "." + host)) and not is_social(url) for o in others)


# The label and the handle are joined by a colon or an at-sign: 'Inst for Technology' is no profile.
HANDLE = re.compile(r"(?<![\w@.])([^\W\d_]+)\s*(?::\s*@?|@)([A-Za-z0-9_][A-Za-z0-9_.]{2,31})(?![\w@])")


def find_handles(lines: list[OcrLine], taken: set[int]) -> list[FoundLink]:
    """Profiles printed as a network's name and a handle ('Telegram: @ivan_p'), not as a URL."""
    labels = pairs("social_labels")
    found: dict[str, FoundLink] = {}
    for index, line in enumerate(lines):
        if index in taken:
            continue
        for label, handle in HANDLE.findall(line.text):
            prefix = labels.get(fold(label))
            if prefix and not handle.isdigit():
                url = prefix + handle.rstrip(".")
                found.setdefault(url, FoundLink(url, True, index, line.conf))
    return list(found.values())
