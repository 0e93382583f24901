"""Which line is the person's name, and how it splits into given / middle / family."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import astuple, dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from pipeline.core.types import NameParts, OcrLine
from pipeline.extract.layout import right as layout_right
from pipeline.extract.layout import stacked
from pipeline.extract.lexicon import fold, words
from pipeline.extract.org import is_title, is_trade_word
from pipeline.extract.text import CYR_TO_LAT, cyrillic_from_lookalikes, harmonise_script, script
from pipeline.extract.translit import skeleton

if TYPE_CHECKING:  # both imported where used: a card with no Latin name needs no nameparser, one with no
    # Cyrillic name no pymorphy3 (their imports ~0.05 and ~0.03 CPU s, pymorphy3's dictionary ~0.08 more)
    from nameparser.config import Constants
    from pymorphy3 import MorphAnalyzer

PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овна|евна|ична|инична)$")
FEMININE_PATRONYMIC = re.compile(r"(?:овна|евна|ична)$")
FAMILY_RU = re.compile(r"(?:ов|ова|ев|ева|ин|ина|ын|ына|ский|ская|цкий|цкая|ой|ко|ук|юк|ян|дзе|швили|их|ых|ий|ая)$")
INITIAL = re.compile(r"^[A-ZА-ЯЁ]\.$")
SYLLABLE = re.compile(r"^[B-DF-HJ-NP-TV-Z][AEIOUY]$")  # a consonant and a vowel, accents aside (_bare_letters)
# Cyrillic letters shaped like Latin ones in lower case only (п/n, г/r, и/u), beyond text.CYR_TO_LAT.
CYR_SHAPES = str.maketrans("пги", "nru")
# A name word: a capital, then letters of any alphabet (Müller, Nguyễn, D'Auria), perhaps an initial's dot.
NAME_TOKEN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’-])*\.?$")
# Between the names of two people who share a card ('Eliete / Ana Paula'): like a particle, never first or last.
NAME_JOINERS = frozenset({"/"})
MIN_GUESS_CONF = 0.4  # OCR confidence below which a name no lexicon knows is more likely misread noise
MIN_SCORE = 2.0
NAME_SIZE_RATIO = 2.2  # the family name is often set much larger than the given name below it
# A family name on a line of its own over the given name and patronymic: how much larger it may be set, and how
# far above (in the larger line's heights).
FAMILY_SIZE_RATIO = 4.0
FAMILY_GAP = 2.0
Role = Callable[[str], str | None]  # a word's dictionary tag: "Name", "Surn", "Patr" or None
Triple = tuple[str | None, str | None, str | None]  # given, middle, family


@dataclass(frozen=True)
class NameEvidence:
    """What the rest of the card says about the name: e-mail local parts often spell it
    ('g.marsh@'), and a line that spells the domain is the company, not a person."""

    mailboxes: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    def bonus(self, text: str) -> float:
        keys = [skeleton(t) for t in text.split()]
        score = 0.0
        if any(len(k) >= 3 and any(k in skeleton(box) for box in self.mailboxes) for k in keys):
            score += 1.5
        whole = "".join(keys)
        if any(len(whole) >= 4 and skeleton(d.split(".")[0]) in (whole, whole[: len(skeleton(d.split(".")[0]))])
               for d in self.domains):
            score -= 3.0
        return score


@dataclass(frozen=True)
class NameCandidate:
    lines: tuple[int, ...]
    text: str
    score: float


def _strip_honorifics(tokens: list[str]) -> tuple[str | None, list[str], str | None]:
    prefix = suffix = None
    n = 0
    while n < len(tokens) - 1 and fold(tokens[n]) in words("name_prefixes"):  # 'Prof. Dr.'
        n += 1
    if n:
        prefix, tokens = " ".join(tokens[:n]), tokens[n:]
    if tokens and fold(tokens[-1].strip(",")) in words("name_suffixes"):
        suffix, tokens = tokens[-1], tokens[:-1]
    if tokens and tokens[-1].endswith(","):
        tokens = [*tokens[:-1], tokens[-1].rstrip(",")]
    return prefix, tokens, suffix


@cache
def given_names() -> frozenset[str]:
    """Every given name the lexicons know, both languages, folded."""
    return words("given_names_ru") | words("given_names_en") | words("given_names_world")


def is_name_token(token: str) -> bool:
    return bool(NAME_TOKEN.match(token)) and token[0].isupper()


def _name_words(tokens: list[str]) -> list[str] | None:
    """The words of a name, its lower-case particles ('da', 'van') aside; None if a word is of no name's form."""
    out = []
    for n, t in enumerate(tokens):
        if is_name_token(t):
            out.append(t)
        elif not (0 < n < len(tokens) - 1 and (fold(t) in words("name_particles") or t in NAME_JOINERS)):
            return None
    return out


