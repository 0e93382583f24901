"""Card detection on the sample images: every card found once, where the label says it is."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.detect import detect_cards, order_corners
from pipeline.load import load
from tests.conftest import label_of, sample_images


@pytest.mark.parametrize("image", sample_images(), ids=lambda p: p.name)
def test_each_card_is_found_where_it_lies(image: Path) -> None:
    labels = label_of(image)["cards"]
    quads = detect_cards(load(image).pages[0].image)
    if len(labels) == 1 and not quads:
        return  # the card fills the frame: read whole
    assert len(quads) == len(labels)
    polygons = [np.array(c["bbox"], np.float32).reshape(4, 2) for c in labels]
    for quad in quads:
        centre = quad.mean(axis=0)
        inside = [cv2.pointPolygonTest(p, (float(centre[0]), float(centre[1])), False) >= 0 for p in polygons]
        assert sum(inside) == 1


def test_corners_are_ordered_clockwise_from_top_left() -> None:
    shuffled = np.array([[100, 80], [0, 0], [0, 80], [100, 0]], np.float32)
    assert order_corners(shuffled).tolist() == [[0, 0], [100, 0], [100, 80], [0, 80]]
