import pytest

from devtools.evaluate import field_outcomes, reliability
from pipeline.core.types import CardFields
from pipeline.extract import calibration
from pipeline.extract.calibration import GUESS_BELOW, calibrate, calibrated, card_quality
from tests.conftest import lines_of


@pytest.mark.parametrize("engine", ["auto", "tesseract"])
@pytest.mark.parametrize("field", ["name", "company", "title", "phones", "emails", "websites", "address"])
def test_the_shipped_map_is_monotone_and_within_bounds(field: str, engine: str) -> None:
    assert calibration._maps(calibration.map_name(engine)).get(field) is not None, f"no {field} map for {engine}"
    values = [calibrated(field, x / 100, engine) for x in range(0, 101)]
    assert values == sorted(values)
    assert all(0.0 <= v <= 1.0 for v in values)


def test_every_engine_reads_through_a_shipped_map() -> None:
    from pipeline.stages.ocr import ENGINES

    for engine in ENGINES:
        assert calibration._maps(calibration.map_name(engine)), engine


def test_each_reader_has_its_own_map() -> None:
    """Tesseract's and the router's word confidences differ: the same raw figure need not mean the same."""
    assert calibration.map_name("pytesseract") == calibration.map_name("tesseract") == "tesseract"
    assert calibration.map_name("auto") == "auto" != calibration.map_name("tesseract")
    auto, tesseract = calibration._maps("auto"), calibration._maps("tesseract")
    assert any(auto[k][1].tolist() != tesseract[k][1].tolist() for k in auto.keys() & tesseract.keys())


def test_a_weak_field_becomes_a_guess_and_a_strong_one_does_not() -> None:
    fields = CardFields(name="Jane Doe", company="Acme Widgets", confidence={"name": 0.97, "company": 0.2})
    calibrate(fields)
    assert fields.confidence["company"] < GUESS_BELOW and "company" in fields.guesses
    assert fields.confidence["name"] >= GUESS_BELOW and "name" not in fields.guesses


def test_a_card_of_noise_has_a_low_quality() -> None:
    clean = lines_of("Jane Doe", "Acme Widgets", "jane@acme.com")
    noisy = clean + lines_of("ее", "SS", "ГГ", conf=20.0)
    assert card_quality(clean) == 1.0
    assert card_quality(noisy) == 0.5


def test_without_a_map_the_raw_confidence_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calibration, "ENABLED", False)
    fields = CardFields(name="Jane Doe", confidence={"name": 0.42})
    calibrate(fields)
    assert fields.confidence == {"name": 0.42} and fields.guesses == []


def test_reliability_rows_count_fields_and_the_share_right_per_bin() -> None:
    label = {"name": "Jane Doe", "company": "Acme", "phones": ["+12127365000"], "emails": ["jane@acme.com"]}
    pred = {"name": "Jane Doe", "company": "Acme Inc", "phones": [{"number": "+12127365000", "type": "work"}],
            "emails": ["jane@acme.com"], "confidence": {"name": 0.95, "company": 0.92, "phones": 0.8,
                                                         "emails": 0.3}}
    outcomes = field_outcomes(pred, label)
    assert sorted(outcomes) == [("company", 0.92, False), ("emails", 0.3, True), ("name", 0.95, True),
                                ("phones", 0.8, True)]
    rows = reliability(outcomes)
    assert rows["conf 0.9-1.0 fields"] == 2 and rows["conf 0.9-1.0 right"] == 0.5
    assert rows["conf 0.7-0.9 fields"] == 1 and rows["conf 0.0-0.5 right"] == 1.0