def score_name(text: str) -> float:
    """How much a line looks like a person's name; below MIN_SCORE it is not one.

    The form is the gate (2-4 capitalised words of letters, no digits, no legal form, department, address or
    common-noun word); the lexicons of given and family names, a patronymic, initials add evidence."""
    _, tokens, _ = _strip_honorifics(text.split())
    core = _name_words(tokens)
    if core is None or not 2 <= len(core) <= 4:
        return 0.0
    folded = [fold(t).rstrip(".") for t in core]
    if any(f in words("nonperson_words") or f in words("legal_forms") or is_trade_word(f) for f in folded):
        return 0.0
    if any(f in words("address_words") or f in words("department_words") for f in folded if len(f) > 3):
        return 0.0
    if fold(core[0]) in words("address_words") and len(folded[0]) > 1:  # 'Rua Antonio Carneiro', 'Av. Paulista'
        return 0.0
    # A word ending as common nouns do is a given name when the family name is marked in capitals ('Conceição
    # CORREIA', 'Assunção SILVA'): a trade or an office ('Direção Hidráulica') is not written so.
    if any(f in words("department_heads") for f in folded[-1:]) or (any(map(_common_noun, folded))
                                                                     and not _marked(core)):
        return 0.0
    if is_title(" ".join(core)) or _mixed(core) or (len(core) >= 3 and _title_form(folded[-1])):
        return 0.0
    given = given_names()
    score = 1.0  # right shape
    score += 2.0 * sum(f in given for f in folded)
    score += 1.5 * sum(f in words("family_names_world") for f in folded if f not in given)
    score += 2.0 * sum(bool(PATRONYMIC.search(f)) for f in folded)
    score += 0.5 * sum(bool(FAMILY_RU.search(f)) for f in folded)
    score += 0.5 * sum(bool(INITIAL.match(t)) for t in core)
    return score - (0.5 if len(core) == 4 else 0.0)


def _common_noun(folded: str) -> bool:
    """A word ending as common nouns do and names never ('Direção', 'Leitung', 'Solutions')."""
    return any(len(folded) >= len(e) + 3 and folded.endswith(e) for e in words("nonperson_endings"))


def _title_form(word: str) -> bool:
    """A long word with a title's ending ('vertriebsleiterin', 'geschäftsführer'), folded."""
    return len(word) >= 8 and any(word.endswith(e) for e in words("title_endings"))


def title_tail(text: str) -> tuple[str, str] | None:
    """A name line that goes on with a title the lexicon lacks ('Anna Schmidt Vertriebsleiterin'): (name,
    title), read from the last word's form (a long word with a title ending); None otherwise."""
    toks = text.split()
    if len(toks) < 3:
        return None
    if not _title_form(fold(toks[-1]).strip(",.")):
        return None
    head = " ".join(toks[:-1]).rstrip(",")
    return (head, toks[-1].strip(",")) if score_name(head) > 0 else None


