"""The `auto` engine: PP-OCR finds the lines and reads them in Latin; Tesseract reads again the lines
that may be Cyrillic, and a rule picks one reading per line.

Why two readers: PP-OCR's detector and Latin recogniser read real photos far better than Tesseract
(phones, e-mails, decorated cards), but no PP-OCR model we can ship reads Cyrillic (the East-Slavic
ones are downloaded at run time, which we never do): on a Russian line it gives Latin look-alikes
('TereφoH' for 'Телефон') or drops the letters ('400138, . ' for '400138, г. Иркутск').

The rule, per detected line (L = PP-OCR's reading, T = Tesseract rus+eng, psm 7, on the line's crop):
1. T is only asked where L may be hiding Cyrillic: L has a letter, or punctuation standing where
   letters went missing ('0.: +7 ...', ' . ', '-' for 'Арт-директор'), outside its e-mail and web
   addresses; or L is empty, far too short for its box ('3' for a whole title line), or its words
   leave one end of the box bare ('7602212710' for 'ИНН 7602212710').
2. A line whose L gives more valid e-mail/web addresses than T keeps L: addresses are Latin.
3a. T wins when it is Cyrillic and L shows the same shapes with the Latin recogniser's stand-ins for
   the Cyrillic letters it has not got: letters of another alphabet ('Φakc', 'Teπ'), or the glyphs
   it writes for them ('IIAO «ABPOPA»' for 'ПАО «АВРОРА»', '3axap' for 'Захар', 'NHH' for 'ИНН').
3. Else T wins when it is Cyrillic: most of its letters Cyrillic, at least two of them letters no Latin
   letter looks like ('л', 'д', 'и', 'ф'...), or one where L is unsure or has fewer letters than T
   ('ИНН' read 'H'); unless L is a confident, complete Latin reading (accents allowed: 'PEÇAS') and
   such letters are under a third of T's (Tesseract's rus data misreading a Latin face: 'АЧТО РЕСАЗ'); an
   L spelled only in Latin twins of Cyrillic letters ('CEBEPHbI BETEP') is never such a reading.
   A confident L keeps the line whatever T says when T has far fewer letters (a script face Tesseract
   gives up on: 'дез' for 'design'). The digits of a T word come from L's overlapping word when both
   hold as many digits: PP-OCR reads digits better (real_cards phones 56% -> 85% present).
4. T Cyrillic only in look-alikes ('СЕО' or 'CEO'? 'АО «ТТ»' or 'AO «TT»'?) is decided after the
   others: by the lexicons (a legal form, title word or name suffix in one script and not the other),
   else by the script most of the card's decided lines are in, else L.
5. Otherwise L, or T where L read nothing or is unsure (< 0.5) and T is sure (>= 60).
A line that keeps L takes the spaces L dropped from T where T read it too ('20811Hamburg'); one that
takes T takes whole numbers from L where Tesseract cut them ('4001 38,').
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

import cv2
import numpy as np

from pipeline.core.types import OcrLine, OcrResult, OcrWord
from pipeline.extract.emails import find_emails
from pipeline.extract.lexicon import fold, words
from pipeline.extract.text import CYR_TO_LAT, count_scripts, latinise
from pipeline.extract.web import find_links
from pipeline.stages.ocr import PSM_SPARSE
from pipeline.stages.ocr.ppocr import ADDRESS_LIKE, LineReading, PpOcrEngine, clip, join_rows, read_lines, tesseract

ADDRESS_TOKEN = re.compile(r"\S*@\S*|\S*(?:www\.|https?://)\S*", re.IGNORECASE)
# Punctuation PP-OCR leaves behind when it drops the Cyrillic letters around it ('доб.' -> '.').
STRANDED = re.compile(r"(?<!\d)[.:,«»\"\-–—](?!\d)|[.:,«»\"](?=\s|$)")
LOOKALIKE_CYR = frozenset(chr(k) for k in CYR_TO_LAT if "\u0400" <= chr(k) <= "\u04ff")
MIN_TRUE_CYR = 2  # letters no Latin one looks like, for T to count as Cyrillic on its own
# A line holds at least this many characters per box height of width (a wide face: ~1.5); fewer, and
# letters went missing.
MIN_CHARS_PER_HEIGHT = 0.8
SURE_LATIN = 0.9  # L's confidence above which a complete Latin reading resists a weakly Cyrillic T
WEAK_TRUE_SHARE = 1 / 3
LOST_BY_TESSERACT = 0.6  # T with fewer letters than this share of a sure L's lost the line
UNSURE_LATIN = 0.5
SURE_TESSERACT = 60.0
DIGITS_FROM_LATIN = 80.0  # L's word confidence needed to lend its digits to T's word
PAD = 0.25  # of the line height: the plain margin Tesseract gets around a line
PSM_SINGLE_LINE = 7
# L's words leave more than this many line heights of the box bare at one end: letters went missing
# there ('ИНН 7602212710' read '7602212710': 2.2). The detector grows its boxes 0.1-0.4 height past the
# ink; a logo's icon beside its name leaves up to ~1.8 ('BOSCH'), which only costs a Tesseract reading.
BARE_END = 1.5
SHAPES_AGREE = 0.7  # share of T's letters L shows in the same shapes, for rule 3a
# The Latin letters some Cyrillic letter is printed as ('B' for 'В', 'H' for 'Н'), and 'b' for the 'Ь' of
# 'Ь', 'Ы': a Latin reading spelled in these alone may be a Cyrillic line shown in its twins.
TWIN_LETTERS = frozenset(latinise("".join(chr(k) for k in CYR_TO_LAT)) + "b")

# What PP-OCR's Latin recogniser writes for the Cyrillic letters no Latin letter looks like, folded to
# lower case; seen on the sample cards and real_cards ('IIAO' for 'ПАО', '3axap' for 'Захар', 'Φakc'
# for 'Факс', 'NHH' and 'VHH' for 'ИНН', 'OTPH' and 'OFPH' for 'ОГРН', 'Teπ' for 'Тел'). The
# recogniser's alphabet, not vocabulary: it says nothing of which words a card holds.
GLYPHS: dict[str, tuple[str, ...]] = {
    "б": ("6", "b"), "г": ("r", "f", "t", "γ"), "д": ("a", "d", "δ"), "ж": ("k", "x"), "з": ("3",),
    "и": ("n", "u", "v", "i", "h", "η"), "й": ("n", "u", "i"), "л": ("ji", "jl", "π", "n"),
    "п": ("ii", "n", "π", "∏", "h"), "ф": ("φ", "ф"), "ц": ("u",), "ч": ("y", "4"),
    "ш": ("w", "iiii", "iii", "m"), "щ": ("w", "iiii", "iii"), "ы": ("bi", "bl"), "ь": ("b",), "ъ": ("b",),
    "э": ("3",), "ю": ("io", "lo"), "я": ("r", "a"),
}
# Stand-ins for the letters in GLYPHS while aligning (private-use code points: never in a reading).
_HOLDER = {c: chr(0xE000 + i) for i, c in enumerate(GLYPHS)}
_FROM_HOLDER = {v: k for k, v in _HOLDER.items()}

LineReader = Callable[[np.ndarray], list[OcrWord]]


class RouterEngine(PpOcrEngine):
    """`--engine auto`: the router. Orientation and the later stages' re-readings as `ppocr`."""

    name = "auto"

    def recognise(self, image: np.ndarray, lang: str, psm: int, timeout_s: float) -> OcrResult:
        if psm != PSM_SPARSE:
            return super().recognise(image, lang, psm, timeout_s)
        engine = tesseract()

        def read_line(crop: np.ndarray) -> list[OcrWord]:
            return [w for line in engine.recognise(crop, lang, PSM_SINGLE_LINE, timeout_s).lines for w in line.words]

        return route(image, read_line)


