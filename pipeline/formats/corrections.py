"""`cardscan corrections export DIR`: corrected cards as labelled images (the sample_cards label format)."""

from __future__ import annotations

import json
import os
from io import BytesIO
from pathlib import Path

from PIL import Image
from sqlalchemy.orm import Session

from pipeline.book.corrections import corrected_cards, label_of


def export_corrections(session: Session, out_dir: Path) -> int:
    """Write `card-ID.jpg` and `card-ID.jpg.json` per corrected card with a picture; returns how many.
    Personal data: the folder is created 0700 and every file 0600."""
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = 0
    for card in corrected_cards(session):
        if not card.crop:
            continue
        with Image.open(BytesIO(card.crop)) as picture:
            width, height = picture.size
        image = out_dir / f"card-{card.id}.jpg"
        label = {"conditions": ["correction"], "source": Path(card.source_path).name,
                 "cards": [{"bbox": [0, 0, width, 0, width, height, 0, height], "rotation": 0,
                            **label_of(card)}]}
        _private_write(image, card.crop)
        _private_write(image.with_name(image.name + ".json"),
                       (json.dumps(label, ensure_ascii=False, indent=2) + "\n").encode())
        written += 1
    return written


def _private_write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