def _mixed(core: list[str]) -> bool:
    """Two scripts in one name (a name run into its transliteration), or a capitals-only word
    among mixed-case ones (a title like 'CEO' run into the name); a family name in capitals first or last
    ('TANAKA Hiroshi', 'PETROV Ivan', 'Rui PEREIRA') is the passport and East Asian form, not a mix."""
    scripts = {script(t) for t in core} - {None}
    return len(scripts) > 1 or (len({t.isupper() for t in core if len(t.rstrip(".")) > 1}) > 1 and not _marked(core))


def _marked(core: list[str]) -> bool:
    """The family name marked in capitals at either end of a mixed-case name, and only there."""
    words_ = [t for t in core if len(t.rstrip(".")) > 1]
    shapes = [t.isupper() for t in words_]
    # The words in capitals at either end, and only there: the family name marked so ('TANAKA Hiroshi', 'Rui
    # PEREIRA'), also when it has several words ('Omar AL NUAIMI', 'Andrés GARCÍA RODRÍGUEZ').
    n = sum(shapes)
    run = shapes[:n] if shapes[:1] == [True] else shapes[len(shapes) - n:]
    # A two-letter family name first counts too before two given names ('VU Thu Lan', 'LÊ Van Minh': Vietnamese
    # family names are short), when it is a syllable, a consonant then a vowel: 'HS' (a monogram), 'VP', 'HR' are none.
    long_enough = any(len(w) >= 3 for w, up in zip(words_, shapes, strict=True) if up) or (
        shapes[:1] == [True] and n == 1 and len(words_) >= 3 and bool(SYLLABLE.match(_bare_letters(words_[0]))))
    return 1 <= n < len(shapes) and all(run) and long_enough


def _bare_letters(word: str) -> str:
    """The word's letters without their accents ('ĐỖ' -> 'DO')."""
    return "".join(c for c in unicodedata.normalize("NFD", word.replace("Đ", "D").replace("đ", "d"))
                   if not unicodedata.combining(c))


def candidates(lines: list[OcrLine], taken: set[int], evidence: NameEvidence | None = None) -> list[NameCandidate]:
    """Name-like lines, line heads and pairs of lines (a name is often set on two), best first."""
    evidence = evidence or NameEvidence()
    free = [i for i in range(len(lines)) if i not in taken]
    text = {i: repair_name_words(lines[i].text) for i in free}
    spans: list[tuple[tuple[int, ...], str]] = [((i,), text[i]) for i in free]
    spans += [((i,), head) for i in free if (head := _name_head(text[i]))]
    # A name set on two lines: a mark after the last word ('Руслан Геннадьевич №', an icon) is no part of it.
    core = {i: _name_head(text[i]) or text[i] for i in free}
    spans += [((i, j), f"{core[i]} {core[j]}") for i in free for j in free
              if i != j and (stacked(lines[i], lines[j], max_words=3, max_ratio=NAME_SIZE_RATIO)
                             or _family_over_given(lines[i], lines[j], core[i], core[j]))]
    scored = [NameCandidate(span, text, score_name(text)) for span, text in spans]
    scored = [NameCandidate(c.lines, c.text, c.score + evidence.bonus(c.text)) for c in scored if c.score > 0]
    scored += [NameCandidate((i,), cut[0], score_name(cut[0]) + evidence.bonus(cut[0]))
               for i in free if (cut := title_tail(text[i]))]
    if scored:  # the name is usually printed largest and high on the card: the layout is evidence too
        tallest = max(lines[i].height for c in scored for i in c.lines)
        scored = [NameCandidate(c.lines, c.text, c.score + _size_bonus(lines, c, tallest)) for c in scored]
    # A pair wins over its own first line when it scores at least as well.
    return sorted(scored, key=lambda c: (-c.score, -len(c.lines)))


