"""One script per line: Cyrillic letters out of Latin-script lines, Latin look-alikes out of Cyrillic ones.

Reading with rus+eng, Tesseract puts Cyrillic letters into Latin words ('Зао Paulo', 'Jd. Затага', 'Кадиега'),
which then parse as Russian legal forms or names. A line's script is its majority (by letters, accented
Latin letters counted as Latin); only a clear majority rewrites the minority's letters, and only those that look
like a letter of the majority's script. A Russian line keeps its Cyrillic, a bilingual line is left alone, and
accents and umlauts are never touched.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from pipeline.core.types import OcrLine, OcrResult

# Cyrillic letters Tesseract reads for Latin ones, by shape (capitals and lower case apart: "н" is no "h";
# the italic "т" is an "m").
CYR_TO_LAT = str.maketrans("аеёорсухкмтАВЕКМНОРСТУХЗпгиьЬі", "aeeopcyxkmmABEKMHOPCTYXSnrubbi")
# Latin letters Tesseract reads for Cyrillic ones (a Cyrillic line's 'Пeтров').
LAT_TO_CYR = str.maketrans("aceopxyABCEHKMOPTXY", "асеорхуАВСЕНКМОРТХУ")
MAJORITY = 0.75  # share of a line's letters in one script that makes it that script's line
MIN_LETTERS = 4


def letter_scripts(text: str) -> tuple[int, int]:
    """(Cyrillic, Latin) letters of a text; accented Latin letters (ü, ã, ễ) count as Latin."""
    cyr = lat = 0
    for c in text:
        if c.isalpha():
            name = unicodedata.name(c, "")
            cyr += name.startswith("CYRILLIC")
            lat += name.startswith("LATIN")
    return cyr, lat


def one_script(text: str) -> str:
    """The line with its minority-script words rewritten in the majority script where every letter of
    theirs has a look-alike there; the line unchanged when no script has a clear majority."""
    cyr, lat = letter_scripts(text)
    if cyr + lat < MIN_LETTERS:
        return text
    if lat >= MAJORITY * (cyr + lat):
        return " ".join(_rewrite(w, CYR_TO_LAT, "CYRILLIC") for w in text.split(" "))
    if cyr >= MAJORITY * (cyr + lat):
        return " ".join(_rewrite(w, LAT_TO_CYR, "LATIN") for w in text.split(" "))
    return text


def _rewrite(word: str, table: dict[int, int], minority: str) -> str:
    foreign = [c for c in word if c.isalpha() and unicodedata.name(c, "").startswith(minority)]
    if not foreign:
        return word
    if minority == "LATIN" and len(foreign) == sum(c.isalpha() for c in word):
        return word  # a whole Latin word in a Russian line ('ООО «Ромашка» LLC') is Latin on purpose
    fixed = word.translate(table)
    still = [c for c in fixed if c.isalpha() and unicodedata.name(c, "").startswith(minority)]
    return word if still else fixed


def one_script_lines(ocr: OcrResult) -> OcrResult:
    """The OCR result with every word in its line's script (see one_script)."""
    lines = []
    for line in ocr.lines:
        text = line.text
        fixed = one_script(text)
        if fixed == text:
            lines.append(line)
            continue
        words = tuple(replace(w, text=t) for w, t in zip(line.words, fixed.split(" "), strict=False))
        lines.append(OcrLine(words) if len(words) == len(line.words) else line)
    return replace(ocr, lines=tuple(lines))


# Lower-case Cyrillic letters shaped like Latin ones beyond CYR_TO_LAT's (п/n, г/r, и/u), and д, which stands for
# a g or a d: Tesseract's rus data and the `auto` engine's router read a Latin word so ('Мападег', 'Нида').
SHAPES = (str.maketrans("пгид", "nrug"), str.maketrans("пгид", "nrud"))
MAX_STRAY_LINES = 2  # Cyrillic lines a Latin card may hold that are Latin words misread


def latin_card_lines(ocr: OcrResult) -> OcrResult:
    """On a card printed in Latin letters only, a line read wholly in Cyrillic look-alikes ('Мападег' under
    'Deputy General', 'Нида' over 'Nasser') back in Latin, when that reading is a title or given name the lexicons
    know; a card with any other Cyrillic (a bilingual card, a Russian one) is left alone."""
    stray = [i for i, line in enumerate(ocr.lines) if letter_scripts(line.text)[0]]
    if not stray or len(stray) > MAX_STRAY_LINES:
        return ocr
    readings = {i: _latin_reading(ocr.lines[i].text) for i in stray}
    if any(r is None for r in readings.values()):
        return ocr
    lines = list(ocr.lines)
    for i, text in readings.items():
        if text is not None:
            lines[i] = OcrLine(tuple(replace(w, text=t) for w, t in zip(lines[i].words, text.split(" "), strict=True)))
    return replace(ocr, lines=tuple(lines))


def _latin_reading(text: str) -> str | None:
    """The line in Latin letters when every letter has a Latin shape and one reading is a known title or given
    name; None otherwise."""
    from pipeline.extract.lexicon import fold, words
    from pipeline.extract.org import is_title

    for table in SHAPES:
        latin = text.translate(CYR_TO_LAT).translate(table)
        if letter_scripts(latin)[0]:
            return None
        if is_title(latin) or all(fold(w) in words("given_names_en") | words("given_names_world")
                                  for w in latin.split()):
            return latin
    return None
