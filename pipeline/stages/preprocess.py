"""Stage 2: a page -> upright card images sized and toned for Tesseract."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.core.config import Settings
from pipeline.core.types import CardImage, Page
from pipeline.stages.detect import detect_cards, full_frame, warp
from pipeline.stages.enhance import light_evened, straighten
from pipeline.stages.geometry import inverse, quarter_turn, scaling, then
from pipeline.stages.ocr import get_engine

TARGET_LONG_SIDE = 1600  # px: puts 7-9 pt card text near the height Tesseract reads best (1300/2000: enhance.py)
MAX_UPSCALE = 3.0
# A card cut out small (a thumbnail, a card far off in the frame): an engine that reads its small print better
# enlarged further says to what long side (`OcrEngine.small_card_long_side`; PP-OCR's: docs/accuracy.md, Hard photos).
SMALL_CARD = 900  # px, the cut-out card's long side
SMALL_CARD_MAX_UPSCALE = 4.0
CROP_LONG_SIDE = 1000  # px: the stored card picture, legible, ~60-120 kB as JPEG
CROP_QUALITY = 85


def find_cards(page: Page) -> list[CardImage]:
    """Every card on the page, cut out and flattened; the whole page when no card edge is found."""
    quads = detect_cards(page.image)
    if not quads:
        quad = full_frame(page.image)
        return [CardImage(page.index, page.image, _flat(quad))]
    return [CardImage(page.index, warp(page.image, q), _flat(q)) for q in quads]


def normalise(card: CardImage, settings: Settings | None = None) -> CardImage:
    """Grey, light background, scaled so text lands near the height Tesseract's LSTM prefers, and a
    small skew undone (a scanned card not cut out, a print cluster's box at an angle)."""
    gray = card.image if card.image.ndim == 2 else cv2.cvtColor(card.image, cv2.COLOR_BGR2GRAY)
    stretch = get_engine(settings.ocr_engine).stretch_shaded if settings else None
    gray, plain = light_evened(gray, stretch)  # before the dark test: a shaded light card is not a dark one
    if _is_dark(gray):
        gray = 255 - gray
        plain = None if plain is None else 255 - plain
    scale = min(MAX_UPSCALE, TARGET_LONG_SIDE / max(gray.shape[:2]))
    small_target = get_engine(settings.ocr_engine).small_card_long_side if settings else None
    if small_target and max(gray.shape[:2]) < SMALL_CARD:
        scale = min(SMALL_CARD_MAX_UPSCALE, small_target / max(gray.shape[:2]))
    gray, moved = straighten(gray, scale if abs(scale - 1.0) > 0.1 else 1.0)
    # The cue only tells which side is up: the unstretched card at the same size serves, unstraightened.
    cue = None if plain is None else cv2.resize(plain, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_AREA)
    return CardImage(card.page, gray, card.bbox, card.rotation, then(card.from_cut, moved), cue)


def rotate(card: CardImage, degrees: int) -> CardImage:
    """Turn the card counter-clockwise by `degrees` (a multiple of 90) to undo a clockwise rotation.

    Turns add up: the result's `rotation` is everything undone since the card was cut out."""
    turns = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}
    if degrees % 360 == 0:
        return card
    height, width = card.image.shape[:2]
    return CardImage(card.page, cv2.rotate(card.image, turns[degrees % 360]), card.bbox,
                     (card.rotation + degrees) % 360, then(card.from_cut, quarter_turn(degrees, width, height)))


def encode_crop(card: CardImage) -> bytes:
    """The card as a person would want to see it again: colour, upright, JPEG."""
    image = card.image
    scale = crop_scale(card)
    if scale < 1:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, CROP_QUALITY])
    return data.tobytes() if ok else b""


def crop_scale(card: CardImage) -> float:
    """How much encode_crop shrinks the card (1: not at all)."""
    return min(1.0, CROP_LONG_SIDE / float(max(card.image.shape[:2])))


def to_crop(read: CardImage, stored: CardImage) -> tuple[float, float, float, float, float, float]:
    """The map from the pixels of the picture OCR read to those of the stored crop (`encode_crop(stored)`):
    both pictures come from the same cut-out card, so back to it, then forward."""
    return then(then(inverse(read.from_cut), stored.from_cut), scaling(crop_scale(stored)))


def _is_dark(gray: np.ndarray) -> bool:
    """A dark card with light text: most pixels are dark."""
    return float(np.median(gray)) < 100


def _flat(quad: np.ndarray) -> tuple[float, ...]:
    return tuple(round(float(v), 1) for v in quad.reshape(-1))