def _family_over_given(upper: OcrLine, lower: OcrLine, family: str, rest: str) -> bool:
    """A Russian family name set on a line of its own, over the given name and patronymic ('ГАВРИЛЮК' over 'Олег
    Петрович'): a line of two words ending in a patronymic is no whole name, so the one name-shaped word right
    above it in its column is its family name even in much larger type or with more space between them than
    a name's two lines usually have."""
    words_ = rest.split()
    if len(words_) != 2 or not PATRONYMIC.search(fold(words_[1])) or len(family.split()) != 1:
        return False
    folded = fold(family)
    if script(family) != "ru" or not is_name_token(family) or PATRONYMIC.search(folded):
        return False
    # A family name's form, the lexicon or the dictionary: a logotype over the name ('ПромАвтоматика') is none.
    if not (FAMILY_RU.search(folded) or folded in words("family_names_world") or _morph_role(family) == "Surn"):
        return False
    tall = max(upper.height, lower.height)
    aligned = (abs(upper.left - lower.left) < tall or abs(upper.centre - lower.centre) < tall
               or abs(layout_right(upper) - layout_right(lower)) < tall)
    ratio = tall / max(1.0, min(upper.height, lower.height))
    return aligned and ratio <= FAMILY_SIZE_RATIO and 0 <= lower.top - upper.bottom <= FAMILY_GAP * tall


def repair_name_words(text: str) -> str:
    """Undo OCR slips that hide a name: a look-alike letter from the other script ('Oliver М. Langford'),
    a lost capital ('ярослав'), 'l' read for 'I' ('lan'), и for й ('Юрии'); a word is changed only into a
    known given name."""
    given = given_names()

    def fix(word: str) -> str:
        if word[:1].islower() and fold(word) in given:
            return word[0].upper() + word[1:]
        if word[:1] == "l" and fold("I" + word[1:]) in given:
            return "I" + word[1:]
        if word in ("$", "$.", "$5."):  # an initial S read as a dollar sign (its two strokes as '$5')
            return word.replace("$5", "S").replace("$", "S")
        latin = word.translate(CYR_TO_LAT).translate(CYR_SHAPES)
        if latin != word and latin.isascii() and fold(latin) in words("given_names_en"):
            return latin  # 'Непгу': an English first name set large, read in Cyrillic look-alikes
        if fold(word) not in given:  # 'Юрии', 'Сергеи': the breve of й is too small for OCR at card sizes
            for i in (i for i, ch in enumerate(word) if ch in "иИ"):
                fixed = word[:i] + ("й" if word[i] == "и" else "Й") + word[i + 1:]
                if fold(fixed) in given:
                    return fixed
        return word

    return " ".join(fix(w) for w in _cyrillic_lookalikes(harmonise_script(text).split()))


def _cyrillic_lookalikes(words_: list[str]) -> list[str]:
    """'Диана Игнатьевна AHTOHOBa': a family name set large, read wholly in Latin look-alikes (small н, т
    and в look like capitals), beside Cyrillic words; made Cyrillic, in the case of its neighbours."""
    cyrillic = [w for w in words_ if script(w) == "ru"]
    if not cyrillic or len(cyrillic) * 2 < len(words_):
        return words_
    out = []
    for w in words_:
        made = cyrillic_from_lookalikes(w)
        if made:
            w = made.capitalize() if all(c.istitle() for c in cyrillic) and not made.isupper() else made
        out.append(w)
    return out


def _name_head(text: str) -> str | None:
    """The leading name-shaped words of a line that goes on with something else
    ('Andrew Bennett — ext. 22'), when two columns ran together."""
    toks = text.split()
    n = 0
    while n < len(toks) and n < 4 and is_name_token(toks[n]):
        n += 1
    return " ".join(toks[:n]) if 2 <= n < len(toks) else None


def _size_bonus(lines: list[OcrLine], cand: NameCandidate, tallest: float) -> float:
    return 1.0 if max(lines[i].height for i in cand.lines) >= 0.9 * tallest else 0.0


