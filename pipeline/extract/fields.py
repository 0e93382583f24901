"""Stage 4: OCR lines -> contact fields.

Pattern fields (phones, e-mails, links) are found first by the libraries that know their
syntax; the lines they use are then out of the running for name, company, title and address,
which are told apart by lexicons and layout.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence

from pipeline.core.config import Settings
from pipeline.core.types import CardFields, OcrLine, OcrResult
from pipeline.extract.address import SEED as ADDRESS_SEED
from pipeline.extract.address import address_score, find_address
from pipeline.extract.calibration import GUESS_BELOW, calibrate, card_quality, raw_confidences
from pipeline.extract.codes import merge_code, parse_code
from pipeline.extract.country import RegionEvidence, area_code, card_region
from pipeline.extract.emails import find_emails
from pipeline.extract.layout import stacked
from pipeline.extract.lexicon import fold, words
from pipeline.extract.lines import classify
from pipeline.extract.mailbox import rejoin_with_name, repair_with_name, unglue_label
from pipeline.extract.names import (
    MIN_GUESS_CONF,
    MIN_SCORE,
    NameEvidence,
    candidates,
    find_alias,
    repair_name_words,
    score_name,
    split_name,
    title_tail,
)
from pipeline.extract.org import (
    clean_company,
    company_score,
    corroborated,
    has_legal_form,
    has_trade_word,
    is_department,
    is_enumeration,
    is_service_mark,
    is_slogan,
    is_title,
    join_lines,
    spells_domain,
    title_continues,
)
from pipeline.extract.phones import find_phones
from pipeline.extract.runons import part_runons
from pipeline.extract.scripts import latin_card_lines, one_script_lines
from pipeline.extract.text import clean_line, has_digit, script
from pipeline.extract.translit import skeleton
from pipeline.extract.web import find_handles, find_links

__all__ = ["extract", "pattern_lines"]

GUESS = 0.5  # confidence factor for a field picked without positive evidence
# The median word height is a poor measure of a title line's type size: a line of Cyrillic lower case
# ('с ключевыми клиентами') has no ascenders and measures ~0.6 of the line above it in the same size.
TITLE_SIZE_RATIO = 1.8
Probabilities = dict[int, dict[str, float]]  # the line classifier's view of each free line (lines.py)
# Where the rules find no title, or only a weak company, a line the classifier is this sure of is taken.
# Measured on generated sets seeds 13 and 14 (never the held-out ones): used more widely, to re-rank
# name candidates or to join a title's second line, it lost more cards than it won (docs/accuracy.md).
SURE_TITLE = 0.7
NAME_VETO = 0.03  # measured on real_cards and seeds 11, 13: 0.1 vetoed real names no lexicon knows
KNOWN_NAME = 2.5  # score_name with a known given or family name or a patronymic in it (spared the veto)
SURE_COMPANY = 0.7
BRAND_LINES = 3  # lines a word is printed on that make it a brand, not a person's name
MIN_BRAND = 4  # letters of such a word ('de', 'and' are on many lines of any card)
# A shop's name set large over several lines: lines at least this share of the tallest's type size, set against
# it, join it (at most this many lines). Measured on real_cards (logotypes of 2-4 lines at 0.6-1.4 of the tallest).
LOGO_SIZE = 0.6
MAX_LOGO_LINES = 4
LOGO_OVER_TEXT = 1.3  # a logotype's type against the card's median line: smaller, and there is none to gather
MIN_LETTERS = 3  # letters of a line the classifier alone may pick
# A shop named after its owner: the owner's line set this tight under the trade's (gap against the smaller type)
# and in type of about the same size (against the trade's). Measured on real_cards: gaps 0.2-0.3, sizes 0.55-1.1.
OWNER_GAP = 0.5
OWNER_SIZE = (0.5, 1.25)
TITLE_GAP = 1.5  # line heights between the name and a title found by its place alone
# A line broken in two by OCR leaves its parts on one row this close (in line heights); a second column is farther.
ROW_GAP = 4.0
UNSHARED = 0.9  # confidence factor of a website whose domain no e-mail on the card shares
EMAIL_DOMAIN = re.compile(r"@([\w-]+(?:\.[\w-]+)+)")


def tidied(ocr: OcrResult) -> OcrResult:
    """The lines as extraction and the line classifier read them: one script per line, a Latin card's look-alike
    lines back in Latin, e-mails run into their neighbours parted."""
    return part_runons(latin_card_lines(one_script_lines(ocr)))


def extract(ocr: OcrResult, settings: Settings | None = None, codes: Sequence[str] = ()) -> CardFields:
    """The fields of one card from its OCR lines, and from its QR codes when it has any (they win)."""
    settings = settings or Settings()
    ocr = tidied(ocr)
    lines = list(ocr.lines)
    fields = CardFields(text=ocr.text, language=script(ocr.text))
    evidence = card_region(ocr.text, settings.region)
    region = evidence.region
    taken, email_lines = _patterns(fields, lines, evidence)
    domains = _domains(fields)
    probs = classify(lines, set(range(len(lines))) - taken, domains, (ocr.width, ocr.height))
    owners = _owners(lines, taken, _mailboxes(fields))
    name_lines = _name(fields, lines, taken, domains, probs, owners)
    if fields.name:
        names = [fields.name, *fields.aliases]
        fields.emails = list(dict.fromkeys(
            _mailbox_repairs(e, email_lines.get(e, ""), names) for e in fields.emails))
    vouched = _company(fields, lines, taken, domains, probs, owners)
    _title_and_department(fields, lines, taken, name_lines, probs)
    address_lines, fields.address = find_address(lines, taken | owners.keys())
    if fields.address:
        fields.confidence["address"] = round(min(lines[i].conf for i in address_lines), 3)
        taken.update(address_lines)
    if not fields.company:
        _company_by_layout(fields, lines, taken, probs, owners)
    raw_confidences(fields, card_quality(lines), region, settings.lang)
    calibrate(fields, settings.ocr_engine)
    if vouched and "company" in fields.confidence:
        # The card vouches for it (legal form and quotes, or its own domain): calibration, fitted on companies of
        # every kind, puts these at 0.5 (docs/accuracy.md, Held fields); they are not held for a person to check.
        fields.guesses = [g for g in fields.guesses if g != "company"]
        fields.confidence["company"] = max(fields.confidence["company"], GUESS_BELOW)
    for text in codes:  # after calibration: what a QR code says is certain (confidence 1.0), not read
        found = parse_code(text, region)
        if found:
            merge_code(fields, found)
    fields.codes = list(codes)
    return fields


def pattern_lines(ocr: OcrResult, settings: Settings | None = None) -> tuple[set[int], list[str]]:
    """The lines that hold a phone, e-mail or link, and the card's domains: what the line classifier
    is not asked about, and part of what it is told (for training it on the same footing)."""
    fields = CardFields()
    ocr = tidied(ocr)
    taken, _ = _patterns(fields, list(ocr.lines), card_region(ocr.text, (settings or Settings()).region))
    return taken, _domains(fields)


def _patterns(fields: CardFields, lines: list[OcrLine], evidence: RegionEvidence) -> tuple[set[int], dict[str, str]]:
    """Phones, links and e-mails into `fields`; returns the lines they took and each e-mail's line text."""
    taken: set[int] = set()
    local = False  # a number printed without its country code: its country is only as good as the evidence
    area = area_code("\n".join(line.text for line in lines), evidence.region)
    for p in find_phones(lines, evidence.region, fallback=evidence.unfounded, place_area=area):
        fields.phones.append(p.phone)
        if p.placed and "phones" not in fields.guesses:  # its area code is the address's, not printed
            fields.guesses.append("phones")
        taken.add(p.line)
        fields.confidence["phones"] = min(fields.confidence.get("phones", 1.0), p.confidence)
        local |= not p.phone.raw.lstrip().startswith("+") if p.phone.raw else True
    if local and evidence.guessed and "phones" not in fields.guesses:
        fields.guesses.append("phones")
        if evidence.stated:  # the user's --region: still a guess to show, not one to hold (doubt.held_fields)
            fields.assumed.append("phones")
    links = find_links(lines) + find_handles(lines, taken)
    hosts = {_host(e) for e in _emails_in(lines)}
    for link in links:
        (fields.social if link.social else fields.websites).append(link.url)
        taken.add(link.line)
        key = "social" if link.social else "websites"
        # A site whose domain no e-mail on the card shares may be a fragment ('ve.com' of 'cargocollective.com').
        agreed = link.social or _host(link.url).removeprefix("www.") in hosts
        fields.confidence[key] = min(fields.confidence.get(key, 1.0), link.confidence * (1.0 if agreed else UNSHARED))
    email_lines: dict[str, str] = {}
    for e in find_emails(lines, {_host(w) for w in fields.websites}):
        fields.emails.append(e.address)
        email_lines[e.address] = lines[e.line].text
        taken.add(e.line)
        fields.confidence["emails"] = min(fields.confidence.get("emails", 1.0), e.confidence)
    return taken, email_lines


