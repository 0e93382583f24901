"""The fixed, committed sample set in ``sample_cards/``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cardgen.generate import Card, make_card, rngs_for, write_example
from cardgen.people import ContentOptions
from cardgen.scenes import SceneOptions

SAMPLE_SEED = 20240501


@dataclass(frozen=True)
class Sample:
    stem: str
    condition: str
    language: str | None = None
    family: str | None = None
    distractors: bool | None = None
    extension: bool | None = None
    scene: SceneOptions = field(default_factory=SceneOptions)
    cards: int = 1


SAMPLES: tuple[Sample, ...] = (
    Sample("ru_classic_scan", "scan", "ru", "classic_centered", scene=SceneOptions(fmt="png")),
    Sample("en_left_logo_scan", "scan", "en", "left_logo", scene=SceneOptions(fmt="jpg")),
    Sample("bilingual_icons_scan", "scan", "ru+en", "icon_list", scene=SceneOptions(fmt="jpg")),
    Sample(
        "ru_extension_inn_scan",
        "scan",
        "ru",
        "left_logo",
        distractors=True,
        extension=True,
        scene=SceneOptions(fmt="jpg"),
    ),
    Sample("ru_dark_photo_desk", "photo", "ru", "dark_left", scene=SceneOptions(background="desk")),
    Sample("en_banner_photo_wood", "photo", "en", "banner_top", scene=SceneOptions(background="wood")),
    Sample(
        "bilingual_sidebar_photo_fabric", "photo", "ru+en", "sidebar", scene=SceneOptions(background="fabric")
    ),
    Sample(
        "en_minimal_photo_noise", "photo", "en", "minimal_big_name", scene=SceneOptions(background="noise")
    ),
    Sample("ru_portrait_rotated90", "rotated", "ru", "portrait", scene=SceneOptions(rotation=90, fmt="png")),
    Sample(
        "en_strip_rotated180", "rotated", "en", "bottom_strip", scene=SceneOptions(rotation=180, fmt="jpg")
    ),
    Sample(
        "ru_ogrn_rotated270",
        "rotated",
        "ru",
        "two_column",
        distractors=True,
        scene=SceneOptions(rotation=270, fmt="jpg"),
    ),
    Sample("multi_page_2cards", "multi", cards=2),
    Sample("multi_page_4cards", "multi", cards=4),
    Sample("multi_page_6cards", "multi", cards=6),
    Sample("ru_minimal_lowres", "lowres", "ru", "minimal_big_name"),
    Sample("en_extension_lowres", "lowres", "en", "classic_centered", extension=True),
)


def _cards(sample: Sample, index: int) -> tuple[list[Card], object, object]:
    rng, nprng = rngs_for(SAMPLE_SEED, index)
    options = ContentOptions(sample.language, sample.distractors, sample.extension)
    if sample.condition == "multi":
        languages = ("ru", "en", "ru+en")
        cards = [make_card(rng, ContentOptions(languages[i % 3])) for i in range(sample.cards)]
    else:
        cards = [make_card(rng, options, sample.family)]
    return cards, rng, nprng


def write_samples(out_dir: Path) -> list[Path]:
    """Write the fixed 16-image sample set (with labels and a README) to ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for index, sample in enumerate(SAMPLES):
        cards, rng, nprng = _cards(sample, index)
        paths.append(
            write_example(
                out_dir,
                sample.stem,
                sample.condition,
                cards,
                rng,
                nprng,  # type: ignore[arg-type]
                sample.scene,
                SAMPLE_SEED,
                index,
            )
        )
    readme = Path(__file__).resolve().parent / "data" / "samples_readme.txt"
    (out_dir / "README.md").write_text(readme.read_text(encoding="utf-8"), encoding="utf-8")
    return paths
