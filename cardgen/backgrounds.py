"""Procedural surfaces for photos: wood, fabric, desk, noise, solid colour."""

from __future__ import annotations

import cv2
import numpy as np

KINDS = ("wood", "fabric", "desk", "noise", "solid")


def value_noise(nprng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    """Smooth noise in [0, 1] made by upscaling a coarse random grid."""
    gh, gw = max(2, cells * h // max(h, w)), max(2, cells * w // max(h, w))
    grid = nprng.random((gh + 1, gw + 1)).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def _colour(base: np.ndarray, shade: np.ndarray) -> np.ndarray:
    return base[None, None, :].astype(np.float32) * shade[..., None]


def _streaks(
    nprng: np.random.Generator, h: int, w: int, along_x: bool, cells: int, stretch: int
) -> np.ndarray:
    """Noise that is long along the grain and fine across it."""
    long, short = (max(2, cells // stretch), cells)
    grid = nprng.random((short + 1, long + 1) if along_x else (long + 1, short + 1)).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def wood(nprng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(
        nprng.choice([[150, 100, 60], [120, 80, 45], [190, 145, 95], [95, 60, 35], [170, 130, 90]])
    )
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    along_x = bool(nprng.random() < 0.5)
    across = (yy if along_x else xx) / max(h, w)
    warp = _streaks(nprng, h, w, along_x, 6, 3) * nprng.uniform(2.0, 5.0)
    rings = 0.5 + 0.5 * np.sin(across * nprng.uniform(60, 140) + warp)
    fibres = _streaks(nprng, h, w, along_x, 160, 20)
    planks = _streaks(nprng, h, w, along_x, 4, 4)
    shade = 0.7 + 0.16 * rings**2 + 0.1 * fibres + 0.12 * planks
    return _colour(base, shade)


def fabric(nprng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(nprng.choice([[70, 80, 110], [130, 40, 45], [60, 90, 70], [160, 150, 135], [50, 50, 55]]))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = nprng.uniform(3, 7) * max(h, w) / 1600
    weave = np.sin(xx * 2 * np.pi / period) * np.sin(yy * 2 * np.pi / period)
    shade = 0.85 + 0.08 * weave + 0.12 * value_noise(nprng, h, w, 8)
    return _colour(base, shade)


def desk(nprng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(
        nprng.choice([[235, 235, 230], [60, 62, 66], [200, 190, 170], [25, 25, 28], [180, 185, 190]])
    )
    shade = 0.9 + 0.12 * value_noise(nprng, h, w, 4) + 0.03 * value_noise(nprng, h, w, 60)
    return _colour(base, shade)


def light_desk(nprng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A light desk or table (white laminate, pale wood, light grey): a light card barely stands out on it."""
    base = np.array(nprng.choice([[236, 234, 228], [226, 220, 206], [240, 240, 238], [220, 222, 224]]))
    shade = 0.93 + 0.06 * value_noise(nprng, h, w, 4) + 0.02 * value_noise(nprng, h, w, 60)
    return _colour(base, shade)


def plain_like(nprng: np.random.Generator, h: int, w: int, rgb: tuple[int, ...]) -> np.ndarray:
    """A plain surface of about colour ``rgb`` with a faint mottle (a desk the colour of the card on it)."""
    small = _colour(np.array(rgb), 0.97 + 0.03 * value_noise(nprng, max(8, h // 4), max(8, w // 4), 4))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def noisy(nprng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(nprng.integers(40, 200, size=3))
    shade = 0.55 + 0.25 * value_noise(nprng, h, w, 12) + 0.2 * value_noise(nprng, h, w, 200)
    return _colour(base, shade)


def solid(nprng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = np.array(nprng.integers(30, 230, size=3))
    return _colour(base, np.full((h, w), 1.0, np.float32))


def surface(kind: str, nprng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A float32 RGB background; built at a quarter size where the pattern allows it, for speed."""
    makers = {"wood": wood, "fabric": fabric, "desk": desk, "noise": noisy, "solid": solid, "light_desk": light_desk}
    if kind == "fabric":
        return fabric(nprng, h, w)
    factor = 2 if kind == "wood" else 4
    small = makers[kind](nprng, max(8, h // factor), max(8, w // factor))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