def _emails_in(lines: list[OcrLine]) -> list[str]:
    """The e-mail domains printed on the card, as https URLs (to compare hosts with the websites)."""
    return ["https://" + m.group(1).lower() for line in lines for m in EMAIL_DOMAIN.finditer(line.text)]


def _domains(fields: CardFields) -> list[str]:
    return [e.split("@", 1)[1] for e in fields.emails] + [_host(w) for w in fields.websites]


def _host(url: str) -> str:
    return url.split("//", 1)[1].split("/", 1)[0]


def _mailboxes(fields: CardFields) -> tuple[str, ...]:
    return tuple(e.split("@", 1)[0] for e in fields.emails)


def _name(fields: CardFields, lines: list[OcrLine], taken: set[int], domains: list[str],
          probs: Probabilities, owners: dict[int, int]) -> tuple[int, ...]:
    """Find the name; returns the lines it was read from."""
    evidence = NameEvidence(mailboxes=_mailboxes(fields), domains=tuple(domains))
    # A name of the right shape but no known given name ('Business Development', 'Salt Lake') that the
    # classifier finds nothing like a name is passed over.
    # A name no lexicon knows is taken on its form and place, but not from a line OCR could hardly read.
    brands = _repeated_words(lines)
    # A name the card's e-mail spells ('INIGO RUIZ', iruiz@) is spared the classifier's veto: the mailbox is
    # evidence of the person as a lexicon's given name is, and it holds names no lexicon lists.
    spelled = NameEvidence(mailboxes=evidence.mailboxes)
    cands = [c for c in candidates(lines, taken, evidence)
             if not {fold(w) for w in c.text.split()} & brands and not set(c.lines) & owners.keys()
             and not any(is_service_mark(lines[i].text) for i in c.lines)
             and (score_name(c.text) >= KNOWN_NAME
                  or ((_p(probs, c.lines, "name") >= NAME_VETO or spelled.bonus(c.text) > 0)
                      and min(lines[i].conf for i in c.lines) >= MIN_GUESS_CONF))]
    if not cands:
        return ()
    best = cands[0]
    if best.score < MIN_SCORE:
        return ()
    fields.name = clean_line(best.text)
    fields.name_parts = split_name(fields.name)
    line_conf = min(lines[i].conf for i in best.lines)
    fields.confidence["name"] = round(line_conf * min(1.0, 0.55 + 0.1 * best.score), 3)
    if score_name(best.text) < KNOWN_NAME:  # no known given name or patronymic: picked by layout alone
        fields.guesses.append("name")
    taken.update(best.lines)
    if len(best.lines) == 1:
        cut = title_tail(repair_name_words(lines[best.lines[0]].text))
        if cut and cut[0] == best.text:
            fields.title = clean_line(cut[1])  # kept unless the card prints a title of its own elsewhere
            fields.confidence["title"] = round(line_conf * GUESS, 3)
    others = [c for c in cands[1:] if not set(c.lines) & set(best.lines)]
    alias = find_alias(fields.name, others)
    if alias:
        fields.aliases.append(clean_line(alias.text))
        taken.update(alias.lines)
    _prefer_cyrillic_name(fields)
    return best.lines


