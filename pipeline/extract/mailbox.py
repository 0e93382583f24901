"""Mailboxes put right against the person's name on the card.

Kept apart from emails.py on purpose: the re-reading of address lines (reread.py) uses the finder there,
so `cardscan eval --ocr-cache` keys its cache on that file; these repairs run only after the name is known.
"""

from __future__ import annotations

import re

from pipeline.extract.lexicon import fold
from pipeline.extract.translit import to_latin

# Letters OCR swaps inside a mailbox: an 'l' read as 'i' or '1', 'm' as 'rn', 'o' as '0'.
CONFUSABLE = (("i", "l"), ("l", "i"), ("1", "l"), ("l", "1"), ("rn", "m"), ("m", "rn"), ("0", "o"), ("o", "0"),
              ("vv", "w"), ("w", "vv"), ("cl", "d"), ("c", "e"), ("e", "c"),
              ("t", "l"), ("l", "t"))


def repair_with_name(address: str, names: list[str]) -> str:
    """The mailbox corrected against the person's name: 'zhuraviev@' on Журавлёв's card is 'zhuravlev@',
    'voronina.in@' on Воронина Любовь Николаевна's is 'voronina.ln@'. A part changes only when one swap
    of look-alike characters turns it into a name word, its transliteration or the name's initials."""
    local, _, domain = address.rpartition("@")
    wanted = _name_tokens(names)
    if not wanted:
        return address
    parts = re.split(r"([._-])", local)
    fixed = [p if p in wanted or not p.isalnum() else next(
        (v for v in _one_swap(p) if v in wanted), p) for p in parts]
    return f"{''.join(fixed)}@{domain}"


def _name_tokens(names: list[str]) -> set[str]:
    tokens: set[str] = set()
    for name in names:
        words_ = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) > 1]
        latin = [to_latin(fold(w)).lower() for w in words_]
        tokens |= {w for w in latin if w.isascii()}
        tokens |= {w.replace("ii", "y").replace("iu", "yu").replace("ia", "ya") for w in latin}
        initials = "".join(w[0] for w in latin if w)
        tokens |= {initials, initials[1:], initials[:2], *initials} - {""}  # '0.zinovev' is 'o.zinovev'
    return {t for t in tokens if t.isascii()}


def _one_swap(part: str) -> list[str]:
    out = []
    for wrong, right in CONFUSABLE:
        start = part.find(wrong)
        while start != -1:
            out.append(part[:start] + right + part[start + len(wrong):])
            start = part.find(wrong, start + 1)
    return out


def rejoin_with_name(address: str, line: str, names: list[str]) -> str:
    """'elliot delgado@...' on Elliot Delgado's card: the underscore between the two name words sits on
    the baseline and OCR read it as a space, so the first word was left out of the mailbox."""
    local, _, domain = address.rpartition("@")
    before = re.search(rf"([A-Za-z]+)\s+{re.escape(local)}@", line)
    wanted = _name_tokens(names)
    # In lower case like the address itself: 'Jane Doe jane@...' is a name printed before an address.
    first = local.split(".")[0].split("_")[0]
    if before and before.group(1).islower() and before.group(1) in wanted and first in wanted:
        return f"{before.group(1)}_{local}@{domain}"
    return address


def unglue_label(address: str, line: str, names: list[str]) -> str:
    """'Es.thornton@...' on Samantha Thornton's card: the E of an 'E:' label, its colon lost, glued to a
    mailbox that starts with her initial and a dot."""
    local, _, domain = address.rpartition("@")
    if not re.match(r"e[a-z][._]", local) or not re.search(rf"(?<![\w.])[EЕ]{re.escape(local[1:])}@", line,
                                                            re.IGNORECASE):
        return address
    wanted = _name_tokens(names)
    initial, rest = local[1], re.split(r"[._]", local[3:])[0]
    return f"{local[1:]}@{domain}" if initial in wanted and rest.rstrip("0123456789") in wanted else address

