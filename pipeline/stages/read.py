"""The reading half of a scan: a source -> pages -> cards found -> upright card images -> OCR lines and QR codes.

Everything here runs before field extraction; `devtools/ocr_cache.py` keys its cache on the code this
module imports, so an edit here or below is never served an old reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from time import thread_time

from pipeline.core.config import Settings
from pipeline.core.types import CardImage, OcrResult, OcrWord, Page, Reading
from pipeline.stages.debug import DebugImages
from pipeline.stages.ocr import detect_rotation, get_engine, recognise
from pipeline.stages.orient import text_orientation
from pipeline.stages.preprocess import encode_crop, find_cards, normalise, rotate, to_crop
from pipeline.stages.qr import blank_codes, find_codes
from pipeline.stages.reread import reread_addresses, reread_digits

# Below this a reading is poor enough that the card may be turned: ask OSD and read again.
MIN_GOOD_CONF = 0.65
MIN_GOOD_WORDS = 6
# Turn a card lying on its side before the first reading, from the print's shape (~40-90 ms, no OCR,
# against ~0.6-1.3 s for an OSD call on the same machine): on 211 generated and real cards it never
# mistook the axis, but it got the direction wrong on 10 (9 of them 0 vs 180), where OSD erred once;
# so it only decides sideways, and OSD is still asked when the reading is poor. On 52 turned cards
# (seeds 3, 6) it cut the median time 2.31 -> 1.29 s with the same fields read.
CHEAP_SIDEWAYS = True
# At most two OCR readings per card while looking for its way up. Trying the quarter turns as well when
# neither the shape cue nor OSD knew the axis (up to 4 readings) gained no field on the real photos, which
# read poorly whichever way they are turned, so it would only cost time on them.


class StageTimer:
    """CPU seconds spent per stage, summed over the cards of a file (for `make bench`).

    CPU, not wall: the bench runs on shared machines, where a stage's wall time is mostly other people's
    work; the engines run one thread in the calling thread (OMP_THREAD_LIMIT=1), so this thread's CPU time
    is the stage's."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = thread_time()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + thread_time() - start


def read_page(page: Page, settings: Settings, timer: StageTimer, debug: DebugImages) -> list[Reading]:
    with timer("preprocess"):
        crops = find_cards(page)
    debug.page(page, crops)
    readings = []
    for number, crop in enumerate(crops, 1):
        with timer("extract"):
            codes = find_codes(crop.image)
        with timer("preprocess"):
            # OCR reads a code's modules as stray letters (a 'company' among them): it sees the card without.
            card = normalise(replace(crop, image=blank_codes(crop.image, codes)) if codes else crop, settings)
        card, ocr = _read_upright(card, settings, timer)
        with timer("ocr"):
            # An engine that reads addresses or digits better than Tesseract's eng says so (PP-OCR:
            # `reread_addresses = False`, `reread_digits = False`).
            if getattr(get_engine(settings.ocr_engine), "reread_addresses", True):
                ocr = reread_addresses(card.image, ocr, settings)
            if getattr(get_engine(settings.ocr_engine), "reread_digits", True):
                ocr = reread_digits(card.image, ocr, settings)
        debug.card(crop, number, "2-warped")
        debug.card(card, number, "3-normalised")
        debug.card(card, number, "4-ocr", ocr)
        stored = rotate(crop, card.rotation)
        readings.append(Reading(ocr, tuple(code.text for code in codes), _rotate_bbox(card.bbox, card.rotation),
                                card.page, card.rotation, crop=encode_crop(stored), to_crop=to_crop(card, stored)))
    return readings


def _read_upright(card: CardImage, settings: Settings, timer: StageTimer) -> tuple[CardImage, OcrResult]:
    """The card turned the way its text reads best, and that reading.

    One OCR reading when it is good. A poor one may be a turned card: it is read again as OSD says,
    or, when OSD gives no answer (as on many cards lying upside down: under uneven light, under an
    editor's rotation with the EXIF tag kept, with sparse right-aligned print), turned half way, the
    shape cue's usual mistake. The better reading is kept.
    """
    cue = None
    if CHEAP_SIDEWAYS:
        with timer("orientation"):
            cue = text_orientation(card.image if card.cue_image is None else card.cue_image)
        if cue in (90, 270):  # the shape cue is trusted for lying on a side, not for upside down
            card = rotate(card, cue)
    with timer("ocr"):
        ocr = recognise(card.image, settings)
    if _good(ocr):
        return card, ocr
    with timer("orientation"):
        osd = detect_rotation(card.image, settings)
    if osd:
        turn = osd
    elif osd is None or cue == 180:
        turn = 180
    else:
        return card, ocr  # OSD sure of upright, the shape cue not against it: a hard card, not a turned one
    rotated = rotate(card, turn)
    with timer("ocr"):
        ocr2 = recognise(rotated.image, settings)
    return (rotated, ocr2) if _quality(ocr2) > _quality(ocr) else (card, ocr)


def _words(ocr: OcrResult) -> list[OcrWord]:
    """Words of two letters or more: single characters are mostly noise and icons."""
    return [w for line in ocr.lines for w in line.words if len(w.text) > 1]


def _quality(ocr: OcrResult) -> float:
    return sum(max(w.conf, 0) for w in _words(ocr)) / 100.0


def _good(ocr: OcrResult) -> bool:
    words = _words(ocr)
    if len(words) < MIN_GOOD_WORDS:
        return False
    return sum(w.conf for w in words) / (100.0 * len(words)) >= MIN_GOOD_CONF


def _rotate_bbox(bbox: tuple[float, ...] | None, rotation: int) -> tuple[float, ...] | None:
    """Start the corners at the card's own top-left as printed, so a turned card's bbox says so."""
    if bbox is None or rotation % 360 == 0:
        return bbox
    shift = (rotation // 90) * 2
    return bbox[shift:] + bbox[:shift]