def _repeated_words(lines: list[OcrLine]) -> set[str]:
    """Words printed on BRAND_LINES lines or more ('PATRICAUTO' in the logo, the pattern behind it, the footer): a
    brand, which a person's name is not (it is printed once, perhaps again in the e-mail)."""
    counts: dict[str, int] = {}
    for line in lines:
        for word in {fold(w).strip(",.:()") for w in line.text.split()}:
            if len(word) >= MIN_BRAND and word.isalpha():
                counts[word] = counts.get(word, 0) + 1
    return {w for w, n in counts.items() if n >= BRAND_LINES}


def _owners(lines: list[OcrLine], taken: set[int], mailboxes: tuple[str, ...]) -> dict[int, int]:
    """A shop named after its owner ('AUTO SOCORRO' over 'R. OLIVEIRA', 'MECÂNICA, FUNILARIA E PINTURA' over
    'FLÁVIO E VALDEQUE', 'BÄCKEREI' over 'K. MÜLLER'): a line of a name's form set tight under a line naming a
    trade, both in capitals, in type of about the same size, is the rest of the shop's name, not a person's.
    Returns each such owner line with the trade line it completes; a name the card's e-mail spells is a person's."""
    out: dict[int, int] = {}
    spelled = NameEvidence(mailboxes=mailboxes)
    for i, shop in enumerate(lines):
        if i in taken or not _capitals(shop.text) or not has_trade_word(shop.text):
            continue
        for j, owner in enumerate(lines):
            if (j in taken or j == i or j in out or not _capitals(owner.text) or score_name(owner.text) <= 0
                    or spelled.bonus(owner.text) > 0):
                continue
            gap = owner.top - shop.bottom
            size = owner.height / max(1.0, shop.height)
            if (-0.2 * owner.height <= gap <= OWNER_GAP * min(shop.height, owner.height)
                    and OWNER_SIZE[0] <= size <= OWNER_SIZE[1] and _overlap(shop, owner) > 0):
                out[j] = i
    return out


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= MIN_LETTERS and all(c.isupper() for c in letters)