@dataclass
class _Line:
    latin: LineReading
    tess: list[OcrWord] | None = None  # None: not asked
    choice: str | None = None  # "latin", "tess", or None while undecided


def route(image: np.ndarray, read_line: LineReader) -> OcrResult:
    """The card's lines, each read by PP-OCR or by `read_line` (Tesseract on a line crop), per the rule."""
    height, width = image.shape[:2]
    lines = [_Line(r) for r in read_lines(image)]
    for line in lines:
        if may_be_cyrillic(line.latin):
            line.tess = _read_crop(line.latin, read_line)
        line.choice = decide(line.latin, line.tess)
    majority = _card_script(lines)
    for line in lines:
        if line.choice is None:
            line.choice = _by_lexicon(line.latin, line.tess or []) or majority or "latin"
    out = []
    for line in lines:
        if line.choice == "tess":
            chosen = [_tidy(w) for w in _with_latin_digits(line.tess or [], line.latin)]
        else:
            chosen = respace(line.latin.words, line.tess)
        chosen = [clip(w, width, height) for w in chosen if w.text]
        if chosen:
            out.append(OcrLine(tuple(chosen)))
    return OcrResult(tuple(join_rows(out)), width, height)


def may_be_cyrillic(latin: LineReading) -> bool:
    """Rule 1: whether Tesseract should read the line too."""
    if not latin.text or not any(c.isalnum() for c in latin.text):
        return True
    left, top, right, bottom = latin.rect
    if len(latin.text) < MIN_CHARS_PER_HEIGHT * (right - left) / max(1, bottom - top):
        return True
    if latin.words and BARE_END * (bottom - top) < max(
            latin.words[0].left - left, right - max(w.left + w.width for w in latin.words)):
        return True
    rest = ADDRESS_TOKEN.sub(" ", latin.text)
    return any(c.isalpha() for c in rest) or bool(STRANDED.search(rest))


