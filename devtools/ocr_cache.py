"""A disk cache of card readings (OCR lines and QR codes) for `cardscan eval --ocr-cache DIR`.

OCR is ~95% of a scan's time and extraction ~1%, so measuring a change to extraction from cached
readings takes seconds instead of minutes. An entry is keyed by the image's bytes and by the source
of every stage that runs before extraction: edit any of them and the old entries are simply not found.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.core.config import Settings
from pipeline.core.types import OcrLine, OcrResult, OcrWord, Reading
from pipeline.stages.load import sha256_of
from pipeline.stages.ocr import get_engine

# Where the reading half of a scan starts: the cache keys on the source of these modules, of the OCR
# engine's own module and of every project module they import, found by reading their import
# statements, so no list is kept by hand.
READING_ROOTS = ("pipeline.stages.load", "pipeline.stages.read")
# Lexicon files are data, read by name: `entries("tlds")`, `words(...)`, `pairs(...)`.
_LEXICON_CALL = re.compile(r"\b(?:entries|words|pairs)\(\s*[\"']([\w-]+)[\"']")


def cached_readings(path: Path, settings: Settings, cache_dir: Path) -> tuple[list[Reading], str, str | None, bool]:
    """The readings of an image (and its status and error), from the cache or by scanning it now;
    the last value says whether they came from the cache."""
    from pipeline.stages.run import scan_image  # scan imports the whole pipeline; the cache is also used without it

    entry = entry_path(cache_dir, sha256_of(path.read_bytes()), settings)
    found = load(entry)
    if found is not None:
        return (*found, True)
    result = scan_image(path, settings)
    save(entry, result.readings, result.status, result.error)
    return result.readings, result.status, result.error, False


@cache  # read the sources once per process, not once per image
def stamp(lang: str, engine_name: str) -> str:
    engine = get_engine(engine_name)
    digest = hashlib.sha256(f"{lang}|{engine.identity()}".encode())
    for source in reading_sources((*READING_ROOTS, type(engine).__module__)):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def reading_sources(roots: tuple[str, ...] = READING_ROOTS) -> list[Path]:
    """Every file whose content decides what a reading holds: the `roots` and the modules they import,
    transitively, within the project, and the lexicon files they read."""
    seen: dict[str, Path] = {}
    todo = list(roots)
    lexicons: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # `from module import function`: the name is no module
            continue
        if spec is None or spec.origin is None:
            continue
        path = Path(spec.origin)
        seen[name] = path
        text = path.read_text(encoding="utf-8")
        lexicons.update(_LEXICON_CALL.findall(text))
        todo.extend(_project_imports(ast.parse(text), name, path.name == "__init__.py"))
    lexicon_dir = Path(importlib.import_module("pipeline").__file__ or ".").parent / "lexicons"
    files = sorted(seen.values()) + sorted(lexicon_dir / f"{n}.txt" for n in lexicons)
    return [f for f in files if f.exists()]


def _project_imports(tree: ast.Module, module: str, is_package: bool) -> list[str]:
    """Modules of the `pipeline` package that `module` imports at run time (not under TYPE_CHECKING)."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) \
                if node.level else (node.module or "")
            found.append(base)
            found.extend(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [n for n in found if n == "pipeline" or n.startswith("pipeline.")]


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    nodes: list[ast.AST] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        nodes.append(node)
        nodes.extend(_runtime_nodes(node))
    return nodes


def entry_path(cache_dir: Path, image_sha256: str, settings: Settings) -> Path:
    return cache_dir / f"{image_sha256[:32]}-{stamp(settings.lang, settings.ocr_engine)}.json"


def save(path: Path, readings: list[Reading], status: str, error: str | None) -> None:
    doc = {"status": status, "error": error, "readings": [_reading_to_dict(r) for r in readings]}
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def load(path: Path) -> tuple[list[Reading], str, str | None] | None:
    """The cached readings, status and error; None when there is no entry."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [_reading_from_dict(r) for r in doc["readings"]], doc["status"], doc["error"]


def _reading_to_dict(reading: Reading) -> dict[str, Any]:
    return {
        "lines": [[[w.text, w.conf, w.left, w.top, w.width, w.height] for w in line.words]
                  for line in reading.ocr.lines],
        "size": [reading.ocr.width, reading.ocr.height],
        "codes": list(reading.codes),
        "bbox": list(reading.bbox) if reading.bbox else None,
        "page": reading.page,
        "rotation": reading.rotation,
    }


def _reading_from_dict(doc: dict[str, Any]) -> Reading:
    lines = tuple(OcrLine(tuple(OcrWord(str(t), float(c), int(x), int(y), int(w), int(h))
                                for t, c, x, y, w, h in line)) for line in doc["lines"])
    bbox = tuple(doc["bbox"]) if doc["bbox"] else None
    return Reading(OcrResult(lines, *doc["size"]), tuple(doc["codes"]), bbox, doc["page"], doc["rotation"])