def _overlap(a: OcrLine, b: OcrLine) -> int:
    return min(_right(a), _right(b)) - max(a.left, b.left)


def _with_owner(block: list[int], owners: dict[int, int]) -> list[int]:
    """The shop's name and its owner's line under it (_owners), in reading order."""
    more = [j for j, i in owners.items() if i in block and j not in block]
    return [*block, *more]


def _p(probs: Probabilities, indices: tuple[int, ...], kind: str) -> float:
    """The classifier's mean probability that these lines hold `kind`; 1.0 (no objection) without a model."""
    seen = [probs[i][kind] for i in indices if i in probs]
    return sum(seen) / len(seen) if seen else 1.0


def _sure(probs: Probabilities, lines: list[OcrLine], taken: set[int], kind: str, threshold: float) -> int | None:
    """The free line the classifier is surest holds `kind`, when it is at least `threshold` sure; never a
    line of noise (fewer than three letters, or one OCR could hardly read: 'ку' on a photo's logo)."""
    free = [i for i in probs if i not in taken and probs[i][kind] >= threshold
            and sum(c.isalpha() for c in lines[i].text) >= MIN_LETTERS and lines[i].conf >= MIN_GUESS_CONF
            and not _never(lines[i].text, kind)]
    return max(free, key=lambda i: probs[i][kind]) if free else None


