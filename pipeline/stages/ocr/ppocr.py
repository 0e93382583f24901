"""PP-OCR: PaddleOCR's deep-learning line detector and Latin recogniser, run by onnxruntime.

The models are the PP-OCRv6 small detector and recogniser shipped inside the `rapidocr` wheel
(Apache-2.0); rapidocr's own pre- and post-processing (detector resize and DB box decoding, line
crops, CTC decoding, word boxes) runs them. Nothing is downloaded: the model paths point into the
installed package, so a missing file is an error, never a fetch. rapidocr writes no optimised-model
file, so nothing lands in the current directory or anywhere else.

On real photos it finds and reads Latin text far better than Tesseract (docs/accuracy.md), but it has
no Cyrillic letters at all: a Russian word comes out as Latin look-alikes or as nothing. The router in
`router.py` beside it pairs it with Tesseract for those lines.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.core.errors import OcrEngineError
from pipeline.core.types import OcrLine, OcrResult, OcrWord
from pipeline.extract.lexicon import fold, pairs
from pipeline.stages.ocr import COLUMN_GAP, PSM_SPARSE, OcrEngine, get_engine

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
# The detector's input is scaled down to this long side: its cost grows with the area, and cards
# reach OCR at ~1600 px, where lines are 25-80 px high, far above what the detector needs. Line
# crops for the recogniser still come from the full-size image.
DET_MAX_SIDE = 960
# One thread per process: parallelism comes from the batch's worker processes (one per core), and
# threads inside onnxruntime would only fight them for the same cores.
THREADS = 1
# What reads what PP-OCR cannot: the re-readings of single lines and blocks (tuned on Tesseract), the
# orientation (OSD) and, in the router, Cyrillic lines. In-process, so a line costs ~30 ms, not a process.
TESSERACT = "tesseract"


class PpOcrEngine:
    """`--engine ppocr`: PP-OCR reads the card (Latin only). What the later stages ask of one line or a
    block (psm 7, psm 6: the re-readings of e-mail and number lines) and the orientation stay Tesseract's,
    the engine those stages were tuned on."""

    name = "ppocr"
    # The digits re-reading mends Tesseract's rus+eng digits with its eng ones; PP-OCR reads digits better
    # than either (real_cards: 85% of phone numbers present against 56%), so it is not asked to.
    reread_digits = False
    # Nor addresses: the re-reading keeps Tesseract's eng reading of a line when it gives a longer valid
    # address, and on PP-OCR's 'E neilw@...' it glued the label on ('eneilw@...'). PP-OCR reads addresses
    # better (real_cards e-mails F1 1.000 against 0.636), and the router already weighs Tesseract's reading
    # of each address line against it (rule 2).
    reread_addresses = False
    # The long side a card cut out small is enlarged to (preprocess.normalise; others get 1600 px, capped at 3x):
    # on 40 tiny cards of tuning seeds 12 and 13 (500-700 px, JPEG 25-50, blurred) the router's perfect cards were
    # 0.70 at 1200 px, 0.775 at 1600, 0.825 at 2000, where Tesseract alone reads best at 1600 (docs/accuracy.md).
    small_card_long_side: int | None = 2000
    # A hand's shadow and a glare lose lines to the detector, or cut them short: stretched, 40 shaded photos of
    # seed 12 went 0.700 -> 0.775 perfect (docs/accuracy.md, Shadows and glare).
    stretch_shaded: float | None = 1.2  # whenever the light test fires (enhance.LIGHT_MIN_RATIO)

    def recognise(self, image: np.ndarray, lang: str, psm: int, timeout_s: float) -> OcrResult:
        if psm != PSM_SPARSE:
            return tesseract().recognise(image, lang, psm, timeout_s)
        return recognise(image)

    def orientation(self, image: np.ndarray, timeout_s: float) -> int | None:
        return tesseract().orientation(image, timeout_s)

    def languages(self) -> frozenset[str]:
        """Tesseract's: `--lang` is what the Tesseract readings use; PP-OCR's Latin needs no data."""
        return tesseract().languages()

    def identity(self) -> str:
        return f"{self.name}/{ppocr_identity()}+{tesseract().identity()}"


def tesseract() -> OcrEngine:
    return get_engine(TESSERACT)


@cache
def ppocr_identity() -> str:
    """Library versions, the models' content and the detector's size: what decides PP-OCR's readings."""
    folder = model_dir()
    models = "/".join(f"{name}:{hashlib.sha256((folder / name).read_bytes()).hexdigest()[:12]}"
                      for name in (DET_MODEL, REC_MODEL))
    return f"rapidocr-{version('rapidocr')}/onnxruntime-{version('onnxruntime')}/{models}/det{DET_MAX_SIDE}"


