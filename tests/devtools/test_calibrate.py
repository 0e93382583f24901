import random

import pytest

from devtools.calibrate import HELD_OUT_SEEDS, fit, outcomes


def test_the_fitted_map_is_monotone_and_errs_low() -> None:
    rng = random.Random(3)
    # Fields right with the probability their raw confidence says, squared: raw over-states them.
    found = [("name", c, rng.random() < c * c, 1.0) for c in (rng.random() for _ in range(2000))]
    m = fit(found)["name"]
    assert m["calibrated"] == sorted(m["calibrated"])
    for raw, cal in zip(m["raw"], m["calibrated"], strict=True):
        if 0.2 < raw < 0.95:
            assert cal <= raw * raw + 0.05  # never above the true share right (the lower bound of it)


def test_a_field_seen_too_rarely_gets_no_map() -> None:
    assert fit([("title", 0.9, True, 1.0)] * 5) == {}


def test_a_held_out_eval_set_is_refused(tmp_path) -> None:
    held = tmp_path / f"eval-set-{HELD_OUT_SEEDS[0]}-250"
    held.mkdir()
    (held / "00000_scan.png").write_bytes(b"")
    (held / "00000_scan.png.json").write_text('{"generator": {}, "cards": []}')
    with pytest.raises(SystemExit, match="held-out"):
        outcomes([held], None)