def _never(text: str, kind: str) -> bool:
    """What the classifier, trained on generated cards, may not take for `kind` on a shop's card: a tagline
    ('Aceitamos os cartões') or a list of goods ('Escrituras, Inventários, Divórcio') is no field at all, and a
    line naming a trade ('Supermercado de Auto Peças', 'Mecânica, Funilaria e Pintura') is no title or name."""
    aside = text.strip().startswith("(") and text.strip().endswith(")")  # '(Guina)': a nickname, a note
    return (aside or "@" in text or is_slogan(text) or is_enumeration(text) or is_service_mark(text)
            or (kind in ("title", "name") and has_trade_word(text)))


def _mailbox_repairs(address: str, line: str, names: list[str]) -> str:
    return repair_with_name(rejoin_with_name(unglue_label(address, line, names), line, names), names)


def _prefer_cyrillic_name(fields: CardFields) -> None:
    """On a bilingual card the Russian form is the main name and the Latin one the alias."""
    if fields.name and fields.aliases and script(fields.name) == "en" and script(fields.aliases[0]) == "ru":
        fields.name, fields.aliases = fields.aliases[0], [fields.name]
        fields.name_parts = split_name(fields.name)


def _company(fields: CardFields, lines: list[OcrLine], taken: set[int], domains: list[str],
             probs: Probabilities, owners: dict[int, int]) -> bool:
    """Find the company by form, quotes or domain; True when the card vouches for it (org.corroborated)."""
    scored = [(company_score(line, domains), i) for i, line in enumerate(lines) if i not in taken]
    # A title line may name a company word ("Advisors"); a legal form outweighs that, and so does the card's
    # domain spelling the whole line ('Shakti Engineering', shakti-engineering.in).
    scored = [(s, i) for s, i in scored
              if s >= 3 or (s > 0 and (not is_title(lines[i].text) or spells_domain(lines[i].text, domains)))]
    if not scored:
        return False
    score, index = max(scored, key=lambda si: (si[0], lines[si[1]].height))
    if score < 3:  # no legal form, quotes or domain behind it: the classifier may know better
        sure = _sure(probs, lines, taken, "company", SURE_COMPANY)
        index = index if sure is None else sure
    block = _with_owner(_with_descriptor(lines, taken, _grown_by_domain(lines, taken, index, domains)), owners)
    fields.company = clean_company(" ".join(lines[i].text for i in block))
    share = 1.0 if score >= 3 else GUESS + 0.1 * score
    fields.confidence["company"] = round(min(lines[i].conf for i in block) * share, 3)
    vouched = corroborated(fields.company, domains)
    if score < 3 and not vouched:
        fields.guesses.append("company")
    taken.update(block)
    return vouched


def _with_descriptor(lines: list[OcrLine], taken: set[int], block: list[int]) -> list[int]:
    """The company's name and the line right under it in smaller type that says what kind of business it is
    ('BELTIS' over 'IT Solutions', 'Microvida' over 'Informática'): one to three words, one of them a business
    noun (trade_words.txt), no title, department, tagline or address."""
    last = lines[block[-1]]
    below = [j for j in range(len(lines)) if j not in taken and j not in block and lines[j].top >= last.top
             and _adjacent(last, lines[j]) and lines[j].height <= last.height and _descriptor(lines[j].text)]
    return [*block, min(below, key=lambda j: lines[j].top)] if below else block


def _descriptor(text: str) -> bool:
    words_ = text.split()
    return (1 <= len(words_) <= 3 and has_trade_word(text) and "," not in text and not has_digit(text)
            and not is_title(text)
            and not is_department(text) and not _never(text, "company") and address_score(text) == 0)