@dataclass(frozen=True)
class LineReading:
    """One detected line: its box (4 corners, clockwise from top-left, image pixels) and what the
    Latin recogniser read there; `text` is empty when it read nothing (often a Cyrillic line)."""

    box: np.ndarray
    crop: np.ndarray  # the line cut out along its box and straightened: what the recogniser read
    text: str
    conf: float  # 0..1, the recogniser's mean character probability
    words: tuple[OcrWord, ...]  # conf 0..100 like Tesseract's; empty when text is

    @property
    def rect(self) -> tuple[int, int, int, int]:
        """Axis-aligned (left, top, right, bottom) of the box."""
        xs, ys = self.box[:, 0], self.box[:, 1]
        return int(np.floor(xs.min())), int(np.floor(ys.min())), int(np.ceil(xs.max())), int(np.ceil(ys.max()))


def model_dir() -> Path:
    try:
        import rapidocr
    except ImportError:
        raise OcrEngineError("the PP-OCR engine needs rapidocr and onnxruntime: pip install cardscan "
                             "(or use --engine tesseract)") from None
    return Path(rapidocr.__file__).parent / "models"


@cache
def _reader() -> Any:
    """One rapidocr reader per process: loading the two models takes ~0.5 s and ~100 MB."""
    folder = model_dir()
    for name in (DET_MODEL, REC_MODEL):
        if not (folder / name).is_file():
            raise OcrEngineError(f"PP-OCR model {name} is missing from {folder}: reinstall rapidocr")
    with _yaml_read_once():
        from rapidocr import RapidOCR
    reader = RapidOCR(params={
        "Global.log_level": "error",
        "Global.use_cls": False,  # the pipeline turns cards upright before OCR
        "Global.return_word_box": True,
        "Global.text_score": 0.0,  # keep every line: a line read poorly may be Cyrillic, for the router
        "Det.model_path": str(folder / DET_MODEL),
        "Rec.model_path": str(folder / REC_MODEL),
        "Det.limit_side_len": DET_MAX_SIDE,
        "Det.limit_type": "max",
        "EngineConfig.onnxruntime.intra_op_num_threads": THREADS,
        "EngineConfig.onnxruntime.inter_op_num_threads": THREADS,
    })
    # rapidocr logs each model it loads at INFO on its own handler; a batch's log is not the place.
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return reader


@contextmanager
def _yaml_read_once() -> Iterator[None]:
    """While rapidocr is imported, a YAML file OmegaConf has read is not read again. Two of its modules each
    parse its 1600-line model catalogue (default_models.yaml) as they load, ~0.12 CPU s a time, to look up
    download addresses the pipeline never uses (it names its model files); both only read it, so the second
    gets the first's."""
    from omegaconf import OmegaConf

    load = OmegaConf.load
    read: dict[Path, Any] = {}

    def once(file: Any) -> Any:
        if not isinstance(file, str | Path):
            return load(file)
        key = Path(file).resolve()
        if key not in read:
            read[key] = load(file)
        return read[key]

    OmegaConf.load = staticmethod(once)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        OmegaConf.load = load  # type: ignore[method-assign]