def decide(latin: LineReading, tess: list[OcrWord] | None) -> str | None:
    """Rules 2, 3 and 5; None for a look-alike-only line, decided later (rule 4)."""
    if tess is None:
        return "latin"
    t_text = " ".join(w.text for w in tess)
    if not t_text.strip():
        return "latin"
    if latin.text and _addresses(latin.text) > _addresses(t_text):
        return "latin"
    cyr, lat = count_scripts(t_text)
    true_cyr = sum(1 for c in t_text if "\u0400" <= c <= "\u04ff" and c not in LOOKALIKE_CYR)
    l_letters = sum(c.isalpha() for c in latin.text)
    if latin.conf >= SURE_LATIN and cyr + lat < LOST_BY_TESSERACT * l_letters:
        return "latin"
    if cyr and cyr >= lat and (_foreign_letters(latin.text) or _shapes_agree(latin.text, t_text)):
        return "tess"
    if cyr and cyr >= lat:
        lost = l_letters < cyr + lat
        if true_cyr >= MIN_TRUE_CYR or (true_cyr and (latin.conf < SURE_LATIN or lost)):
            if _complete_latin(latin, cyr + lat) and true_cyr < WEAK_TRUE_SHARE * (cyr + lat):
                return "latin"
            return "tess"
        if not true_cyr:
            return None
    t_conf = sum(w.conf for w in tess) / len(tess)
    if (not latin.text or latin.conf < UNSURE_LATIN) and t_conf >= SURE_TESSERACT:
        return "tess"
    return "latin"


def _foreign_letters(text: str) -> bool:
    """L holds letters of no Latin alphabet ('Φakc', 'Teπ', 'OΓPHI∏'): the recogniser's stand-ins for
    Cyrillic ones it has not got."""
    return any((c.isalpha() and "LATIN" not in unicodedata.name(c, "")) or c == "∏" for c in text)


