"""Hard scenes for tuning the image stages, made from labelled generated scans (issue 13, classes 2-5).

    python -m devtools.scenes SRC_DIR OUT_DIR --kinds upside,exif,panel,darkdesk,tiny,light [--seed S]

Each labelled single-card image in SRC_DIR (a `python -m cardgen --conditions scan` set) is cut out along
its label's bbox and put into a new scene; the label is copied with the new bbox, so `cardscan eval OUT_DIR/KIND`
scores each kind on its own. The generator gets such scenes of its own (branch gen); these exist so the
image stages can be tuned and tested now, from cards whose fields are known:

- upside:   a phone photo turned upside down (two in three) or on a side, lit by a strong shading gradient;
- exif:     an upright photo whose EXIF orientation tag says it is turned (an editor rotated the pixels
            and kept the tag): honouring the tag lays the card on its side or on its head;
- panel:    a light card with a dark coloured side panel, on a light textured desk, in perspective;
- darkdesk: a dark card (the light one inverted) on a dark desk;
- tiny:     the card 500-700 px wide, tilted up to 14 degrees, blurred, JPEG quality 25-50;
- light:    a photo with two or three of: gradient, vignette, a hand's shadow, glare, colour cast, motion blur.
"""

from __future__ import annotations

import argparse
import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from pipeline.stages.detect import order_corners, warp

KINDS = ("upside", "exif", "panel", "darkdesk", "tiny", "light")
EXIF_ORIENTATION = 0x0112
# The clockwise turn that honouring each tag applies to the stored pixels.
TAG_TURN = {3: 180, 6: 90, 8: 270}
PANEL_COLOURS = ((70, 35, 20), (30, 60, 25), (35, 25, 95), (45, 45, 45), (90, 40, 60))  # BGR: navy, green, ...

Rng = np.random.Generator


def flat_card(image: np.ndarray, bbox: list[float]) -> np.ndarray:
    """The card cut out of a scan along its labelled corners, upright as printed."""
    quad = np.array(bbox, np.float32).reshape(4, 2)
    return warp(image, order_corners(quad))


