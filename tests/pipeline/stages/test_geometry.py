"""The maps between a card's pictures agree with what OpenCV does to the pixels."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.stages.geometry import IDENTITY, inverse, map_box, quarter_turn, scaling, then


@pytest.mark.parametrize(("degrees", "code"), [(90, cv2.ROTATE_90_COUNTERCLOCKWISE), (180, cv2.ROTATE_180),
                                               (270, cv2.ROTATE_90_CLOCKWISE)])
def test_a_quarter_turn_moves_a_pixel_where_cv2_rotate_puts_it(degrees: int, code: int) -> None:
    image = np.zeros((30, 50), np.uint8)
    image[7, 41] = 255
    turned = cv2.rotate(image, code)
    (y,), (x,) = np.nonzero(turned)
    a, b, c, d, e, f = quarter_turn(degrees, 50, 30)
    assert (a * 41 + b * 7 + c, d * 41 + e * 7 + f) == (x, y)


def test_a_map_then_its_inverse_is_no_move() -> None:
    m = then(scaling(1.7), (0.99, -0.05, 12.0, 0.05, 0.99, -3.0))
    assert np.allclose(then(m, inverse(m)), IDENTITY)


def test_a_box_turned_half_way_lands_on_the_other_corner() -> None:
    assert map_box(quarter_turn(180, 101, 51), (10, 5, 20, 10)) == (70.0, 35.0, 20.0, 10.0)