def _shapes_agree(l_text: str, t_text: str) -> bool:
    """Rule 3a: both readers saw the same shapes, and where T has a letter no Latin one looks like, L has
    the glyph the Latin recogniser writes for it ('IIAO «ABPOPA»' / 'ПАО «АВРОРА»', '3axap' / 'Захар'):
    the line is Cyrillic, and T's the reading. Tesseract misreading a Latin face ('АЧТО РЕСАЗ' for
    'AUTO PEÇAS') puts letters where L's glyphs are not theirs, so it does not pass."""
    t = "".join(_HOLDER.get(c, c) for c in latinise(t_text.casefold().replace("ё", "е")).casefold() if not c.isspace())
    lat = "".join(c for c in l_text.casefold() if not c.isspace())
    held = sum(c in _FROM_HOLDER for c in t)
    if not held or not lat:
        return False
    matched = matched_lat = explained = strong = 0  # letters of T, and of L, in agreeing stretches
    for op, i1, i2, j1, j2 in SequenceMatcher(None, t, lat, autojunk=False).get_opcodes():
        if op == "equal":
            matched += i2 - i1
            matched_lat += j2 - j1
        elif op == "replace" and _explains(t[i1:i2], lat[j1:j2]):
            matched += i2 - i1
            matched_lat += j2 - j1
            explained += sum(c in _FROM_HOLDER for c in t[i1:i2])
            strong += not (j2 - j1 == i2 - i1 and lat[j1:j2].isascii() and lat[j1:j2].isalpha())
    # One plain Latin letter standing for one Cyrillic letter is what a Latin word looks like too
    # ('Pabx' under 'Рабх' on a Brazilian card): it takes two such, or one glyph no Latin word is
    # spelled with ('3axap', 'IIAO').
    # Each side against its own length: a glyph may be longer than its letter ('IIII' for 'Ш').
    return ((strong > 0 or explained >= 2) and 2 * explained >= held
            and matched >= SHAPES_AGREE * len(t) and matched_lat >= SHAPES_AGREE * len(lat))


def _explains(held: str, glyphs: str) -> bool:
    """`glyphs` is what the Latin recogniser writes for `held`: each letter as itself, or one of its GLYPHS."""
    if not held:
        return not glyphs
    first = held[0]
    options = GLYPHS[_FROM_HOLDER[first]] if first in _FROM_HOLDER else (first,)
    return any(glyphs.startswith(o) and _explains(held[1:], glyphs[len(o):]) for o in options)


def _complete_latin(latin: LineReading, tess_letters: int) -> bool:
    """L sure, in plain Latin, and about as many letters as T: nothing of the line went missing. A reading
    spelled only in the Latin twins of Cyrillic letters ('CEBEPHbI BETEP' for 'СЕВЕРНЫЙ ВЕТЕР') is not:
    there T, which holds letters no Latin one looks like, read the line PP-OCR could only show in twins."""
    letters = [c for c in latin.text if c.isalpha()]
    return (latin.conf >= SURE_LATIN and all("LATIN" in unicodedata.name(c, "") for c in letters)
            and len(letters) >= 0.8 * tess_letters and not all(c in TWIN_LETTERS for c in letters))


def _addresses(text: str) -> int:
    line = OcrLine((OcrWord(text, 100.0, 0, 0, 1, 1),))
    return len(find_emails([line])) + len(find_links([line]))


LATIN_LEXICONS = ("legal_forms", "title_words", "name_suffixes", "name_prefixes")


def _lexicon_hit(text: str) -> bool:
    known = frozenset().union(*(words(name) for name in LATIN_LEXICONS))
    return any(fold(tok.strip(".,:;«»\"'()")) in known for tok in text.split())


def _by_lexicon(latin: LineReading, tess: list[OcrWord]) -> str | None:
    """Rule 4a: the reading the lexicons know, when only one of them is known."""
    lat_hit = bool(latin.text) and _lexicon_hit(latin.text)
    cyr_hit = _lexicon_hit(" ".join(w.text for w in tess))
    if lat_hit != cyr_hit:
        return "latin" if lat_hit else "tess"
    return None