def _grown_by_domain(lines: list[OcrLine], taken: set[int], index: int, domains: list[str]) -> list[int]:
    """The company line and the lines set right above or below it that spell the rest of the card's domain, in
    reading order: a logotype in two sizes ('nog' over 'design', nogdesign.blogspot.com; 'DOMINIO' over 'AUTO
    PECAS', autopecasdominio.com.br) is one name, the domain says so."""
    stems = [domain_key(d.split(".")[0]) for d in domains]
    stem = next((s for s in stems if len(s) >= 4 and domain_key(lines[index].text) in s), None)
    if stem is None:
        return [index]
    block = [index]
    while True:
        covered = "".join(domain_key(lines[i].text) for i in block)
        more = [j for j in range(len(lines)) if j not in taken and j not in block
                and len(key := domain_key(lines[j].text)) >= MIN_LETTERS and key in stem and key not in covered
                and len(covered) + len(key) <= len(stem) and any(_adjacent(lines[i], lines[j]) for i in block)]
        if not more:
            return sorted(block, key=lambda i: lines[i].top)
        block.append(min(more, key=lambda j: min(abs(lines[j].top - lines[i].top) for i in block)))


def _right(line: OcrLine) -> int:
    return max(w.left + w.width for w in line.words)


def domain_key(text: str) -> str:
    """Letters only, without diacritics, for comparing a line with a domain ('PEÇAS' ~ 'pecas')."""
    return skeleton("".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)))


def _adjacent(a: OcrLine, b: OcrLine) -> bool:
    """b is set right above or below a (the gap under the taller's height), their columns overlapping."""
    upper, lower = (a, b) if a.top <= b.top else (b, a)
    gap = lower.top - upper.bottom
    overlap = min(_right(a), _right(b)) - max(a.left, b.left)
    return gap <= max(a.height, b.height) and overlap > 0


def _company_by_layout(fields: CardFields, lines: list[OcrLine], taken: set[int], probs: Probabilities,
                       owners: dict[int, int]) -> None:
    """No line names a company by form, quotes or domain: the line the classifier is sure of, else the
    tallest line left that is words only (a logotype like 'ПромАвтоматика'), as a guess; an owner's line goes
    with its trade's."""
    unowned = taken | owners.keys()
    index = _sure(probs, lines, unowned, "company", SURE_COMPANY)
    if index is None:
        # A guess from a line OCR could hardly read is noise more often than a logotype.
        left = [i for i, line in enumerate(lines)
                if i not in unowned and line.conf >= MIN_GUESS_CONF and _bare_words(line.text)]
        if not left:
            return
        index = max(left, key=lambda i: (lines[i].height, -lines[i].top))
    block = _with_owner(_logotype(lines, unowned, index), owners)
    company = clean_company(" ".join(lines[i].text for i in block))
    if sum(c.isalpha() for c in company) < MIN_LETTERS:  # 'dc ЛО у' is debris around one letter
        return
    fields.company = company
    fields.confidence["company"] = round(min(lines[i].conf for i in block) * GUESS, 3)
    fields.guesses.append("company")
    taken.update(block)


def _logotype(lines: list[OcrLine], taken: set[int], index: int) -> list[int]:
    """The tallest line and the lines set against it in type nearly as large, in reading order: a shop's name
    set large over two or three lines ('DESPACHANTE' / '1000' / 'Milhas'; 'Flores' 'Nossa' / 'Senhora de'
    'Fatima') is one name."""
    block = [index]
    floor = LOGO_SIZE * lines[index].height
    if lines[index].height < LOGO_OVER_TEXT * statistics.median(line.height for line in lines):
        return block  # type no larger than the card's text: no logotype to gather
    while len(block) < MAX_LOGO_LINES:
        more = [j for j in range(len(lines)) if j not in taken and j not in block and lines[j].height >= floor
                and lines[j].conf >= MIN_GUESS_CONF and len(lines[j].text.split()) <= 4
                and not _never(lines[j].text, "company")
                and (address_score(lines[j].text) == 0 or not any(c.isalpha() for c in lines[j].text))
                and any(_adjacent(lines[i], lines[j]) or _beside(lines[i], lines[j]) for i in block)]
        if not more:
            break
        block.append(more[0])
    return sorted(block, key=lambda i: (lines[i].top, lines[i].left))