def desk(rng: Rng, h: int, w: int, light: bool) -> np.ndarray:
    """A textured table top: a tinted base, wood-like grain and slow blotches."""
    level = rng.uniform(185, 230) if light else rng.uniform(22, 60)
    tint = level + rng.uniform(-12, 12, 3)
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    wobble = cv2.resize(rng.normal(0, 1, (6, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    grain = np.sin((ys * math.cos(rng.uniform(0, math.pi)) + xs * 0.05) / rng.uniform(4, 12) + 3 * wobble)
    blotch = cv2.resize(rng.normal(0, 1, (5, 7)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    amp = level * 0.06
    texture = amp * grain + 1.5 * amp * blotch + rng.normal(0, 2.5, (h, w)).astype(np.float32)
    table: np.ndarray = np.clip(tint[None, None, :] + texture[..., None], 0, 255).astype(np.float32)
    return table


def place(card: np.ndarray, background: np.ndarray, rng: Rng, width_share: float, tilt_deg: float,
          jitter: float = 0.03) -> tuple[np.ndarray, np.ndarray]:
    """The card pasted onto the background in perspective with a soft shadow; (image, corners)."""
    bh, bw = background.shape[:2]
    ch, cw = card.shape[:2]
    width = width_share * bw
    height = width * ch / cw
    angle = math.radians(tilt_deg)
    centre = np.array([bw / 2 + rng.uniform(-0.06, 0.06) * bw, bh / 2 + rng.uniform(-0.06, 0.06) * bh])
    corners = np.array([[-width / 2, -height / 2], [width / 2, -height / 2], [width / 2, height / 2],
                        [-width / 2, height / 2]])
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    dst = corners @ turn.T + centre + rng.uniform(-jitter, jitter, (4, 2)) * width
    src = np.array([[0, 0], [cw - 1, 0], [cw - 1, ch - 1], [0, ch - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(card.astype(np.float32), matrix, (bw, bh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ch, cw), np.float32), matrix, (bw, bh), flags=cv2.INTER_LINEAR)
    shadow = cv2.GaussianBlur(np.roll(mask, (int(0.01 * bh), int(0.008 * bw)), axis=(0, 1)), (0, 0), 0.012 * bw)
    out = background * (1 - 0.35 * shadow[..., None])
    out = out * (1 - mask[..., None]) + warped * mask[..., None]
    return out, dst.astype(np.float32)


def gradient(img: np.ndarray, rng: Rng, low: float) -> np.ndarray:
    """Light falling off across the frame, from full to `low`, in a random direction."""
    h, w = img.shape[:2]
    a = rng.uniform(0, 2 * math.pi)
    ramp = (np.arange(w)[None, :] * math.cos(a) + np.arange(h)[:, None] * math.sin(a)).astype(np.float32)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1.0)
    return np.asarray(img * (low + (1 - low) * ramp)[..., None], np.float32)


def vignette(img: np.ndarray, rng: Rng) -> np.ndarray:
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    return np.asarray(img * np.clip(1 - rng.uniform(0.25, 0.45) * r2, 0.3, 1)[..., None], np.float32)


def hand_shadow(img: np.ndarray, rng: Rng) -> np.ndarray:
    """A soft dark blob reaching in from one edge, as a hand or phone held over the card casts."""
    h, w = img.shape[:2]
    blob = np.zeros((h, w), np.float32)
    edge = int(rng.integers(4))
    cx, cy = [(rng.uniform(0.2, 0.8) * w, 0), (w, rng.uniform(0.2, 0.8) * h),
              (rng.uniform(0.2, 0.8) * w, h), (0, rng.uniform(0.2, 0.8) * h)][edge]
    cv2.ellipse(blob, (int(cx), int(cy)), (int(rng.uniform(0.2, 0.35) * w), int(rng.uniform(0.25, 0.45) * h)),
                float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    soft = cv2.GaussianBlur(blob, (0, 0), 0.04 * w)
    return np.asarray(img * (1 - rng.uniform(0.35, 0.55) * soft)[..., None], np.float32)


def glare(img: np.ndarray, rng: Rng) -> np.ndarray:
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy, r = rng.uniform(0.25, 0.75) * w, rng.uniform(0.25, 0.75) * h, rng.uniform(0.06, 0.14) * w
    spot = np.exp(-(((xx - cx) ** 2 + ((yy - cy) * 1.6) ** 2) / (2 * r * r)))
    return np.asarray(img + rng.uniform(70, 140) * spot[..., None], np.float32)


def colour_cast(img: np.ndarray, rng: Rng) -> np.ndarray:
    warm = rng.random() < 0.5
    gains = np.array([0.78, 0.95, 1.08]) if warm else np.array([1.08, 1.0, 0.82])  # BGR: tungsten / shade
    return img * (gains * rng.uniform(0.95, 1.05, 3))[None, None, :]


def motion_blur(img: np.ndarray, rng: Rng) -> np.ndarray:
    n = int(rng.integers(5, 10))
    kernel = np.zeros((n, n), np.float32)
    kernel[n // 2, :] = 1.0 / n
    centre = (n / 2 - 0.5, n / 2 - 0.5)
    turned = cv2.warpAffine(kernel, cv2.getRotationMatrix2D(centre, float(rng.uniform(0, 180)), 1.0), (n, n))
    return cv2.filter2D(img, -1, (turned / max(float(turned.sum()), 1e-6)).astype(np.float32))


def camera(img: np.ndarray, rng: Rng, blur: float = 0.7, noise: float = 3.0) -> np.ndarray:
    out = cv2.GaussianBlur(img, (0, 0), blur) if blur > 0 else img
    out = out + rng.normal(0, noise, out.shape).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def turned(card: np.ndarray, degrees: int) -> np.ndarray:
    """The card turned clockwise by `degrees`."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(card, codes[degrees]) if degrees else card


def printed_corners(corners: np.ndarray, degrees: int) -> np.ndarray:
    """Corners of a card pasted turned clockwise by `degrees`, started at its printed top-left."""
    return np.roll(corners, degrees // 90, axis=0)


def _photo_frame(rng: Rng, card: np.ndarray, light_desk: bool, share: float) -> tuple[np.ndarray, np.ndarray]:
    h, w = 1080, 1440
    if card.shape[0] > card.shape[1]:  # a card standing up goes into a portrait frame
        h, w = w, h
        share *= 0.75
    return place(card, desk(rng, h, w, light_desk), rng, share, rng.uniform(-8, 8))


def make_upside(card: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray, int, dict[str, Any]]:
    degrees = int(rng.choice([180, 180, 90, 270]))
    img, corners = _photo_frame(rng, turned(card, degrees), bool(rng.random() < 0.6), rng.uniform(0.55, 0.75))
    img = gradient(img, rng, rng.uniform(0.35, 0.6))
    if rng.random() < 0.5:
        img = vignette(img, rng)
    return camera(img, rng), printed_corners(corners, degrees), degrees, {}


def make_exif(card: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray, int, dict[str, Any]]:
    img, corners = _photo_frame(rng, card, bool(rng.random() < 0.5), rng.uniform(0.55, 0.75))
    img = gradient(img, rng, rng.uniform(0.65, 0.9))
    return camera(img, rng), corners, 0, {"exif_orientation": int(rng.choice(list(TAG_TURN)))}


def with_panel(card: np.ndarray, rng: Rng) -> np.ndarray:
    """The card's print squeezed into three quarters of its width, a dark coloured panel in the rest."""
    h, w = card.shape[:2]
    panel_w = int(rng.uniform(0.22, 0.32) * w)
    body = cv2.resize(card, (w - panel_w, h), interpolation=cv2.INTER_AREA)
    colour = np.array(PANEL_COLOURS[int(rng.integers(len(PANEL_COLOURS)))], np.float32)
    panel = np.broadcast_to(colour, (h, panel_w, 3)).copy()
    # A light logo mark in the panel, as such cards have.
    cv2.circle(panel, (panel_w // 2, h // 3), int(0.25 * panel_w), (235, 235, 235), max(2, panel_w // 40))
    parts = (panel, body.astype(np.float32)) if rng.random() < 0.5 else (body.astype(np.float32), panel)
    return np.hstack(parts)


def is_light(card: np.ndarray) -> bool:
    return float(np.median(cv2.cvtColor(card, cv2.COLOR_BGR2GRAY))) > 170


def make_panel(card: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray, int, dict[str, Any]]:
    img, corners = _photo_frame(rng, with_panel(card, rng), True, rng.uniform(0.55, 0.75))
    img = gradient(img, rng, rng.uniform(0.8, 0.95))
    return camera(img, rng, blur=rng.uniform(0.6, 1.1)), corners, 0, {}


def make_darkdesk(card: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray, int, dict[str, Any]]:
    dark = card if not is_light(card) else 255 - card
    img, corners = _photo_frame(rng, dark, False, rng.uniform(0.55, 0.75))
    img = gradient(img, rng, rng.uniform(0.7, 0.95))
    return camera(img, rng, blur=rng.uniform(0.5, 1.0)), corners, 0, {}


def make_tiny(card: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray, int, dict[str, Any]]:
    width = rng.uniform(500, 700)
    share = rng.uniform(0.7, 0.85)
    fw = int(width / share)
    fh = int(fw * rng.uniform(0.7, 0.8))
    if card.shape[0] > card.shape[1]:
        fw, fh = fh, fw
        share = width / fw
    img, corners = place(card, desk(rng, fh, fw, bool(rng.random() < 0.5)), rng, share, rng.uniform(-14, 14),
                         jitter=0.02)
    img = gradient(img, rng, rng.uniform(0.75, 0.95))
    return camera(img, rng, blur=rng.uniform(0.5, 1.1), noise=3.5), corners, 0, {"jpeg": int(rng.integers(25, 51))}


LIGHTS: tuple[Callable[[np.ndarray, Rng], np.ndarray], ...] = (
    lambda img, rng: gradient(img, rng, rng.uniform(0.35, 0.6)), vignette, hand_shadow, glare, colour_cast,
    motion_blur)


def make_light(card: np.ndarray, rng: Rng) -> tuple[np.ndarray, np.ndarray, int, dict[str, Any]]:
    img, corners = _photo_frame(rng, card, bool(rng.random() < 0.5), rng.uniform(0.55, 0.75))
    for i in sorted(rng.choice(len(LIGHTS), size=int(rng.integers(2, 4)), replace=False)):
        img = LIGHTS[i](img, rng)
    return camera(img, rng), corners, 0, {}


MAKERS = {"upside": make_upside, "exif": make_exif, "panel": make_panel, "darkdesk": make_darkdesk,
          "tiny": make_tiny, "light": make_light}


def jpeg_bytes(image: np.ndarray, quality: int = 88, orientation: int | None = None) -> bytes:
    """The image as a JPEG file, with an EXIF orientation tag when given."""
    pil = Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    exif = Image.Exif()
    if orientation:
        exif[EXIF_ORIENTATION] = orientation
    buf = io.BytesIO()
    pil.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return buf.getvalue()


def make_scene(kind: str, image: np.ndarray, label: dict[str, Any], rng: Rng) -> tuple[bytes, dict[str, Any]] | None:
    """One scene of `kind` from a labelled single-card scan: (JPEG bytes, label); None when unfit."""
    if len(label["cards"]) != 1:
        return None
    card = flat_card(image, label["cards"][0]["bbox"])
    if kind == "panel" and not is_light(card):
        return None
    img, corners, degrees, extra = MAKERS[kind](card, rng)
    out = dict(label, conditions=["photo", kind])
    entry = dict(label["cards"][0], rotation=degrees)
    if "exif_orientation" in extra:
        entry.pop("bbox")  # the card's place depends on which way the file is read: matched by content
    else:
        entry["bbox"] = [round(float(v), 1) for v in corners.reshape(-1)]
    out["cards"] = [entry]
    return jpeg_bytes(img, extra.get("jpeg", 88), extra.get("exif_orientation")), out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m devtools.scenes", description=__doc__.splitlines()[0])
    p.add_argument("src", type=Path, nargs="+", help="labelled generated scans (cardgen --conditions scan)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--kinds", default=",".join(KINDS))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--per-kind", type=int, default=30)
    args = p.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        p.error(f"unknown kind(s) {sorted(unknown)}: choose from {','.join(KINDS)}")
    sources = sorted(f for d in args.src for f in d.iterdir() if f.suffix in (".jpg", ".png"))
    for kind in kinds:
        rng = np.random.default_rng([args.seed, KINDS.index(kind)])  # the same scenes whichever kinds are asked
        (args.out / kind).mkdir(parents=True, exist_ok=True)
        made = 0
        for src in sources:
            if made >= args.per_kind:
                break
            label = json.loads(Path(f"{src}.json").read_text())
            image = cv2.imread(str(src))
            if image is None:
                continue
            scene = make_scene(kind, image, label, rng)
            if scene is None:
                continue
            data, out_label = scene
            name = f"{made:03d}_{kind}_{src.parent.name}_{src.stem}.jpg"
            (args.out / kind / name).write_bytes(data)
            (args.out / kind / f"{name}.json").write_text(json.dumps(out_label, ensure_ascii=False, indent=1))
            made += 1
        print(f"{kind}: {made} images in {args.out / kind}")


if __name__ == "__main__":
    main()