def _card_script(lines: list[_Line]) -> str | None:
    """Rule 4b: the reader most lines with letters went to on this card, when there is a majority."""
    votes = {"latin": 0, "tess": 0}
    for line in lines:
        if line.choice == "tess":
            votes["tess"] += 1
        elif line.choice == "latin" and sum(c.isalpha() for c in line.latin.text) >= 3:
            votes["latin"] += 1
    if votes["latin"] == votes["tess"]:
        return None
    return max(votes, key=lambda k: votes[k])


def _read_crop(latin: LineReading, read_line: LineReader) -> list[OcrWord]:
    """Tesseract on the line as the recogniser saw it, on a plain margin, its words put back in card
    pixels. The detector's box is grown past the ink, so a crop of the card around it takes in the
    edges of the lines above and below, and psm 7 then reads nothing or garbage."""
    crop = latin.crop if latin.crop.ndim == 2 else cv2.cvtColor(latin.crop, cv2.COLOR_BGR2GRAY)
    h, w = crop.shape[:2]
    if h < 4 or w < 4:
        return []
    pad = int(PAD * h) + 2
    framed = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=int(np.median(crop)))
    left, top, right, bottom = latin.rect
    sx, sy = (right - left) / w, (bottom - top) / h  # the straightened crop back onto the card's box
    return [OcrWord(wd.text, wd.conf, left + round((wd.left - pad) * sx), top + round((wd.top - pad) * sy),
                    max(1, round(wd.width * sx)), max(1, round(wd.height * sy)))
            for wd in read_line(framed)]


def _with_latin_digits(tess: list[OcrWord], latin: LineReading) -> list[OcrWord]:
    """T's words with the digits of the L word over them, where both hold as many and L is sure. A run of
    T's letterless words under one sure letterless L word with as many digits in all is that L word:
    Tesseract cuts a number at a wide digit ('4001 38,' for '400138,'), PP-OCR's line model does not."""
    tess = _joined_numbers(tess, latin)
    out = []
    for word in tess:
        mine = [c for c in word.text if c.isdigit()]
        over = [w for w in latin.words if _overlap(word, w) > 0.5]
        theirs = [c for w in over for c in w.text if c.isdigit()]
        if mine and len(theirs) == len(mine) and theirs != mine and min(w.conf for w in over) >= DIGITS_FROM_LATIN:
            digits = iter(theirs)
            word = OcrWord("".join(next(digits) if c.isdigit() else c for c in word.text), word.conf,
                           word.left, word.top, word.width, word.height)
        out.append(word)
    return out


def _overlap(a: OcrWord, b: OcrWord) -> float:
    """How much of b lies over a, horizontally."""
    inter = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    return max(0, inter) / max(1, b.width)


def _joined_numbers(tess: list[OcrWord], latin: LineReading) -> list[OcrWord]:
    out = list(tess)
    for lw in latin.words:
        digits = sum(c.isdigit() for c in lw.text)
        if digits < 2 or _has_letter(lw.text) or lw.conf < DIGITS_FROM_LATIN:
            continue
        under = [i for i, w in enumerate(out) if _overlap(lw, w) > 0.5]
        if (len(under) < 2 or under != list(range(under[0], under[-1] + 1))
                or any(_has_letter(out[i].text) for i in under)
                or sum(c.isdigit() for i in under for c in out[i].text) != digits):
            continue
        first, last = out[under[0]], out[under[-1]]
        right = last.left + last.width
        top, bottom = min(out[i].top for i in under), max(out[i].top + out[i].height for i in under)
        merged = OcrWord(lw.text, min(out[i].conf for i in under), first.left, top, right - first.left, bottom - top)
        out[under[0]:under[-1] + 1] = [merged]
    return out


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


# Where T's spaces mend L's words: a run of letters meeting digits or the other way ('NY10001',
# '20811Hamburg'), a small letter meeting a capital, a full stop or colon meeting what follows ('T.+7').
# Not between digits: Tesseract cuts numbers at wide digits ('4001 38') where PP-OCR reads them whole.
def _space_between(a: str, b: str) -> bool:
    return ((a.isalpha() and b.isdigit()) or (a.isdigit() and b.isalpha()) or (a.islower() and b.isupper())
            or (a in ".:;,·&" and (b.isalnum() or b in "+(")) or (a.isalnum() and b in "&+("))


