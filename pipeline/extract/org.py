"""Company, job title and department lines."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pipeline.core.types import OcrLine
from pipeline.extract.lexicon import fold, pairs, words
from pipeline.extract.text import clean_line, count_scripts, has_digit, tokens
from pipeline.extract.translit import skeleton

CYRILLIC_INITIALS = re.compile(r"\b([А-ЯЁ]\.)(?=[А-ЯЁ]\.)")  # 'ИП Макаров В.А.' is written 'В. А.'
# Two words OCR ran together where the case changes ('EletrônicaADACHI'): three lower-case letters, then a word
# of three capitals or more. Names like 'McDONALD' or 'DeWALT' have fewer lower-case letters before the capitals.
GLUED = re.compile(r"(\w*[^\W\d_A-ZÀ-ÖØ-Þ]{3})([A-ZÀ-ÖØ-Þ]{3,})(?![^\W\d_A-ZÀ-ÖØ-Þ])")
QUOTED = re.compile(r"[«\"“„][^»\"”“]{2,}[»\"”“]")
# A web address OCR broke so that no link was found in it ('www.gulf-horizon-contracting. fr'): it spells the
# domain, as the company's name does, but it is no company line.
WEB_ADDRESS = re.compile(r"\bwww\.|https?://", re.IGNORECASE)
MIN_DOMAIN_KEY = 4  # letters of the shortest name compared with a domain ('acme')
# Latin letters and digits OCR reads for the Cyrillic letters of a legal form: 000 or OOO for ООО.
TO_CYRILLIC = str.maketrans("0OoAaBCcEeHKkMPpTXx", "ОООАаВСсЕеНКкМРрТХх")


def _bare(token: str) -> str:
    """A legal-form comparison key: 'L.L.C.' and 'LLC', 'Inc.' and 'Inc' compare equal."""
    return fold(token).strip("\"'«»“”„(),;").replace(".", "")


@cache
def legal_forms() -> frozenset[str]:
    return frozenset(_bare(f) for f in words("legal_forms"))


def has_legal_form(text: str) -> bool:
    forms = legal_forms()
    toks = tokens(text)
    return len(toks) >= 2 and any(_form_token(t) and (_bare(t) in forms or _bare(t.translate(TO_CYRILLIC)) in forms)
                                  for t in toks)


def _form_token(token: str) -> bool:
    """Whether a token may be a legal form as printed: a short one in lower case without dots is a word of
    the language ('ao', 'as' in Portuguese), not 'АО' or 'a.s.', which are printed in capitals or with dots."""
    word = token.strip("\"'«»“”„(),;")
    return not (word.isalpha() and word.islower() and len(word) <= 3)


def clean_company(text: str) -> str:
    """The company as printed: a misread Cyrillic legal form restored, logo debris in front dropped."""
    toks = tokens(text) if "," not in text else text.split()
    forms = legal_forms()
    cyrillic = count_scripts(text)[0] > 0
    fixed = []
    for tok in toks:
        as_cyr = tok.translate(TO_CYRILLIC)
        if cyrillic and _bare(tok) not in forms and _bare(as_cyr) in forms:
            tok = as_cyr
        fixed.append(tok)
    while len(fixed) > 1 and _is_debris(fixed[0], forms):
        fixed = fixed[1:]
    fixed = [GLUED.sub(r"\1 \2", tok) for tok in fixed]
    return _spell_last_form(balance_quotes(CYRILLIC_INITIALS.sub(r"\1 ", clean_line(" ".join(fixed)))))


def _spell_last_form(text: str) -> str:
    """'Summit Ridge Advisors Corp' is 'Corp.': OCR loses the small dot after a form written with one."""
    head, _, last = text.rpartition(" ")
    spelling = pairs("legal_form_spellings").get(fold(last))
    if not head or spelling is None:
        return text
    return f"{head} {spelling.upper() if last.isupper() else spelling}"


def balance_quotes(text: str) -> str:
    """Close a quote OCR lost at the end ('ООО "Сапфир'), drop a stray one after a closed pair."""
    text = text.rstrip("'’`")
    if text.count("«") > text.count("»"):
        return text + "»"
    if text.count('"') % 2 == 1 and not text.endswith('"'):
        return text + '"'
    return text


def _is_debris(token: str, forms: frozenset[str]) -> bool:
    """A short token in front of a company that is no word of it: a logo read as letters. A two-letter word
    written as a word, a capital then a small letter ('Al Noor Trading', 'El Faro', 'De Vries'), is part of the name;
    a logo's letters read as capitals ('KE'), lower case ('dc') or another script are not."""
    bare = _bare(token)
    word = len(token) == 2 and token[0].isupper() and token[1].islower() and all(
        unicodedata.name(c, "").startswith("LATIN") for c in token)  # 'Че' on a Latin card is Tesseract's rus debris
    return bare not in forms and ((len(bare) <= 2 and not word) or not any(c.isalnum() for c in token[:1]))