def split_name(text: str) -> NameParts:
    """Given, middle (patronymic or middle name), family, prefix and suffix, as printed.

    Cyrillic: word order from the lexicons and patronymic endings, pymorphy3's dictionary for the words the
    lexicons do not know. Latin: leading prefixes from the lexicon, the rest by nameparser (comma-inverted
    'SMITH, John', particles 'van Gogh', several suffixes 'PhD, MBA').
    """
    return _split(text, _morph_role)


def _split(text: str, role: Role) -> NameParts:
    """split_name with `role` (a word's Name/Surn/Patr tag, or None) as the dictionary for unknown words."""
    if script(text) != "ru":
        return _split_latin(text.split())
    prefix, core, suffix = _strip_honorifics(text.split())
    given, middle, family = _split_russian(core, role)
    return NameParts(given=given, middle=middle, family=family, prefix=prefix, suffix=suffix)


def _split_latin(tokens: list[str]) -> NameParts:
    """Leading prefixes from the lexicon ('Prof. Dr.'), the rest by nameparser, unless nameparser drops a
    word (a nickname in brackets, a lone 'St.'): then first word given, last family, the rest middle."""
    n = 0
    while n < len(tokens) - 1 and fold(tokens[n]) in words("name_prefixes"):
        n += 1
    prefix, rest = " ".join(tokens[:n]) or None, tokens[n:]
    if prefix and len(rest) == 1:  # 'Dr. Smith'
        return NameParts(family=rest[0].rstrip(","), prefix=prefix)
    if _family_first_latin(rest):  # 'TANAKA Hiroshi', 'Nguyễn Văn Hùng'
        return NameParts(given=rest[-1], middle=" ".join(rest[1:-1]) or None, family=rest[0], prefix=prefix)
    from nameparser import HumanName

    h = HumanName(" ".join(rest), constants=_nameparser_constants())
    parts = NameParts(given=h.first or None, middle=h.middle or None, family=h.last or None,
                      prefix=prefix, suffix=h.suffix or None)
    if _words(*rest) == _words(*astuple(parts)[:3], parts.suffix):
        return parts
    return _by_position([t.rstrip(",") for t in rest], prefix)


def _family_first_latin(core: list[str]) -> bool:
    """A known family name first and none last, or the family name set in capitals before a mixed-case
    given name (the East Asian card convention)."""
    if len(core) < 2 or "," in core[0]:
        return False
    family = words("family_names_world")
    first, last = fold(core[0]), fold(core[-1])
    if first in family and last not in family and first not in given_names():
        return True
    return len(core) == 2 and core[0].isupper() and len(core[0]) > 1 and not core[1].isupper() and (
        first in family or last in given_names())


def _by_position(core: list[str], prefix: str | None) -> NameParts:
    return NameParts(given=core[0] if core else None, middle=" ".join(core[1:-1]) or None,
                     family=core[-1] if len(core) > 1 else None, prefix=prefix)


def _words(*texts: str | None) -> Counter[str]:
    """The words of some texts, commas aside: what a split must keep."""
    return Counter(w for t in texts if t for w in t.replace(",", " ").split())


@cache
def proper_case(name: str) -> str:
    """A name printed in one case (JOHN SMITH, ИВАН ПЕТРОВИЧ, jean de la fontaine) in the case it is written in a
    letter: each word capitalised, particles lower case (Jean-Pierre de la Fontaine, Ahmed al-Farsi), Mc/Mac and O'
    names as they are spelt (McDonald, O'Brien), hyphenated parts each capitalised. A name written in mixed case
    (McDONALD, Anna-Maria von Trapp) is the writer's spelling and comes back unchanged; so does the text between
    the words (commas, spacing)."""
    import nameparser

    repaired = nameparser.parse(name).capitalized(force=False)
    out, at = [], 0
    for token in repaired.tokens:
        if token.span is not None:  # nameparser keeps each word's place in the text, so only its case changes
            out += [name[at:token.span.start], token.text]
            at = token.span.end
    return "".join([*out, name[at:]])


