"""Plain typed data that flows between the pipeline stages.

Each stage takes one of these and returns the next, so a stage can be run, tested and
replaced on its own: load -> Page -> preprocess -> CardImage -> ocr -> OcrResult -> extract -> CardFields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np

PhoneType = Literal["mobile", "work", "fax", "home", "other"]
Status = Literal["ok", "no_card", "error"]
Outcome = Literal["created", "merged", "unchanged", "needs_review"]


# The year a birthday without one is stored under (Apple's convention, a leap year so 29 February fits).
NO_YEAR = 1604


@dataclass(frozen=True)
class Page:
    """One decoded page of a source file (a JPEG has one, a TIFF or PDF may have many)."""

    index: int
    image: np.ndarray  # BGR, uint8, EXIF orientation already applied


@dataclass(frozen=True)
class SourceImage:
    path: Path
    sha256: str
    format: str
    pages: Sequence[Page]  # decoded one at a time when a file has several (see stages.load.LazyPages)
    taken_at: datetime | None = None  # when the photo was taken (EXIF), as the card's date


@dataclass(frozen=True)
class CardImage:
    """One card cut out of a page, upright and ready for OCR."""

    page: int
    image: np.ndarray  # BGR or grey, uint8
    bbox: tuple[float, ...] | None  # 8 numbers: corners in source pixels, clockwise from top-left
    rotation: int = 0  # clockwise degrees the card was turned in the source
    # Where this picture's pixels were in the card as cut out: (a, b, c, d, e, f) maps a cut-out pixel (x, y) to
    # (a x + b y + c, d x + e y + f) here (scaling, deskew and turns compose into it; see stages.geometry).
    from_cut: tuple[float, float, float, float, float, float] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    # The card as `image` but without the contrast stretch of shaded cards, where one was made: what the
    # orientation cue reads (stages.enhance.light_evened). Dropped by any turn.
    cue_image: np.ndarray | None = None


@dataclass(frozen=True)
class OcrWord:
    text: str
    conf: float  # 0..100 as Tesseract reports it
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class OcrLine:
    words: tuple[OcrWord, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def conf(self) -> float:
        """Mean word confidence, 0..1."""
        return sum(max(w.conf, 0.0) for w in self.words) / (100.0 * len(self.words))

    @property
    def height(self) -> float:
        """Median word height in pixels: a proxy for font size."""
        heights = sorted(w.height for w in self.words)
        return float(heights[len(heights) // 2])

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def centre(self) -> float:
        return (self.left + max(w.left + w.width for w in self.words)) / 2

    @property
    def bottom(self) -> int:
        return max(w.top + w.height for w in self.words)


@dataclass(frozen=True)
class OcrResult:
    lines: tuple[OcrLine, ...]
    width: int
    height: int

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Phone:
    number: str  # E.164
    type: PhoneType
    extension: str | None = None
    raw: str | None = None


@dataclass
class NameParts:
    given: str | None = None
    middle: str | None = None
    family: str | None = None
    prefix: str | None = None
    suffix: str | None = None


@dataclass
class CardFields:
    """The fields read off one card. This is the one field table: the JSON (`stages/report.py`), the terminal
    summary (the `show` label, in this order) and the stored card are all made from these declarations."""

    name: str | None = field(default=None, metadata={"show": "name"})
    name_parts: NameParts | None = None
    title: str | None = field(default=None, metadata={"show": "title"})
    department: str | None = field(default=None, metadata={"show": "department"})
    company: str | None = field(default=None, metadata={"show": "company"})
    address: str | None = field(default=None, metadata={"show": "address"})
    phones: list[Phone] = field(default_factory=list, metadata={"show": "phone"})
    emails: list[str] = field(default_factory=list, metadata={"show": "email"})
    websites: list[str] = field(default_factory=list, metadata={"show": "website"})
    social: list[str] = field(default_factory=list, metadata={"show": "social"})
    aliases: list[str] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    guesses: list[str] = field(default_factory=list)  # fields picked without positive evidence: check them
    # guesses resting only on the user's own setting (phones read in the --region they gave): shown, not held
    assumed: list[str] = field(default_factory=list)
    # what the card's QR codes say, verbatim
    codes: list[str] = field(default_factory=list, metadata={"json": "qr_codes"})
    language: str | None = None
    text: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.company or self.phones or self.emails or self.websites)


@dataclass(frozen=True)
class Reading:
    """One card read but not yet understood: all that extraction works from (and what `cardscan eval
    --ocr-cache` keeps, so a change to extraction is measured in seconds, not minutes of OCR)."""

    ocr: OcrResult
    codes: tuple[str, ...]  # QR codes, verbatim
    bbox: tuple[float, ...] | None
    page: int
    rotation: int
    crop: bytes | None = field(default=None, repr=False)
    # Maps the OCR's pixel positions to the stored crop's (stages.geometry), to draw the lines on the card.
    to_crop: tuple[float, float, float, float, float, float] | None = None


@dataclass(frozen=True)
class ReadLine:
    """One OCR line as the review page draws it: its box in the stored card picture's pixels (left, top, width,
    height) and the fields it became (JSON names: `name`, `phones`, ...; none for a line nothing took)."""

    text: str
    conf: float  # 0..1
    box: tuple[float, float, float, float]
    fields: tuple[str, ...] = ()


@dataclass
class CardResult:
    fields: CardFields
    bbox: tuple[float, ...] | None = None
    page: int = 0
    rotation: int = 0
    contact_id: int | None = None
    outcome: Outcome | None = None
    crop: bytes | None = field(default=None, repr=False)  # the upright card as JPEG, kept with the stored card
    candidates: list[int] = field(default_factory=list)  # contacts a card needing review may belong to
    # A card filed with held fields (pipeline.extract.doubt) has outcome needs_review; this says how it was filed.
    filed: Literal["created", "merged"] | None = None
    lines: list[ReadLine] = field(default_factory=list, repr=False)  # boxes on `crop`; none without a crop
    # Set once stored: whether the stored card waits in `cardscan review`, and the fields it holds. A rescan of a
    # card already reviewed holds nothing, whatever this reading would hold. None: not stored (judged by reading).
    in_review: bool | None = None
    held: list[str] | None = None


@dataclass
class ScanResult:
    """The result for one source file: what `cardscan scan --json` prints."""

    source: str
    sha256: str
    status: Status
    cards: list[CardResult] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    taken_at: datetime | None = None
    readings: list[Reading] = field(default_factory=list, repr=False)  # every card found, fields or not
