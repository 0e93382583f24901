"""Spelling-independent forms of names and organisations, for dedupe.

Иван Петров, Ivan Petrov, Iwan Petroff and ПЕТРОВ Ваня should all find each other. A name word is
transliterated (ICAO, as on passports), folded so that transliteration variants meet (kh/h, ts/tz,
x/ks, w/v), and reduced to its consonants, which is where those systems agree; a familiar form
(Саша, Alex) first becomes its full name (lexicons/diminutives.txt).
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz

from pipeline.extract.lexicon import entries, fold, words
from pipeline.extract.org import _bare, legal_forms
from pipeline.extract.translit import to_latin

# Order matters: longer spellings first, so that "shch" is not read as "sh" + "ch".
_FOLDS = (("shch", "s"), ("sch", "s"), ("sh", "s"), ("ch", "c"), ("kh", "h"), ("zh", "z"), ("ts", "z"),
          ("tz", "z"), ("ph", "f"), ("ck", "k"), ("x", "ks"), ("q", "k"), ("w", "v"), ("j", "y"), ("c", "k"))
_VOWELS = set("aeiouy")
_VOWEL_FOLDS = (("iu", "u"), ("yu", "u"), ("ia", "a"), ("ya", "a"), ("ie", "e"), ("ye", "e"), ("yo", "e"),
                ("y", "i"))
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


def latin(word: str) -> str:
    """Lower-case Latin letters of a word, Cyrillic transliterated."""
    return "".join(ch for ch in to_latin(fold(word)) if "a" <= ch <= "z")


def word_key(word: str) -> str:
    """The key of one name word: 'Александр', 'Aleksandr' and 'Alexander' all give 'lksndr'."""
    text = latin(canonical_given(word))
    for a, b in _FOLDS:
        text = text.replace(a, b)
    consonants = "".join(ch for ch in text if ch not in _VOWELS)
    key = re.sub(r"(.)\1+", r"\1", consonants)
    if len(key) >= 2:
        return key
    # Names of vowels and one consonant (Юлия, Ian) keep their vowels, or they would meet too many others;
    # the vowels then need the same folding: Iuliia, Yuliya and Julia all become 'ulia'.
    for a, b in _VOWEL_FOLDS:
        text = text.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", text)


def name_words(name: str) -> list[str]:
    """The words of a personal name, without initials, honorifics and degrees."""
    skip = words("name_prefixes") | words("name_suffixes")
    return [w for w in _WORD.findall(name) if len(w) > 1 and fold(w).rstrip(".") not in skip]


def name_keys(name: str) -> set[str]:
    return {word_key(w) for w in name_words(name)} - {""}


@cache
def _diminutives() -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in entries("diminutives"):
        full, _, variants = entry.partition("\t")
        for variant in variants.split(","):
            if variant.strip():
                table.setdefault(fold(variant.strip()), full)
    return table


def canonical_given(word: str) -> str:
    """Саша -> Александр, Bill -> William; any other word unchanged."""
    return _diminutives().get(fold(word), word)


def organization_key(company: str) -> str:
    """ООО «Ромашка» and Romashka LLC give 'romashka': no legal form, no quotes, Latin letters."""
    stem = [w for token in company.split() if not _legal_form(token) for w in _WORD.findall(token)]
    return " ".join(latin(w) for w in stem if latin(w))


def organization_identity(company: str) -> str:
    """The key an organisation is stored under: its name and the kind of entity it is, in any language
    (ООО «Ладога» and Ladoga LLC: 'ladoga|llc'; АО «Ладога»: 'ladoga|jsc'; plain Ладога: 'ladoga|')."""
    forms = [_form_classes().get(_bare(t), _bare(t)) for t in company.split() if _legal_form(t)]
    return f"{organization_key(company)}|{forms[0] if forms else ''}"


def _legal_form(token: str) -> bool:
    return _bare(token) in legal_forms()


@cache
def _form_classes() -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in entries("legal_form_classes"):
        kind, _, forms = entry.partition("\t")
        table |= {_bare(f.strip()): kind for f in forms.split(",")}
    return table


def name_similarity(a: str, b: str) -> float:
    """0..100: how likely two printed names are the same person, whatever their script and word order.

    Every word of the shorter name is matched with its best partner in the longer one (an initial
    matches a word it begins); one full word alone is weak evidence, and scores at most 60 (80 with initials).
    """
    wa, wb = _comparable(a), _comparable(b)
    if not wa or not wb:
        return 0.0
    if len(wa) == len(wb):  # neither is the shorter: judge both ways, keep the more doubtful
        return min(_directed(wa, wb), _directed(wb, wa))
    return _directed(*sorted((wa, wb), key=len))


def _directed(short: list[str], long_: list[str]) -> float:
    scores = [max(_word_similarity(w, other) for other in long_) for w in short]
    score = sum(scores) / len(scores)
    if len(long_) > 1 and sum(1 for w in short if not w.endswith(".")) < 2:
        # "Petrov" alone, or "I. Petrov": the initial adds a little, a lone word very little.
        return min(score, 80.0 if len(short) > 1 else 60.0)
    return score


def _comparable(name: str) -> list[str]:
    skip = words("name_prefixes") | words("name_suffixes")
    found = [w for w in _WORD.findall(name) if fold(w).rstrip(".") not in skip]
    # An initial (a one-letter word) is marked with a dot: 'Ь' alone transliterates to nothing, 'Ая' to one letter.
    return [latin(w) + "." if len(w) == 1 else latin(canonical_given(w)) for w in found if latin(w)]


def _word_similarity(a: str, b: str) -> float:
    if a.endswith(".") or b.endswith("."):  # an initial
        return 90.0 if a[0] == b[0] else 0.0
    if word_key(a) == word_key(b):
        return 100.0
    return fuzz.ratio(a, b)


def organization_similarity(a: str, b: str) -> float:
    """0..100: how likely two printed organisation names are one organisation, in any script.

    The key drops digits and legal forms, so on its own it made "School No. 5" and "School No. 17" one
    school (Ivan Petrov at each became one contact) and ООО «Ромашка» one company with АО «Ромашка».
    Different numbers, or two legal forms of different kinds (ООО and LLC are one kind), keep them apart."""
    ka, kb = organization_key(a), organization_key(b)
    if not ka or not kb:
        return 0.0
    score = fuzz.token_set_ratio(ka, kb)
    if _numbers(a) != _numbers(b) or _kinds_differ(a, b):
        return min(score, DIFFERENT_ORG)
    return score


DIFFERENT_ORG = 50.0  # what two names that differ in a number or a kind of entity score at most
_NUMBER = re.compile(r"\d+")


def _numbers(company: str) -> list[str]:
    """School No. 05 and School No. 5 are one school: numbers compared by value, in any order."""
    return sorted(n.lstrip("0") or "0" for n in _NUMBER.findall(company))


def _kinds_differ(a: str, b: str) -> bool:
    """Both name a legal form and the forms are of different kinds; a card that omits it says nothing."""
    classes = _form_classes()  # lists some forms (JSC, PJSC) the extraction lexicon does not
    kinds = [{classes.get(_bare(t), _bare(t)) for t in company.split() if _legal_form(t) or _bare(t) in classes}
             for company in (a, b)]
    return bool(kinds[0] and kinds[1] and not kinds[0] & kinds[1])
