"""The pipeline end to end for one source: load -> read the cards -> fields (-> store, by the caller).

`scan` is the library's one entry point: the CLI, batch, the inbox watcher and scripts all call it.
"""

from __future__ import annotations

from pathlib import Path
from time import perf_counter

from pipeline.core.config import Settings
from pipeline.core.display import printable
from pipeline.core.errors import CardscanError, InputError
from pipeline.core.types import CardFields, CardResult, Reading, ReadLine, ScanResult, Status
from pipeline.extract.fields import extract
from pipeline.extract.provenance import line_fields
from pipeline.stages.debug import DebugImages
from pipeline.stages.geometry import map_box
from pipeline.stages.load import Source, file_digest, load, sha256_of
from pipeline.stages.read import StageTimer, read_page

OUT_OF_MEMORY = "out of memory reading it; split it or lower its resolution"


def scan(source: Source, settings: Settings | None = None, *, name: str | None = None,
         debug_dir: Path | None = None) -> ScanResult:
    """Read every card in one image or PDF, given as a path, its bytes or a BGR array.
    Never raises for a bad source: the result says why (`status: error` and a one-line reason)."""
    settings = settings or Settings()
    label = _label(source, name)
    timer = StageTimer()
    debug = DebugImages(debug_dir, Path(label))
    start = perf_counter()
    digest: str | None = None

    def result(status: Status, cards: list[CardResult], error: str | None = None) -> ScanResult:
        sha = digest or _digest_or_empty(source, settings.max_file_bytes)
        return ScanResult(label, sha, status, cards, error=printable(error) if error else None,
                          seconds=perf_counter() - start, timings=timer.seconds)

    try:
        with timer("load"):
            loaded = load(source, settings, name)
        digest = loaded.sha256
        readings = []
        for page in loaded.pages:  # decoded one at a time (stages.load.LazyPages)
            readings += read_page(page, settings, timer, debug)
            if perf_counter() - start > settings.max_seconds and page.index + 1 < len(loaded.pages):
                raise InputError(f"stopped after page {page.index + 1} of {len(loaded.pages)}: over the "
                                 f"{settings.max_seconds:.0f} s limit per file; split it into smaller files", digest)
        with timer("extract"):
            cards = [card for card in (card_from(r, settings) for r in readings) if card]
    except InputError as exc:
        digest = exc.sha256
        return result("error", [], str(exc))
    except CardscanError as exc:
        return result("error", [], str(exc))
    except MemoryError:  # a batch worker runs under a memory limit (jobs.batch): this is that limit
        return result("error", [], OUT_OF_MEMORY)
    except Exception as exc:  # a bug or a library failure on one odd image must not stop a batch
        if "alloc" in str(exc).lower() or "insufficient memory" in str(exc).lower():  # OpenCV's MemoryError
            return result("error", [], OUT_OF_MEMORY)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return result("error", [], f"internal error ({type(exc).__name__}: {detail}); please report it")
    done = result("ok" if cards else "no_card", cards)
    done.taken_at = loaded.taken_at
    done.readings = readings
    return done


def scan_image(path: Path | str, settings: Settings | None = None, debug_dir: Path | None = None) -> ScanResult:
    """`scan` of a file on disk (the name the library had first)."""
    return scan(path, settings, debug_dir=debug_dir)


def card_from(reading: Reading, settings: Settings) -> CardResult | None:
    """The fields of one read card; None when it gave none (a blank back, a logo only)."""
    fields = extract(reading.ocr, settings, reading.codes)
    if fields.is_empty():
        return None
    return CardResult(fields, reading.bbox, reading.page, reading.rotation, crop=reading.crop,
                      lines=read_lines(reading, fields))


def read_lines(reading: Reading, fields: CardFields) -> list[ReadLine]:
    """The card's OCR lines with their boxes moved onto the stored picture, and the fields each became."""
    if reading.crop is None or reading.to_crop is None:
        return []
    lines = reading.ocr.lines
    became = line_fields([line.text for line in lines], fields)
    out = []
    for line, names in zip(lines, became, strict=True):
        right = max(w.left + w.width for w in line.words)
        x, y, w, h = map_box(reading.to_crop, (line.left, line.top, right - line.left, line.bottom - line.top))
        out.append(ReadLine(line.text, round(line.conf, 3), (round(x, 1), round(y, 1), round(w, 1), round(h, 1)),
                            tuple(names)))
    return out


def _label(source: Source, name: str | None) -> str:
    # A name that is not UTF-8 (a cp1251 file from a Windows share) or holds a newline is stored and
    # printed as %XX: the database, JSON and a terminal take neither.
    if isinstance(source, Path | str):
        return printable(str(source))
    return printable(name or ("<bytes>" if isinstance(source, bytes) else "<image>"))


def _digest_or_empty(source: Source, max_bytes: int) -> str:
    """The digest of a source load() refused before hashing it: a file is streamed, and only when it is
    within the size limit; one over it (a 3 GB video named .jpg) is never read, and gets the empty digest."""
    if isinstance(source, bytes):
        return sha256_of(source)
    if not isinstance(source, Path | str):
        return sha256_of(b"")
    return file_digest(Path(source), max_bytes) or sha256_of(b"")
