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


def test_a_small_top_step_does_not_cap_the_steps_under_it() -> None:
    # 95 titles: 60 at raw 0.8 of which 57 right, 32 at raw 0.9 of which 31, 3 at raw 1.0 all right. The top step
    # alone (3 of 3) has a Wilson bound of 0.53, which capped every step under it there (the fit before pooling);
    # pooled with the step under it, the whole map stays near the share right (0.958).
    found = [("title", 0.8, n < 57, 1.0) for n in range(60)] + [("title", 0.9, n < 31, 1.0) for n in range(32)] \
        + [("title", 1.0, True, 1.0)] * 3
    m = fit(found)["title"]
    assert m["calibrated"] == sorted(m["calibrated"])
    assert min(m["calibrated"][1:]) > 0.85
    assert all(cal <= 1.0 for cal in m["calibrated"])
