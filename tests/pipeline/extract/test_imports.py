"""Extraction reads text: importing it loads no image, OCR or database code, and each library that only some
cards need (pymorphy3 for Cyrillic names, nameparser for Latin ones, email-validator for addresses) is loaded
by the first card that needs it."""

from __future__ import annotations

from tests.conftest import modules_loaded

WATCHED = ("sqlalchemy", "alembic", "models", "cv2", "PIL", "tesserocr", "onnxruntime", "rapidocr", "rich",
           "pymorphy3", "nameparser", "email_validator", "dns")
IMPORT_ALL = ("import importlib, pkgutil, pipeline.extract\n"
              "for m in pkgutil.iter_modules(pipeline.extract.__path__):\n"
              "    importlib.import_module('pipeline.extract.' + m.name)")


def test_importing_every_extraction_module_loads_no_heavy_library() -> None:
    assert modules_loaded(IMPORT_ALL, WATCHED) == set()


def test_a_latin_name_loads_nameparser_and_not_pymorphy3() -> None:
    code = "from pipeline.extract.names import split_name\nassert split_name('John A. Smith').family == 'Smith'"
    assert modules_loaded(code, WATCHED) == {"nameparser"}


def test_a_russian_name_loads_pymorphy3_only_when_the_lexicons_cannot_order_it() -> None:
    known = "from pipeline.extract.names import split_name\nassert split_name('Ворошилова Снежана').given == 'Снежана'"
    assert modules_loaded(known, WATCHED) == set()
    # Neither word is in the given-name lexicon nor ends as a patronymic: the dictionary decides.
    unknown = "from pipeline.extract.names import split_name\nassert split_name('Скобеев Фрол').given == 'Фрол'"
    assert modules_loaded(unknown, WATCHED) == {"pymorphy3"}


def test_an_address_loads_email_validator_without_dns() -> None:
    code = ("from pipeline.extract.emails import normalise\n"
            "assert normalise('Ivan.Petrov@Example.COM') == 'ivan.petrov@example.com'")
    assert modules_loaded(code, WATCHED) == {"email_validator"}