def respace(words: tuple[OcrWord, ...], tess: list[OcrWord] | None) -> list[OcrWord]:
    """L's words cut where T, reading the same line, has a space that L dropped (PP-OCR leaves spaces
    out of tightly set lines: '20811Hamburg'). The two readings are aligned letter by letter (Cyrillic
    look-alikes as Latin), and only a space inside a stretch both read alike counts. Boxes are cut in
    proportion to the letters. E-mail and web addresses are never cut."""
    if not tess or not words:
        return list(words)
    l_chars = [(wi, ci) for wi, w in enumerate(words) for ci in range(len(w.text))]
    l_flat = "".join(w.text for w in words)
    t_text = " ".join(w.text for w in tess)
    t_flat, t_space_after = "", set()
    for c in t_text:
        if c.isspace():
            t_space_after.add(len(t_flat) - 1)
        else:
            t_flat += c
    cuts: dict[int, set[int]] = {}
    # lower(), not casefold(): 'ß' stays one letter, so the indices stay L's.
    matcher = SequenceMatcher(None, latinise(t_flat).lower(), l_flat.lower(), autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size - 1):
            ti, li = block.a + k, block.b + k
            wi, ci = l_chars[li]
            if (ti in t_space_after and l_chars[li + 1][0] == wi and _space_between(l_flat[li], l_flat[li + 1])
                    and not ADDRESS_LIKE.search(words[wi].text)):
                cuts.setdefault(wi, set()).add(ci + 1)
    out: list[OcrWord] = []
    for wi, word in enumerate(words):
        out.extend(_cut(word, sorted(cuts.get(wi, ()))))
    return _with_at(out, t_flat)


AT_CONTEXT = 3  # letters T and L must agree on each side of the '@' L left out


def _with_at(words: list[OcrWord], t_flat: str) -> list[OcrWord]:
    """The '@' PP-OCR dropped from an e-mail address ('t.yoshidahoshino-denki.co.jp'), put back where T
    has it, when T's letters on both sides of it are L's: T's reading of the rest is often worse."""
    if t_flat.count("@") != 1 or any("@" in w.text for w in words):
        return words
    at = t_flat.index("@")
    before, after = t_flat[max(0, at - AT_CONTEXT):at].lower(), t_flat[at + 1:at + 1 + AT_CONTEXT].lower()
    if len(before) < AT_CONTEXT or len(after) < AT_CONTEXT:
        return words
    out = []
    for word in words:
        low = word.text.lower()
        spot = low.find(before + after)
        if spot > 0 and low.count(before + after) == 1 and ADDRESS_LIKE.search(word.text):
            cut = spot + AT_CONTEXT
            word = OcrWord(word.text[:cut] + "@" + word.text[cut:], word.conf, word.left, word.top, word.width,
                           word.height)
        out.append(word)
    return out


def _cut(word: OcrWord, at: list[int]) -> list[OcrWord]:
    if not at:
        return [word]
    n, out = len(word.text), []
    for start, end in zip([0, *at], [*at, n], strict=True):
        left = word.left + round(word.width * start / n)
        right = word.left + round(word.width * end / n)
        out.append(OcrWord(word.text[start:end], word.conf, left, word.top, max(1, right - left), word.height))
    return out


DOUBLED_STOP = re.compile(r"(?<=[^\W\d_])\.\.(?!\.)")


def _tidy(word: OcrWord) -> OcrWord:
    """A full stop Tesseract doubled after a word ('наб..,' on a line crop): never text on a card."""
    text = DOUBLED_STOP.sub(".", word.text)
    return word if text == word.text else OcrWord(text, word.conf, word.left, word.top, word.width, word.height)