def company_score(line: OcrLine, domains: list[str]) -> float:
    text = line.text
    if "@" in text or sum(c.isdigit() for c in text) > 4 or WEB_ADDRESS.search(text):
        return 0.0
    score = 0.0
    if has_legal_form(text):
        score += 3.0
    if QUOTED.search(text):
        score += 1.5
    if _matches_domain(text, domains):
        score += 2.0
    return score


def corroborated(text: str, domains: list[str]) -> bool:
    """A company line the card itself vouches for: a legal form with the name in quotes (ООО «Ромашка»), or the
    name the card's e-mail or web domain spells. Not a guess by layout, whatever its line's OCR confidence."""
    return (has_legal_form(text) and bool(QUOTED.search(text))) or _matches_domain(text, domains)


def spells_domain(text: str, domains: list[str]) -> bool:
    """The line is the whole of the card's domain name, legal form aside ('Shakti Engineering' and
    shakti-engineering.in): the company, even when one of its words begins a title ('Engineering')."""
    forms = legal_forms()
    key = skeleton("".join(t for t in tokens(text) if _bare(t) not in forms))
    return len(key) >= MIN_DOMAIN_KEY and any(_domain_stem(d) == key for d in domains)


def _domain_stem(domain: str) -> str:
    """The domain's name as the line's key is made: words run together before the skeleton, which reads
    'i' and 'e' across a hyphen ('shakti-engineering') as it does inside a word ('ShaktiEngineering')."""
    return skeleton(re.sub(r"[\W_]", "", domain.split(".")[0]))


def _matches_domain(text: str, domains: list[str]) -> bool:
    """The company's name is often its web or mail domain: 'Northwind Traders' ~ northwind.com."""
    forms = legal_forms()
    key = skeleton("".join(t for t in tokens(text) if _bare(t) not in forms))
    for domain in domains:
        stem = _domain_stem(domain)
        if len(stem) >= 4 and len(key) >= 4 and (stem in key or key in stem):
            return True
    return False


def is_title(text: str) -> bool:
    if has_digit(text) or "@" in text or is_slogan(text):
        return False
    prefixes, whole, endings = _title_words()
    parts = [p for t in tokens(text) for p in fold(t).strip(",.").split("-") if p]
    return any(p.startswith(prefixes) or p in whole for p in parts) or any(
        len(p) >= 8 and p.endswith(endings) for p in parts)  # 'Einkaufsleiterin'


@cache
def _title_words() -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]:
    """Title stems a word may start with (over 3 letters), short ones it must equal ('cto'), and endings:
    as tuples, one startswith/endswith call a word instead of one per stem (is_title ran ~1 s a 30 cards)."""
    stems = words("title_words")
    return (tuple(sorted(s for s in stems if len(s) > 3)), frozenset(s for s in stems if len(s) <= 3),
            tuple(sorted(words("title_endings"))))


def is_slogan(text: str) -> bool:
    return bool({fold(t).strip(",.!") for t in tokens(text)} & words("slogan_words"))


def is_enumeration(text: str) -> bool:
    """A list of goods or services ('Escrituras, Inventários, Divorcio, União Estável'): three items or more
    between commas and no legal form; no company, name or title is written so."""
    return text.count(",") >= 2 and not has_legal_form(text) and not has_digit(text)


def is_service_mark(text: str) -> bool:
    """A line that is only a payment card's or phone network's mark, as shops print them ('VISA', 'Master Card',
    'Nextel'; lexicons/service_marks.txt): it names what the shop accepts, never the shop."""
    folded = " ".join(fold(t).strip(",.!:()") for t in tokens(text))
    return folded in words("service_marks") or all(t in words("service_marks") for t in folded.split())


