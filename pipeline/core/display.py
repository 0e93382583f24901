"""Text that came from outside (file names, vCard fields, OCR) made safe to print, log and store.

A file name on Linux is bytes: one from a Windows share in cp1251 is not UTF-8, and Python hands it
over with each undecodable byte as a lone surrogate, which the database driver, JSON and the terminal
all refuse (the watcher died on one and restarted into it again). A name may also hold a newline
(which split a log line in two) or an escape sequence (which the terminal would obey).
"""

from __future__ import annotations

import unicodedata

_LOW_SURROGATES = range(0xDC80, 0xDD00)  # os.fsdecode's stand-ins for the bytes 0x80-0xFF


def printable(text: str) -> str:
    """`text` with every undecodable byte and every control character written as %XX: valid UTF-8, one line,
    nothing a terminal acts on. Text without either comes back unchanged."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if code in _LOW_SURROGATES:
            out.append(f"%{code - 0xDC00:02X}")
        elif unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
            out.append(f"%{code:02X}" if code < 0x100 else f"%u{code:04X}")
        else:
            out.append(ch)
    return "".join(out)
