"""Image degradations: compositing under a homography, shadow, lighting, blur, noise, encoding."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

MAX_JPEG_BYTES = 1_450_000

Corners = np.ndarray  # (4, 2) float64, clockwise from the printed top-left


def card_corners(w: int, h: int) -> Corners:
    """Outer edges of a w x h card in OpenCV's pixel-centre coordinates."""
    return np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]], dtype=np.float64)


def project(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    homog = np.hstack([pts, np.ones((len(pts), 1))]) @ m.T
    return homog[:, :2] / homog[:, 2:3]


def to_edges(pts: np.ndarray) -> np.ndarray:
    """Pixel-centre coordinates -> image-edge coordinates used in labels (0..width)."""
    return pts + 0.5


def warp_mask(shape: tuple[int, int], m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    mask = np.full(shape, 255, np.uint8)
    return cv2.warpPerspective(mask, m, size, flags=cv2.INTER_LINEAR, borderValue=0)


def composite(canvas: np.ndarray, card: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Paste ``card`` (uint8 RGB) onto float ``canvas`` through homography ``m``; returns the mask."""
    size = (canvas.shape[1], canvas.shape[0])
    warped = cv2.warpPerspective(card, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    mask = warp_mask(card.shape[:2], m, size)
    alpha = mask[..., None].astype(np.float32) / 255.0
    canvas *= 1.0 - alpha
    canvas += warped.astype(np.float32) * alpha
    return mask


def drop_shadow(
    canvas: np.ndarray, mask: np.ndarray, offset: tuple[float, float], sigma: float, strength: float
) -> None:
    """Darken ``canvas`` under a blurred, shifted copy of the card mask (call before compositing)."""
    shift = np.float32([[1, 0, offset[0]], [0, 1, offset[1]]])
    moved = cv2.warpAffine(mask, shift, (mask.shape[1], mask.shape[0]), borderValue=0)
    soft = cv2.GaussianBlur(moved.astype(np.float32) / 255.0, (0, 0), max(0.5, sigma))
    canvas *= (1.0 - strength * soft)[..., None]


def lighting(canvas: np.ndarray, nprng: np.random.Generator, low: float, high: float) -> None:
    """Uneven illumination: a tilted gradient, a vignette and a colour cast."""
    h, w = canvas.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    xx /= w
    yy /= h
    theta = nprng.uniform(0, 2 * np.pi)
    ramp = (xx - 0.5) * np.cos(theta) + (yy - 0.5) * np.sin(theta)
    cx, cy = nprng.uniform(0.2, 0.8, size=2)
    vignette = (xx - cx) ** 2 + (yy - cy) ** 2
    field = 1.0 + ramp * nprng.uniform(0.1, 0.4) - vignette * nprng.uniform(0.2, 0.6)
    field = low + (high - low) * (field - field.min()) / max(1e-6, float(np.ptp(field)))
    cast = 1.0 + nprng.uniform(-0.05, 0.05, size=3).astype(np.float32)
    canvas *= field[..., None] * cast


def blur(canvas: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(canvas, (0, 0), sigma) if sigma > 0.05 else canvas


def noise(canvas: np.ndarray, nprng: np.random.Generator, sigma: float, chroma: float = 0.3) -> None:
    """Sensor noise: mostly luminance, a little per channel."""
    h, w = canvas.shape[:2]
    luma = nprng.standard_normal((h, w), dtype=np.float32) * sigma
    canvas += luma[..., None]
    if chroma > 0:
        canvas += nprng.standard_normal((h, w, 3), dtype=np.float32) * (sigma * chroma)


def to_uint8(canvas: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(canvas), 0, 255).astype(np.uint8)


def encode(img: np.ndarray, fmt: str, quality: int, orientation: int | None = None) -> bytes:
    """PNG or JPEG bytes; JPEG quality is lowered until the file fits ``MAX_JPEG_BYTES``; ``orientation``
    writes an EXIF orientation tag (JPEG only)."""
    pil = Image.fromarray(img)
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        buf = io.BytesIO()
        pil.save(buf, format="JPEG", quality=quality, subsampling=2, optimize=True, exif=exif.tobytes())
        return buf.getvalue()
    buf = io.BytesIO()
    if fmt == "png":
        pil.save(buf, format="PNG", optimize=False, compress_level=9)
        return buf.getvalue()
    while True:
        buf = io.BytesIO()
        pil.save(buf, format="JPEG", quality=quality, subsampling=2 if quality < 90 else 0, optimize=True)
        if buf.tell() <= MAX_JPEG_BYTES or quality <= 30:
            return buf.getvalue()
        quality -= 6