def has_trade_word(text: str) -> bool:
    """A word naming a trade or a shop (lexicons/trade_words.txt): 'Auto Peças', 'Funilaria', 'Buffet'."""
    return any(is_trade_word(fold(t).strip(",.!:()")) for t in tokens(text))


MIN_TRADE_PART = 3  # letters of each half of a compound trade word ('bar', 'pet' are trade words)


def is_trade_word(folded: str) -> bool:
    """A folded word that names a trade, or two trade words written as one: a compound ('autowerkstatt',
    'autosocorro' as OCR runs 'AUTO SOCORRO' together) names a trade as its parts do."""
    trades = words("trade_words")
    return folded in trades or any(
        folded[:n] in trades and folded[n:] in trades
        for n in range(MIN_TRADE_PART, len(folded) - MIN_TRADE_PART + 1))


def is_department(text: str) -> bool:
    if has_digit(text):  # 'Unit 28, 184 Bishopsgate' is an address
        return False
    folded = fold(text)
    first = folded.split()[0] if folded.split() else ""
    return any(first.startswith(w) for w in words("department_words")) or any(
        f" {w}" in f" {folded}" for w in words("department_words") if " " in w or w.endswith("ment")
    ) or _ends_in_department_noun(folded) or _ends_in_department_head(text) or _led_by_department_noun(text)


def _led_by_department_noun(text: str) -> bool:
    """'Service Commercial', 'Pôle Innovation': a short line (2-5 words) whose first word is a department noun
    that also begins titles (lexicons/department_leads.txt), and nothing after it a title word or legal form."""
    parts = tokens(text)
    return (2 <= len(parts) <= 5 and fold(parts[0]).strip(",.") in words("department_leads")
            and not is_title(" ".join(parts[1:])) and not has_legal_form(text))


def _ends_in_department_head(text: str) -> bool:
    """'Sales Section', 'Corporate Planning Group', 'Abteilung Vertrieb' aside: a short line (2-5 words)
    ending in a department noun (lexicons/department_heads.txt) and naming no company by a legal form."""
    parts = [fold(t).strip(",.") for t in tokens(text)]
    return 2 <= len(parts) <= 5 and parts[-1] in words("department_heads") and not has_legal_form(text)


def _ends_in_department_noun(folded: str) -> bool:
    """'Коммерческий отдел', 'Финансовая служба': a Russian department noun in the nominative, last. In a
    title it stands in the genitive ('Начальник отдела'), so the ending tells the two apart."""
    last = folded.split()[-1].strip(",.") if folded.split() else ""
    return bool(re.fullmatch(r"[а-я]+", last)) and last in words("department_words")


CONNECTORS = frozenset({"of", "and", "&", "for", "по", "и", "в", "с", "отдела", "департамента", "-", "–", "—"})


def title_continues(upper: str, lower: str) -> bool:
    """A title broken over two lines: the second starts in lower case, the first ends on a
    connecting word or a comma, or both are set in capitals."""
    if not lower or has_digit(lower) or "@" in lower:
        return False
    last = fold(upper.split()[-1]) if upper.split() else ""
    trailing = upper.rstrip()[-1:] in (",", "&", "-", "–", "/")  # 'Vice President,' / 'Business Development'
    return (lower[0].islower() or last in CONNECTORS or trailing or (upper.isupper() and lower.isupper())
            or _completes(last, lower))


def _completes(last: str, lower: str) -> bool:
    """'Chief Technology' / 'Officer': a lone head noun under a title that lacks one."""
    heads = words("title_heads")
    return len(lower.split()) == 1 and fold(lower).strip(",.") in heads and last.strip(",.") not in heads


def join_lines(lines: list[OcrLine], indices: list[int]) -> str:
    """The lines as one; a comma that ended a line inside the title is part of it ('Vice President, ...')."""
    parts = [clean_line(lines[i].text) for i in indices]
    kept = [p + "," if lines[i].text.rstrip().endswith(",") and n < len(parts) - 1 else p
            for n, (i, p) in enumerate(zip(indices, parts, strict=True))]
    return " ".join(kept)
