"""Professional holidays (pipeline/lexicons/professional_days.toml): which ones a contact's job selects, and
when each next falls. The date rules are iCalendar RRULEs, computed by dateutil and written as they are into
`remind --ics`, so the reminder and the calendar can never disagree."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from importlib import resources

from dateutil.rrule import rrulestr

from models import Contact
from pipeline.book.merge import sorted_jobs
from pipeline.extract.lexicon import fold

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@dataclass(frozen=True)
class ProfessionalDay:
    ru: str
    en: str
    greeting_ru: str
    greeting_en: str
    countries: tuple[str, ...]  # ISO codes; "*" everywhere
    rule: str  # RRULE, e.g. FREQ=YEARLY;BYMONTH=8;BYDAY=2SU
    words: tuple[str, ...]  # folded; each must begin a word of the job's text

    def next_on(self, today: date) -> date:
        """The day on or after `today`."""
        start = datetime(today.year - 1, 1, 1)
        found: datetime | None = rrulestr(self.rule, dtstart=start).after(datetime.combine(today, time.min), inc=True)
        assert found is not None, f"{self.rule} never recurs"  # every rule in the file is yearly
        return found.date()

    def name(self, language: str) -> str:
        return self.ru if language == "ru" else self.en

    def greeting(self, language: str) -> str:
        return self.greeting_ru if language == "ru" else self.greeting_en

    def selects(self, job_text: str) -> bool:
        return self._pattern().search(job_text) is not None

    @cache  # noqa: B019 - a handful of days, each kept for the whole run
    def _pattern(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in self.words) + ")")


@cache
def professional_days() -> tuple[ProfessionalDay, ...]:
    raw = resources.files("pipeline").joinpath("lexicons", "professional_days.toml").read_text(encoding="utf-8")
    return tuple(ProfessionalDay(d["ru"], d["en"], d["greeting_ru"], d["greeting_en"], tuple(d["countries"]),
                                 d["rule"], tuple(fold(w) for w in d["words"])) for d in tomllib.loads(raw)["day"])


def contact_language(contact: Contact) -> str:
    """The language to write to a contact in: Russian when the name (or else the current job) is Russian."""
    jobs = sorted_jobs(contact.current_positions)
    text = contact.display_name or (" ".join(filter(None, (jobs[-1].title, jobs[-1].company))) if jobs else "")
    return "ru" if _CYRILLIC.search(text or "") else "en"


def contact_countries(contact: Contact) -> set[str]:
    """Where a contact's professional days are kept: Russia for a +7 phone or a Russian name or job; the
    international days everywhere."""
    russian = any(p.e164.startswith("+7") for p in contact.phones) or contact_language(contact) == "ru"
    return {"*", "RU"} if russian else {"*"}


def days_of(contact: Contact) -> list[ProfessionalDay]:
    """The professional days a contact's current job selects, by its title, department and company in either
    language. Of two days for one profession (the Russian and the international accountants' day) both count."""
    jobs = sorted_jobs(contact.current_positions)
    if not jobs:
        return []
    job = jobs[-1]
    text = fold(" | ".join(filter(None, (job.title, job.alt_title, job.department, job.company, job.alt_company))))
    countries = contact_countries(contact)
    return [d for d in professional_days() if countries & set(d.countries) and d.selects(text)]
