"""What each command imports before it works (issue 12's start-up budget): modules, not seconds."""

from __future__ import annotations

from pathlib import Path

from models.database import connect
from tests.conftest import SAMPLES, modules_loaded

# Reading images, OCR engines, the database layer, the terminal tables: each costs 0.03-0.4 CPU s to import.
HEAVY = ("numpy", "PIL", "cv2", "tesserocr", "onnxruntime", "rapidocr", "sqlalchemy", "alembic", "models", "rich",
         "phonenumbers", "pymorphy3", "nameparser", "email_validator", "dns", "pipeline.stages", "pipeline.extract",
         "pipeline.book")


def run_cli(*argv: str) -> str:
    return f"from pipeline.cli import main\ntry:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass"


def test_help_imports_no_command() -> None:
    assert modules_loaded(run_cli("--help"), HEAVY) == set()


def test_listing_a_current_database_needs_no_alembic_and_no_image_code(tmp_path: Path) -> None:
    db = tmp_path / "contacts.db"
    connect(f"sqlite:///{db}").dispose()  # at the newest schema
    assert modules_loaded(run_cli("contacts", "list", "--db", str(db)), HEAVY) == {
        "sqlalchemy", "models", "rich", "phonenumbers", "pipeline.book", "pipeline.extract", "pipeline.stages"}


def test_a_tesseract_scan_of_a_latin_card_loads_neither_pp_ocr_nor_the_database_nor_pymorphy3() -> None:
    """pymorphy3 reads Cyrillic names only; --no-store needs no database; --engine tesseract no onnxruntime."""
    loaded = modules_loaded(run_cli("scan", str(SAMPLES / "en_left_logo_scan.jpg"), "--no-store", "--json",
                                    "--engine", "tesseract"), HEAVY)
    assert loaded == {"numpy", "PIL", "cv2", "tesserocr", "phonenumbers", "nameparser", "email_validator",
                      "pipeline.stages", "pipeline.extract", "pipeline.book"}
