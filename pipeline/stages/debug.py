"""`--debug-dir`: each stage's picture of a card, so a person can see why it was misread.

Files are named `<image>-p<page>[-c<card>]-<n>-<stage>.png`: the page with the cards found,
each card flattened, as prepared for OCR, and with the OCR word boxes (green: confident,
red: doubtful). They show contact data, so they are written readable by their owner only.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from pipeline.core.types import CardImage, OcrResult, Page

DOUBTFUL_CONF = 60.0


class DebugImages:
    """Writes stage images under `directory`; does nothing when it is None."""

    def __init__(self, directory: Path | None, source: Path) -> None:
        self.directory = directory
        self.stem = source.name
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    def page(self, page: Page, crops: list[CardImage]) -> None:
        if self.directory is None:
            return
        canvas = page.image.copy()
        width = max(2, max(canvas.shape[:2]) // 300)
        for crop in crops:
            if crop.bbox:
                quad = np.array(crop.bbox, np.float32).reshape(4, 2).astype(np.int32)
                cv2.polylines(canvas, [quad], True, (0, 0, 255), width)
                cv2.circle(canvas, tuple(int(v) for v in quad[0]), 3 * width, (255, 0, 0), -1)
        self._write(f"p{page.index}-1-detected", canvas)

    def card(self, card: CardImage, number: int, stage: str, ocr: OcrResult | None = None) -> None:
        if self.directory is None:
            return
        image = card.image if card.image.ndim == 3 else cv2.cvtColor(card.image, cv2.COLOR_GRAY2BGR)
        if ocr is not None:
            image = image.copy()
            for word in (w for line in ocr.lines for w in line.words):
                colour = (0, 160, 0) if word.conf >= DOUBTFUL_CONF else (0, 0, 255)
                cv2.rectangle(image, (word.left, word.top), (word.left + word.width, word.top + word.height),
                              colour, 2)
        self._write(f"p{card.page}-c{number}-{stage}", image)

    def _write(self, suffix: str, image: np.ndarray) -> None:
        assert self.directory is not None
        ok, data = cv2.imencode(".png", image)
        if not ok:
            return
        path = self.directory / f"{self.stem}-{suffix}.png"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data.tobytes())
