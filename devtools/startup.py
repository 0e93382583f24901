"""Start-up and fixed overhead of the `cardscan` commands (issue 12): CPU seconds, cold and warm.

    python -m devtools.startup [--image sample_cards/ru_classic_scan.png] [--runs 5] [--engines tesseract auto]

Each command runs `--runs` times as a fresh process under `/usr/bin/time` (user + system CPU seconds of the
process and its children, the median printed): `cardscan --help`, `scan --no-store --json`, `scan` into a new
SQLite database and into an existing one, and `contacts list` on an existing one. `warm` is the same image
scanned again in a process that has already scanned it once (`time.process_time`): models loaded, modules
imported. Cold minus warm is the fixed overhead of a one-image scan. CPU, not wall, since the machine is shared.

`--parts` splits a cold scan's fixed overhead instead, in one fresh process per run, each part loaded on its
own in the order a scan loads it (median CPU seconds per part).
"""

from __future__ import annotations

import argparse
import ast
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

WARM = """
import sys, time
from pipeline import Settings, scan
settings = Settings(ocr_engine=sys.argv[2])
scan(sys.argv[1], settings)
start = time.process_time()
scan(sys.argv[1], settings)
print(time.process_time() - start)
"""

# Each part of a cold scan in turn, in the order a scan meets them; "first-use data" is the first scan less the
# second (lexicons, the line model, calibration maps, libraries a card's fields import when first met).
PARTS = """
import sys, time
marks = {"interpreter": time.process_time()}
last = [time.process_time()]
def mark(name):
    now = time.process_time(); marks[name] = now - last[0]; last[0] = now
import click, pipeline.cli, pipeline.cli.common, pipeline.cli.scan; mark("CLI (click, commands)")
import numpy; mark("numpy")
import cv2; mark("OpenCV")
import PIL.Image; mark("Pillow")
import pipeline.extract.fields; mark("extraction modules (phonenumbers, rapidfuzz ...)")
import pipeline.stages.run, pipeline.stages.report; mark("reading stages' modules")
engine = sys.argv[2]
from pipeline.stages.ocr import get_engine
get_engine(engine).languages(); mark("OCR engine module")
from pipeline.stages.ocr import tesserocr as T
T._warn_if_mismatched(); mark("tesserocr = tesseract program? (a child process, not counted)")
T._api("rus+eng"); mark("Tesseract rus+eng model")
if engine == "tesseract":
    T._api("eng"); mark("Tesseract eng model (rereads)")
if engine == "auto":
    import onnxruntime; mark("onnxruntime")
    from pipeline.stages.ocr import ppocr
    ppocr._reader(); mark("rapidocr, two onnxruntime sessions")
from pipeline import Settings, scan
settings = Settings(ocr_engine=engine)
scan(sys.argv[1], settings); first = time.process_time() - last[0]
last[0] = time.process_time()
scan(sys.argv[1], settings); warm = time.process_time() - last[0]
marks["first-use data (first scan - warm scan)"] = first - warm
last[0] = time.process_time()
T._api("osd"); mark("Tesseract osd model (only when a reading is poor)")
print(repr(marks))
"""


def cpu_seconds(argv: Sequence[str], cwd: Path) -> float:
    """User + system CPU seconds of one run of `argv`, its children included."""
    out = cwd / "time.txt"
    subprocess.run(["/usr/bin/time", "-o", str(out), "-f", "%U %S", *argv], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    user, system = out.read_text().split()[-2:]
    return float(user) + float(system)


def median_of(runs: int, argv: Sequence[str], cwd: Path, before: Sequence[str] | None = None) -> float:
    """Median CPU seconds over `runs` runs; `before` (a file to copy over the database) is done each time."""
    times = []
    for _ in range(runs):
        if before:
            shutil.copyfile(before[0], before[1])
        times.append(cpu_seconds(argv, cwd))
    return statistics.median(times)


def warm_seconds(runs: int, image: Path, engine: str, cwd: Path) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", WARM, str(image), engine], cwd=cwd, check=True,
                             capture_output=True, text=True).stdout
        times.append(float(out.split()[-1]))
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--image", type=Path, default=Path("sample_cards/ru_classic_scan.png"))
    parser.add_argument("--other", type=Path, default=Path("sample_cards/en_left_logo_scan.jpg"),
                        help="the card the existing database holds")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engines", nargs="+", default=["tesseract", "auto"])
    parser.add_argument("--parts", action="store_true", help="split a cold scan's fixed overhead into its parts")
    args = parser.parse_args(argv)
    image, other = args.image.resolve(), args.other.resolve()
    # An installed package has its bytecode; a checkout run with PYTHONDONTWRITEBYTECODE would compile
    # every module on every run (~0.15 s), which no user pays.
    root = Path(__file__).resolve().parent.parent
    for package in ("pipeline", "models"):
        compileall.compile_dir(root / package, quiet=1)
    if args.parts:
        print_parts(args.runs, image, args.engines)
        return
    cardscan = [sys.executable, "-m", "pipeline"]
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        template = cwd / "template.db"
        subprocess.run([*cardscan, "scan", str(other), "--db", str(template), "--engine", "tesseract"], cwd=cwd,
                       check=True, capture_output=True)
        db = cwd / "contacts.db"
        rows = [("cardscan --help", median_of(args.runs, [*cardscan, "--help"], cwd)),
                ("contacts list (existing db)",
                 median_of(args.runs, [*cardscan, "contacts", "list", "--db", str(db)], cwd, (str(template), str(db))))]
        for engine in args.engines:
            scan = [*cardscan, "scan", str(image), "--engine", engine]
            warm = warm_seconds(args.runs, image, engine, cwd)
            rows.append((f"{engine}: scan, warm process", warm))
            cold = median_of(args.runs, [*scan, "--no-store", "--json"], cwd)
            rows.append((f"{engine}: scan --no-store --json", cold))
            rows.append((f"{engine}:   fixed overhead (cold - warm)", cold - warm))
            new = cwd / "new.db"
            times = []
            for _ in range(args.runs):
                for leftover in cwd.glob("new.db*"):
                    leftover.unlink()
                times.append(cpu_seconds([*scan, "--db", str(new)], cwd))
            rows.append((f"{engine}: scan --db NEW", statistics.median(times)))
            rows.append((f"{engine}: scan --db EXISTING",
                         median_of(args.runs, [*scan, "--db", str(db)], cwd, (str(template), str(db)))))
    width = max(len(name) for name, _ in rows)
    print(f"{'command':<{width}}  CPU s (median of {args.runs})")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:6.2f}")


def print_parts(runs: int, image: Path, engines: Sequence[str]) -> None:
    for engine in engines:
        samples = [ast.literal_eval(subprocess.run([sys.executable, "-c", PARTS, str(image), engine], check=True,
                                                   capture_output=True, text=True).stdout.splitlines()[-1])
                   for _ in range(runs)]
        print(f"{engine}: CPU ms (median of {runs})")
        for part in samples[0]:
            print(f"  {statistics.median(s[part] for s in samples) * 1000:6.0f}  {part}")


if __name__ == "__main__":
    main()