@cache
def _nameparser_constants() -> Constants:
    """nameparser's own title list takes given names for titles ('Judge Reinhold', 'Dean Bishop'): the
    prefixes are ours (lexicons/name_prefixes.txt), stripped before.

    One per process, never changed: nameparser resolves a Constants into its lexicon once per instance and
    change (~10 ms, its 1400 entries normalised), and a new one per Latin name paid that for every name."""
    from nameparser.config import Constants

    return Constants(titles=(), first_name_titles=())


def _split_russian(core: list[str], role: Role) -> Triple:
    if len(core) < 2:
        return (core[0] if core else None), None, None
    initials = [t for t in core if INITIAL.match(t)]
    if initials and len(initials) == len(core) - 1:  # Петров И. С. / И. С. Петров
        return initials[0], " ".join(initials[1:]) or None, next(t for t in core if not INITIAL.match(t))
    p = _patronymic_at(core, role)
    if p is not None:  # the given name is the word before the patronymic: ФИО, ИОФ, ИО
        rest = [t for i, t in enumerate(core) if i not in (p - 1, p)]
        return core[p - 1], core[p], " ".join(rest) or None
    if _family_first(core[0], core[1], role):  # Фамилия Имя
        return core[1], " ".join(core[2:]) or None, core[0]
    return core[0], " ".join(core[1:-1]) or None, core[-1]


def _patronymic_at(core: list[str], role: Role) -> int | None:
    """Where the patronymic is (never first); one after a given name wins ('Шостакович Дмитрий Дмитриевич').
    Of two words, only a feminine one counts: 'Анна Карпович' is a family name."""
    if len(core) == 2:
        return 1 if FEMININE_PATRONYMIC.search(fold(core[1])) else None
    found = [i for i in range(1, len(core)) if PATRONYMIC.search(fold(core[i]))]
    found = found or [i for i in range(1, len(core)) if role(core[i]) == "Patr"]  # Кузьмич, Никитич
    if len(found) < 2:
        return found[0] if found else None
    return next((i for i in found if _is_given(core[i - 1], role)), found[0])


def _is_given(word: str, role: Role) -> bool:
    return _known_given(word) or role(word) == "Name"


def _known_given(word: str) -> bool:
    return all(part in words("given_names_ru") for part in fold(word).split("-"))


def _family_first(first: str, second: str, role: Role) -> bool:
    """Whether two words read family name first: the lexicon decides if it knows one of them and not the
    other, then the dictionary, then the family-name endings."""
    for given in (_known_given, lambda w: role(w) == "Name"):
        if given(first) != given(second):
            return given(second)
    if (role(first) == "Surn") != (role(second) == "Surn"):
        return role(first) == "Surn"
    return bool(FAMILY_RU.search(fold(first))) and not FAMILY_RU.search(fold(second))


@cache
def _morph() -> MorphAnalyzer:
    from pymorphy3 import MorphAnalyzer

    return MorphAnalyzer()


@lru_cache(maxsize=8192)
def _morph_role(word: str) -> str | None:
    """pymorphy3's Name, Surn or Patr for a word as it stands on a card (nominative), by summed parse score."""
    scores: Counter[str] = Counter()
    for parse in _morph().parse(word):
        if "nomn" in parse.tag:
            for tag in ("Name", "Surn", "Patr"):
                if tag in parse.tag:
                    scores[tag] += parse.score
    return scores.most_common(1)[0][0] if scores else None


def find_alias(name: str, cands: list[NameCandidate]) -> NameCandidate | None:
    """The same name printed in the other script (a bilingual card)."""
    main_script, key = script(name), skeleton(name)
    for cand in cands:
        if cand.text != name and script(cand.text) != main_script and len(cand.text.split()) >= 2:
            other = skeleton(cand.text)
            if SequenceMatcher(None, sorted_key(key), sorted_key(other)).ratio() > 0.6:
                return cand
    return None


def sorted_key(key: str) -> str:
    """Word order differs between the forms (Иванов Иван vs Ivan Ivanov): compare letters only."""
    return "".join(sorted(key))