def _beside(a: OcrLine, b: OcrLine, gap_heights: float = 1.0) -> bool:
    """b is set on a's row, right before or after it (a gap under `gap_heights` of the taller's height)."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    gap = max(a.left, b.left) - min(_right(a), _right(b))
    return overlap >= 0.5 * min(a.height, b.height) and gap <= gap_heights * max(a.height, b.height)


def _bare_words(text: str) -> bool:
    """1-4 words of letters, none a title, department, slogan or name: what a bare company name looks like."""
    words_ = text.split()
    letters = sum(c.isalpha() for c in text)
    if any(w[:1] in "@#" for w in words_):  # a social handle ('@EspacoVillimpenta') names an account
        return False
    if not 1 <= len(words_) <= 4 or letters < 4 or letters < 0.8 * len(text.replace(" ", "")):
        return False
    if {fold(w) for w in words_} & words("department_words"):  # 'Юридический отдел'
        return False
    # The name is taken by now: a line shaped like one but of no known name ('Cesky Software') may be the company.
    return not (is_title(text) or is_department(text) or _never(text, "company") or score_name(text) >= KNOWN_NAME
                or address_score(text) > 0)


def _title_goes_on(lines: list[OcrLine], title_lines: list[int], i: int) -> bool:
    """Line i carries on the title (or department) just above it, set over two lines."""
    if not title_lines:
        return False
    upper, lower = lines[title_lines[-1]], lines[i]
    return (stacked(upper, lower, max_ratio=TITLE_SIZE_RATIO) and title_continues(upper.text, lower.text)
            and address_score(lower.text) < ADDRESS_SEED)  # 'г. Калининград, ...' starts in lower case too


def _lead_in(lines: list[OcrLine], taken: set[int], first: int) -> list[int]:
    """The line just above the title's first line when it is the title's start: 'Системный' over
    'администратор' (only the lower half is a title word the lexicon knows)."""
    above = [j for j in range(len(lines)) if j not in taken and j != first and _title_goes_on(lines, [j], first)
             and not _never(lines[j].text, "title")]
    # A lone head noun ('Manager' under 'Deputy General') is the end of a title whose first words the lexicon lacks.
    lone_head = fold(lines[first].text).strip(",. ") in words("title_heads")
    return above[:1] if lines[first].text[:1].islower() or lone_head else []


def _title_and_department(fields: CardFields, lines: list[OcrLine], taken: set[int],
                          name_lines: tuple[int, ...], probs: Probabilities) -> None:
    starts: list[int] = []
    for i, line in enumerate(lines):
        if i in taken:
            continue
        if is_department(line.text) and not fields.department:
            dept_lines = [i, *_continuation(lines, taken, [i])]
            fields.department = join_lines(lines, dept_lines)
            fields.confidence["department"] = round(min(lines[j].conf for j in dept_lines), 3)
            taken.update(dept_lines)
        elif is_title(line.text) and not is_department(line.text):  # 'Departamento Técnico' has a title word
            starts.append(i)
    learned = not starts  # no title word the lexicon knows: a line the classifier is sure of, as a guess
    if learned and fields.title:  # the title set on the name's line, split off it
        fields.guesses.append("title")
        return
    if learned:
        sure = _sure(probs, lines, taken, "title", SURE_TITLE)
        starts = [sure] if sure is not None else []
    if not starts and name_lines:
        placed = _title_by_place(lines, taken, name_lines)
        starts = [placed] if placed is not None else []
    if not starts:
        return
    # A bilingual card prints the title twice: the one in the name's script is the title.
    main = script(fields.name or fields.text)
    in_script = [i for i in starts if script(lines[i].text) == main] or starts
    first = min(in_script, key=lambda i: _distance_from_name(lines, name_lines, i)) if name_lines else in_script[0]
    title_lines = [*_lead_in(lines, taken, first), first, *_continuation(lines, taken, [first])]
    fields.title = join_lines(lines, title_lines)
    fields.confidence["title"] = round(min(lines[i].conf for i in title_lines) * (GUESS if learned else 1.0), 3)
    if learned:
        fields.guesses.append("title")
    taken.update(title_lines)


def _title_by_place(lines: list[OcrLine], taken: set[int], name_lines: tuple[int, ...]) -> int | None:
    """A title in words no lexicon holds ('Proje Yöneticisi'): the short line of words set right under
    the name, in its column, in type no larger than the name's, that is nothing else (company, address,
    department). A line of another column (a list of services beside the name) is no title."""
    name_height = max(lines[j].height for j in name_lines)
    below = [i for i in range(len(lines)) if i not in taken and _title_shaped(lines[i])
             and lines[i].height <= name_height * 1.05 and any(_overlap(lines[i], lines[j]) > 0 for j in name_lines)
             and 0 <= _distance_from_name(lines, name_lines, i) * _gap_scale(lines, name_lines, i) <= TITLE_GAP
             and not (lines[i].text[:1].islower() and _row_shared(lines, taken, i))]
    return min(below, key=lambda i: _distance_from_name(lines, name_lines, i)) if below else None


def _row_shared(lines: list[OcrLine], taken: set[int], i: int) -> bool:
    """Another free line set on line i's row, near it: with a lower-case start, line i is the tail of a line OCR
    broke ('удел техн' 'кой поддержки' of 'Отдел технической поддержки'), and a fragment is no title. A title in
    capitals beside a second column ('Technical Director' ... 'Ha Noi') stands."""
    return any(j != i and j not in taken and _beside(lines[i], lines[j], ROW_GAP) for j in range(len(lines)))


def _gap_scale(lines: list[OcrLine], name_lines: tuple[int, ...], i: int) -> float:
    """The space under a name grows with the name's type ('Directrice commerciale' 1.9 of its own heights under a
    name set twice as large): a distance below the name in the title's heights, rescaled to the two lines' mean
    height. A line over the name keeps its measure (a tagline there is the usual impostor)."""
    if lines[i].top < max(lines[j].bottom for j in name_lines):
        return 1.0
    name_height = max(lines[j].height for j in name_lines)
    return lines[i].height / max(1.0, (lines[i].height + name_height) / 2)


def _title_shaped(line: OcrLine) -> bool:
    text, words_ = line.text, line.text.split()
    letters = sum(c.isalpha() for c in text)
    if not (1 <= len(words_) <= 5 and letters >= MIN_LETTERS and line.conf >= MIN_GUESS_CONF):
        return False
    return letters >= 0.85 * len(text.replace(" ", "")) and not has_digit(text) and not (
        is_department(text) or _never(text, "title") or address_score(text) > 0 or has_legal_form(text))


def _distance_from_name(lines: list[OcrLine], name_lines: tuple[int, ...], i: int) -> float:
    """How far line i is from the name, in line heights; a title is set under the name far more often
    than over it (a tagline over the name is the usual impostor), so a line above counts double."""
    top = min(lines[j].top for j in name_lines)
    bottom = max(lines[j].bottom for j in name_lines)
    unit = max(1.0, lines[i].height)
    if lines[i].top >= bottom:
        return (lines[i].top - bottom) / unit
    return 2 * (top - lines[i].bottom) / unit + 1


def _continuation(lines: list[OcrLine], taken: set[int], title_lines: list[int]) -> list[int]:
    """Lines below the title's first line that carry it on, wherever OCR listed them."""
    more: list[int] = []
    while True:
        nxt = next((j for j in range(len(lines)) if j not in taken and j not in title_lines + more
                    and _title_goes_on(lines, title_lines + more, j)), None)
        if nxt is None:
            return more
        more.append(nxt)
