"""Which fields of a card wait for a person before they are believed.

A field that was guessed (picked by layout alone, no positive evidence) or read at a calibrated confidence below
REVIEW_BELOW is *doubtful*. A doubtful field other than the name is *held*: kept on the stored card and shown,
but not merged into the contact (so never exported, synced or matched on) until a person accepts or corrects
it. The name is never held, since a contact needs one: a doubtful name is filed and flagged for review.
"""

from __future__ import annotations

from typing import Any

from pipeline.core.types import CardFields
from pipeline.extract.calibration import GUESS_BELOW

# A field read at less than this calibrated confidence is checked by a person: the threshold below which
# calibration lists a field in `guesses`, one number under the name the review rule reads.
REVIEW_BELOW = GUESS_BELOW
# The JSON names of the fields that can be held: everything a contact is exported, synced or matched on but its name.
HOLDABLE = frozenset({"title", "department", "company", "address", "phones", "emails", "websites", "social"})


def doubtful(guesses: list[str], confidence: dict[str, Any]) -> list[str]:
    """The fields to check: guessed, or read at a confidence below REVIEW_BELOW."""
    low = {k for k, v in confidence.items() if isinstance(v, int | float) and v < REVIEW_BELOW}
    return sorted(set(guesses) | low)


def held_fields(fields: CardFields) -> list[str]:
    """The doubtful fields this card has a value for that are held back from the contact. A guess that rests
    only on what the user stated (`assumed`: phones read in the --region they gave) is shown, not held."""
    guesses = [g for g in fields.guesses if g not in fields.assumed]
    return [k for k in doubtful(guesses, fields.confidence) if k in HOLDABLE and _present(fields, k)]


def _present(fields: CardFields, key: str) -> bool:
    return bool(getattr(fields, key, None))
