"""A standing hostile-input corpus, generated here and never committed (issue 17): random and mutated
images, crafted bombs of every kind the budget covers, odd names. Each input must give a result or a
one-line error (never a traceback, never an "internal error"), within the time and memory budget."""

from __future__ import annotations

import io
import json
import os
import random
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import SAMPLES
from tests.pipeline.stages.test_load import _png_claiming
from tests.pipeline.stages.test_load_budget import _gif, _pdf, _tiff_with_big_page_2

ROOT = Path(__file__).resolve().parents[3]
MAX_SECONDS = 60.0  # per input
MAX_PEAK_MB = 1536  # the whole run, one process
SUFFIXES = (".jpg", ".png", ".tif", ".pdf", ".webp", ".heic", ".bmp", ".gif")


def _small_images() -> list[bytes]:
    """Real cards, shrunk so a mutation that still decodes is read in a fraction of a second."""
    out = []
    for path in [p for p in sorted(SAMPLES.glob("*_scan.*")) if p.suffix in (".png", ".jpg")][:4]:
        with Image.open(path) as img:
            small = img.convert("RGB").resize((320, 200))
        for fmt in ("PNG", "JPEG", "TIFF", "WEBP", "BMP"):
            buf = io.BytesIO()
            small.save(buf, fmt)
            out.append(buf.getvalue())
    return out


def _corpus(folder: Path) -> list[Path]:
    rng = random.Random(20261206)
    files: dict[str, bytes] = {}
    for i in range(100):  # random bytes, any size, any name
        files[f"random{i}{rng.choice(SUFFIXES)}"] = rng.randbytes(rng.choice([1, 7, 100, 4096, 65536]))
    images = _small_images()
    for i in range(180):  # real images cut short, or with bytes flipped near their headers and anywhere
        data = bytearray(rng.choice(images))
        kind = i % 3
        if kind == 0:
            data = data[: rng.randrange(1, len(data))]
        else:
            span = 300 if kind == 1 else len(data)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(min(span, len(data)))] = rng.randrange(256)
        files[f"mutated{i}{rng.choice(SUFFIXES)}"] = bytes(data)
    for i, (w, h) in enumerate([(20000, 20000), (100000, 10), (10, 100000), (65535, 65535), (9000, 9000),
                                (0, 0), (1, 1), (31, 4000), (2**31 - 1, 2)]):
        files[f"bomb{i}.png"] = _png_claiming(w, h)
    for i, side in enumerate([12000, 30000, 65000]):
        files[f"tiffbomb{i}.tif"] = _tiff_with_big_page_2(side, side)
    for i, (w, h, n) in enumerate([(6000, 6000, 3000), (6000, 6000, 20), (8000, 8000, 2), (400, 250, 60),
                                   (60000, 60000, 1), (400, 250, 3)]):
        files[f"anim{i}.jpg"] = _gif(w, h, n)
    for i, (n, side) in enumerate([(51, 200), (50, 2092), (1, 14400), (300, 100), (2, 300)]):
        files[f"pdf{i}.pdf"] = _pdf(n, side, side)
    files["nopages.pdf"] = b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]" \
                           b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
    files["truncated.pdf"] = _pdf(3)[:200]
    files["heic-magic.jpg"] = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + rng.randbytes(500)
    files["bmp-huge.bmp"] = b"BM" + struct.pack("<IHHIIiiHHIIiiII", 0, 0, 0, 54, 40, 50000, 50000, 1, 24, 0, 0,
                                                0, 0, 0, 0)
    files["empty.jpg"] = b""
    files["text.png"] = "Визитка: Иван Петров, +7 916 123-45-67\n".encode()
    names = [b"a\nb.jpg", b"\x1b[2J.png", "Визитка.jpg".encode("cp1251"), b"x" * 251 + b".jpg", b" .jpg",
             b"-rf.png"]
    paths = [folder / name for name in files]
    for path, data in zip(paths, files.values(), strict=True):
        path.write_bytes(data)
    for name in names:  # odd names, real pictures
        path = Path(os.fsdecode(os.fsencode(folder) + b"/" + name))
        path.write_bytes(rng.choice(images))
        paths.append(path)
    return paths


PROBE = """
import json, resource, sys, time
from pathlib import Path
from pipeline.stages.run import scan
for line in sys.stdin:
    path = json.loads(line)
    start = time.monotonic()
    r = scan(path)
    print(json.dumps({"path": path, "status": r.status, "error": r.error, "seconds": time.monotonic() - start}),
          flush=True)
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


@pytest.mark.slow  # ~300 inputs, a few of them read by OCR
def test_every_hostile_input_gives_a_result_or_one_line_within_the_budget(tmp_path: Path) -> None:
    paths = _corpus(tmp_path)
    assert len(paths) >= 300
    feed = "".join(json.dumps(str(p)) + "\n" for p in paths)
    run = subprocess.run([sys.executable, "-c", PROBE], input=feed, capture_output=True, text=True, timeout=3000,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"})
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    results, peak = lines[:-1], lines[-1]["peak_mb"]
    assert len(results) == len(paths)
    bad = [r for r in results if r["status"] not in ("ok", "no_card", "error")
           or (r["error"] and ("\n" in r["error"] or "internal error" in r["error"]))
           or r["seconds"] > MAX_SECONDS]
    assert not bad, bad[:5]
    assert peak < MAX_PEAK_MB
    statuses = {s: sum(r["status"] == s for r in results) for s in ("ok", "no_card", "error")}
    slowest = max(r["seconds"] for r in results)
    print(f"\n{len(results)} inputs: {statuses}; slowest {slowest:.1f} s; peak {peak} MB")
