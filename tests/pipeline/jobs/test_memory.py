"""A batch worker hands memory back between files without making the kernel zero every large buffer afresh
(pipeline.jobs.memory; docs/speed.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[3]
# en_minimal_photo_noise.jpg's third reading in a worker: 50800 page faults with the old fixed 1 MB mmap threshold,
# 13400 reusing the heap within the file; at rest after it 171 MB, at its peak 257 (2026-12-06).
FAULTS_AT_MOST = 30_000
RSS_AT_MOST_MB = 220

# A worker as `cardscan batch` starts one reads a photo three times; the page faults and the resident size of
# the third reading are printed. A fresh interpreter: the test process's own heap and settings stay out of it.
SCRIPT = """
import json, resource, sys
from pathlib import Path
from pipeline.core.config import Settings
from pipeline.jobs.worker import init_worker, scan_in_worker

init_worker()
settings = Settings(ocr_engine="tesseract")
path = Path(sys.argv[1])
for _ in range(2):
    scan_in_worker(path, settings)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
result, _, _ = scan_in_worker(path, settings)
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
rss = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() // 2**20
print(json.dumps({"faults": faults, "rss_mb": rss, "cards": len(result.cards)}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="page faults and malloc_trim: glibc on Linux")
def test_a_worker_reads_a_photo_without_faulting_in_every_buffer_and_returns_the_memory() -> None:
    photo = SAMPLES / "en_minimal_photo_noise.jpg"
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(photo)], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=300)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["cards"] == 1
    # With every buffer over 1 MB mapped afresh (the old fixed mmap threshold) each was faulted in and zeroed anew.
    assert seen["faults"] < FAULTS_AT_MOST, seen
    # and the memory is handed back: a worker at rest between files is its libraries and models, not the photo
    assert seen["rss_mb"] < RSS_AT_MOST_MB, seen
