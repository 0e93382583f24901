"""A learned line classifier: which of a card's lines is the name, title, company, department or address.

The lexicons say what a line's words are; the layout (type size, place on the card, case, punctuation)
says what the line is doing. A multinomial logistic regression over both, trained on generated cards
read by our own OCR (`make train`, pipeline/train.py), weighs that evidence. It ships as a few hundred
numbers in line_model.json: inference is one matrix product, no new dependency at run time.
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from pipeline.core.types import OcrLine
from pipeline.extract.address import address_score
from pipeline.extract.lexicon import fold
from pipeline.extract.names import PATRONYMIC, given_names, score_name
from pipeline.extract.org import QUOTED, company_score, has_legal_form, is_department, is_slogan, is_title
from pipeline.extract.text import count_scripts

CLASSES = ("other", "name", "title", "company", "department", "address")
MODEL_FILE = "line_model.json"


def features(lines: list[OcrLine], index: int, domains: list[str], size: tuple[int, int]) -> dict[str, float]:
    """The evidence about line `index` of a card, by name (the model's feature names)."""
    line, text = lines[index], lines[index].text
    return _layout(lines, index, size) | _shape(text) | {
        "conf": line.conf,
        "name_score": min(score_name(text), 6.0) / 6.0,
        "company_score": min(company_score(line, domains), 5.0) / 5.0,
        "legal_form": float(has_legal_form(text)),
        "quoted": float(bool(QUOTED.search(text))),
        "title_words": float(is_title(text)),
        "department_words": float(is_department(text)),
        "slogan_words": float(is_slogan(text)),
        "address_score": min(address_score(text), 5.0) / 5.0,
        "patronymic": float(any(PATRONYMIC.search(fold(w)) for w in text.split())),
        "given_name": float(any(fold(w) in given_names() for w in text.split())),
    }


def _layout(lines: list[OcrLine], index: int, size: tuple[int, int]) -> dict[str, float]:
    width, height = max(1, size[0]), max(1, size[1])
    line = lines[index]
    heights = [ln.height for ln in lines]
    median = statistics.median(heights) or 1.0
    tallest = max(range(len(lines)), key=lambda i: heights[i])
    above_tallest = lines[tallest].top - line.bottom
    return {
        "height": min(line.height / median, 4.0),
        "height_rank": sorted(heights, reverse=True).index(line.height) / max(1, len(lines) - 1),
        "tallest": float(index == tallest),
        "top": line.top / height,
        "left": line.left / width,
        "centred": 1.0 - min(1.0, abs(line.centre / width - 0.5) * 4),
        "above_tallest": max(-4.0, min(4.0, above_tallest / max(1.0, line.height))) / 4,
        "lines": min(len(lines), 20) / 20,
    }


def _shape(text: str) -> dict[str, float]:
    letters = [c for c in text if c.isalpha()]
    cyr, lat = count_scripts(text)
    words_ = text.split()
    return {
        "words": min(len(words_), 10) / 10,
        "chars": math.log1p(len(text)) / 5,
        "upper": sum(c.isupper() for c in letters) / max(1, len(letters)),
        "capitalised": sum(w[:1].isupper() for w in words_) / max(1, len(words_)),
        "digits": sum(c.isdigit() for c in text) / max(1, len(text)),
        "letters": len(letters) / max(1, len(text)),
        "cyrillic": cyr / max(1, cyr + lat),
        "comma": float("," in text),
        "ampersand": float("&" in text),
        "period": float(text.rstrip().endswith(".")),
    }


@dataclass(frozen=True)
class LineModel:
    names: tuple[str, ...]  # feature names, in the order of the weight columns
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (classes, features)
    bias: np.ndarray

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        x = (np.array([feats.get(n, 0.0) for n in self.names]) - self.mean) / self.scale
        logits = self.weights @ x + self.bias
        p = np.exp(logits - logits.max())
        p /= p.sum()
        return dict(zip(CLASSES, (float(v) for v in p), strict=True))


@cache
def model() -> LineModel | None:
    """The shipped model; None when it has not been trained (then extraction uses the rules alone)."""
    try:
        doc = json.loads(resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return LineModel(tuple(doc["features"]), np.array(doc["mean"]), np.array(doc["scale"]),
                     np.array(doc["weights"]), np.array(doc["bias"]))


def classify(lines: list[OcrLine], free: set[int], domains: list[str],
             size: tuple[int, int]) -> dict[int, dict[str, float]]:
    """Class probabilities of each free line (not yet taken by a phone, e-mail or link)."""
    m = model()
    if m is None or not lines:
        return {}
    return {i: m.probabilities(features(lines, i, domains, size)) for i in sorted(free)}
