"""An e-mail address OCR ran into its neighbours on one line: the phone number before it ('Tel. +86 10
93416761w.xu@ege-tekstil.com'), the web address after it ('lina@kuzeyenerji.cnwww.kuzeyenerji.cn'), or its own
domain read twice ('sdubois@atelierlumiere.comatelierlumiere.com'). Parted into words before the phone and
e-mail finders see the line, so each finds its own; nothing else on the line changes."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.core.types import OcrLine, OcrResult, OcrWord

# Digits ending a phone number, then a mailbox that starts with a letter: the number's last group and the address.
DIGITS_FIRST = re.compile(r"^(\d{4,})([^\W\d_][^@\s]*@\S+)$")
# An address whose domain ends in a TLD and goes straight on with 'www.' (the website printed after it).
WEB_AFTER = re.compile(r"^(\S+@\S+?\.[a-z]{2,})((?:www\.|https?://)\S+)$", re.IGNORECASE)
DOUBLED_DOMAIN = re.compile(r"^([^@\s]+@)(\S+\.\S+)\2$")
MIN_PHONE_DIGITS = 7  # a phone number's digits, the glued group and the groups before it on the line


def part_runons(ocr: OcrResult) -> OcrResult:
    lines = tuple(_part(line) for line in ocr.lines)
    return ocr if lines == ocr.lines else replace(ocr, lines=lines)


def _part(line: OcrLine) -> OcrLine:
    if "@" not in line.text:
        return line
    out: list[OcrWord] = []
    for word in line.words:
        doubled = DOUBLED_DOMAIN.match(word.text)
        if doubled:
            word = _cut(word, len(doubled.group(1)) + len(doubled.group(2)))[0]
        first = DIGITS_FIRST.match(word.text)
        before = sum(c.isdigit() for w in out for c in w.text)
        if first and before + len(first.group(1)) >= MIN_PHONE_DIGITS and before > 0:
            head, word = _cut(word, len(first.group(1)))
            out.append(head)
        web = WEB_AFTER.match(word.text)
        if web:
            head, word = _cut(word, len(web.group(1)))
            out.append(head)
        out.append(word)
    return OcrLine(tuple(out)) if len(out) != len(line.words) or out != list(line.words) else line


def _cut(word: OcrWord, at: int) -> tuple[OcrWord, OcrWord]:
    """A word parted after `at` characters, its box shared in proportion to the characters."""
    width = round(word.width * at / max(1, len(word.text)))
    return (replace(word, text=word.text[:at], width=width),
            replace(word, text=word.text[at:], left=word.left + width, width=max(1, word.width - width)))