def _colour(image: np.ndarray) -> np.ndarray:
    """The models take 3-channel images; the pipeline hands OCR grey ones."""
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def read_lines(image: np.ndarray) -> list[LineReading]:
    """Every text line the detector finds, top to bottom, each read by the Latin recogniser."""
    reader = _reader()
    img = _colour(image)
    found = reader(img, use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(found, "boxes", None)
    if boxes is None or len(boxes) == 0:
        return []
    crops = reader.crop_text_regions(img, boxes)
    read = reader.recognize_txt(crops)
    lines = []
    for crop, box, text, conf, pieces in zip(crops, boxes, read.txts, read.scores, read.word_results, strict=True):
        text = " ".join(text.split())
        words = _words(reader, crop, box, text, float(conf), pieces) if text else ()
        lines.append(LineReading(np.asarray(box, dtype=np.float32), crop, text, float(conf), words))
    return lines


def _words(reader: Any, crop: np.ndarray, box: np.ndarray, text: str, conf: float,
           pieces: Any) -> tuple[OcrWord, ...]:
    """Word boxes from the recogniser's character positions (rapidocr's CalRecBoxes), mapped back onto
    the card; where they do not add up to the line's words, the line's box split in proportion to the
    words' lengths."""
    if pieces:
        from rapidocr.ch_ppocr_rec import TextRecOutput
        one = TextRecOutput(txts=(text,), scores=[conf], word_results=(pieces,))
        placed = reader.cal_rec_boxes([crop], np.asarray([box]), one, False).word_results
        found = [(str(t), float(c), np.asarray(q, dtype=np.float32)) for t, c, q in (placed[0] if placed else ())]
        words = _regroup(found, text.split(" "))
        if words:
            return tuple(part for word in words for part in _camel_split(word))
    return tuple(part for t, q in _split(text, box) for part in _camel_split(_word(t, conf, q)))


def _regroup(pieces: list[tuple[str, float, np.ndarray]], tokens: list[str]) -> tuple[OcrWord, ...]:
    """The recogniser's pieces joined or cut back into the line's space-separated words: it cuts at
    gaps between characters, so a spaced-out 'DEVELOPMENT' comes as 'DEVELOPM' + 'ENT', and two words
    without a wide gap come as one piece. Empty when they do not match the text."""
    split: list[tuple[str, float, np.ndarray]] = []
    for text, conf, quad in pieces:
        split.extend((part, conf, q) for part, q in _split(text, quad))
    words: list[OcrWord] = []
    i = 0
    for token in tokens:
        if not token:
            continue
        joined, start = "", 0
        confs: list[float] = []
        quads: list[np.ndarray] = []
        while i < len(split) and len(joined) < len(token):
            text, conf, quad = split[i]
            if _dropped_space(joined[start:], text):
                words.append(_word(joined[start:], min(confs), np.concatenate(quads)))
                start, confs, quads = len(joined), [], []
            joined += text
            confs.append(conf)
            quads.append(quad)
            i += 1
        if joined != token:
            return ()
        words.append(_word(joined[start:], min(confs), np.concatenate(quads)))
    return tuple(words) if i == len(split) else ()


def _dropped_space(before: str, after: str) -> bool:
    """Whether a cut between two of the recogniser's pieces is a space it left out of the text (it drops
    spaces in tightly set lines): a lower-case letter meeting a capital ('kirillov.nl@bk.ruEmail:'),
    a number meeting a word ('540Spring', '20811Hamburg') or letters meeting a number ('NY10001'). Short
    mixes ('G2', '44A') stay one word."""
    if not before or not after:
        return False
    if before[-1].islower() and after[0].isupper():
        return True
    if "@" in before + after:
        return False
    head = len(after) - len(after.lstrip("0123456789"))
    if before[-1].isdigit() and after[:3].isalpha():
        return True
    letters = len(before) - len(before.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return letters >= 2 and head >= 3


MIN_PHONE_DIGITS = 7  # fewer, and the box beside a label holds no phone number

# 'StefanEllison', 'WexfordAnalyties': a run of three lower-case letters, then a capital and two more.
# Shorter runs are how brands are spelled ('McDonald', 'PayPal', 'LinkedIn') and stay whole.
CAMEL = re.compile(r"(?<=[a-zà-ÿ]{3})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})")
ADDRESS_LIKE = re.compile(r"@|www|://|\.[a-z]{2,}", re.IGNORECASE)
# An initial run into the names beside it ('ElizaJ.Novak', 'Lena N.Weber', 'NICOLE S.CRAWFORD'): small, tight print
# loses these spaces (tiny cards of seeds 12-13: 4 of the 9 imperfect cards lost their name so). One capital and
# its full stop, after three lower-case letters or before a capital and two more letters; 'U.S.A.', 'GmbH.' stay.
INITIAL = re.compile(r"(?<=[a-zà-ÿ]{3})(?=[A-ZÀ-Þ]\.[A-ZÀ-Þ][A-Za-zÀ-ÿ])"
                     r"|(?:(?<=^[A-ZÀ-Þ]\.)|(?<=[^A-Za-zÀ-ÿ.][A-ZÀ-Þ]\.)|(?<=[a-zà-ÿ][A-ZÀ-Þ]\.))(?=[A-ZÀ-Þ][A-Za-zÀ-ÿ]{2})")
URL_LIKE = re.compile(r"@|www|://", re.IGNORECASE)


def _camel_split(word: OcrWord) -> list[OcrWord]:
    """A word the recogniser ran together with the next one, where no gap showed it, cut at the case
    change or after an initial, its box cut in proportion; never inside an e-mail or web address."""
    if URL_LIKE.search(word.text):
        return [word]
    parts = [p for part in INITIAL.split(word.text)
             for p in ([part] if ADDRESS_LIKE.search(part) else CAMEL.split(part))]
    if len(parts) == 1:
        return [word]
    out, start = [], 0
    for part in parts:
        left = word.left + round(word.width * start / len(word.text))
        right = word.left + round(word.width * (start + len(part)) / len(word.text))
        out.append(OcrWord(part, word.conf, left, word.top, max(1, right - left), word.height))
        start += len(part)
    return out


def join_rows(lines: list[OcrLine]) -> list[OcrLine]:
    """A phone label boxed apart from its number ('Fax:' | '0511/93217903') made one line with it, when
    they sit side by side on one row closer than Tesseract's column gap: the phone finder types a number
    by the words of its line, as Tesseract gives them. Only labels: joining any two close boxes also ran
    logos into company names ('АВ ООО Аврора')."""
    rows: list[list[OcrWord]] = []
    for line in lines:
        for row in rows:
            if _label_and_number(row, line) and _same_row(row, line):
                row.extend(line.words)
                break
        else:
            rows.append(list(line.words))
    return [OcrLine(tuple(sorted(row, key=lambda w: w.left))) for row in rows]


def _label_and_number(row: list[OcrWord], line: OcrLine) -> bool:
    labels = pairs("phone_labels")
    row_digits, line_digits = sum(c.isdigit() for w in row for c in w.text), sum(c.isdigit() for c in line.text)

    def is_label(words: list[OcrWord] | tuple[OcrWord, ...]) -> bool:
        return len(words) == 1 and fold(words[0].text.strip(".:;,- ")) in labels

    return ((is_label(row) and line_digits >= MIN_PHONE_DIGITS)
            or (is_label(line.words) and row_digits >= MIN_PHONE_DIGITS))


def _same_row(row: list[OcrWord], line: OcrLine) -> bool:
    height = sorted(w.height for w in row)[len(row) // 2]
    top, bottom = min(w.top for w in row), max(w.top + w.height for w in row)
    overlap = min(bottom, line.bottom) - max(top, line.top)
    if overlap < 0.6 * min(height, line.height) or not 0.6 <= line.height / max(1, height) <= 1.6:
        return False
    right = max(w.left + w.width for w in row)
    left = min(w.left for w in row)
    gap = line.left - right if line.left >= left else left - max(w.left + w.width for w in line.words)
    return -0.5 * height <= gap <= COLUMN_GAP * height


def _split(text: str, quad: Any) -> list[tuple[str, np.ndarray]]:
    """A box holding several space-separated words cut into one box per word, widths in proportion
    to their characters (spaces counted), so layout sees words where Tesseract would give them."""
    quad = np.asarray(quad, dtype=np.float32)
    parts = text.split(" ")
    if len(parts) == 1:
        return [(text, quad)]
    total = len(text)
    out, start = [], 0
    top, bottom = quad[1] - quad[0], quad[2] - quad[3]
    for part in parts:
        a, b = start / total, (start + len(part)) / total
        out.append((part, np.array([quad[0] + a * top, quad[0] + b * top, quad[3] + b * bottom, quad[3] + a * bottom])))
        start += len(part) + 1
    return [(t, q) for t, q in out if t]


def _word(text: str, conf: float, quad: np.ndarray) -> OcrWord:
    xs, ys = quad[:, 0], quad[:, 1]
    left, top = round(float(xs.min())), round(float(ys.min()))
    return OcrWord(text, round(100.0 * conf, 2), left, top, max(1, round(float(xs.max())) - left),
                   max(1, round(float(ys.max())) - top))


def clip(word: OcrWord, width: int, height: int) -> OcrWord:
    """Keep a word's box inside the image: detector boxes are grown past the ink and may cross the edge."""
    left, top = min(max(0, word.left), width - 1), min(max(0, word.top), height - 1)
    right, bottom = min(width, word.left + word.width), min(height, word.top + word.height)
    return OcrWord(word.text, word.conf, left, top, max(1, right - left), max(1, bottom - top))


def recognise(image: np.ndarray) -> OcrResult:
    """The card read by PP-OCR alone: one OcrLine per detected line (Latin script only)."""
    height, width = image.shape[:2]
    lines = [OcrLine(tuple(clip(w, width, height) for w in line.words)) for line in read_lines(image) if line.words]
    return OcrResult(tuple(join_rows(lines)), width, height)
