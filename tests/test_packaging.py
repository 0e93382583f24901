"""The Dockerfile and the Makefile must install the same OCR packages, and CI must run the README's command."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _makefile_tesseract_packages() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    match = re.search(r"^TESSERACT_PACKAGES := (.+)$", text, re.MULTILINE)
    assert match, "Makefile lost its TESSERACT_PACKAGES line"
    # `$(addprefix tesseract-ocr-,$(LANGS))` adds languages on request; the Dockerfile takes the default set.
    return {w for w in match.group(1).split() if "$(" not in w}


def _dockerfile_apt_packages() -> set[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    installs = re.findall(r"apt-get install ([^&\n]+)", text)
    return {w for cmd in installs for w in cmd.split() if not w.startswith("-")}


def test_dockerfile_installs_the_makefile_tesseract_packages() -> None:
    wanted = _makefile_tesseract_packages()
    assert {"tesseract-ocr", "tesseract-ocr-rus", "tesseract-ocr-eng", "tesseract-ocr-osd"} <= wanted
    assert wanted <= _dockerfile_apt_packages()


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make demo" in readme
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_the_wheel_holds_the_package_and_not_the_development_tools() -> None:
    import tomllib

    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    packages = set(find_packages(where=str(ROOT), include=config["include"]))
    assert {"pipeline", "pipeline.stages.ocr", "pipeline.extract", "pipeline.cli", "models"} <= packages
    assert not {p for p in packages if p.split(".")[0] in {"devtools", "cardgen", "tests"}}


def _demo_with(tmp_path: Path, scan_exit: int) -> subprocess.CompletedProcess[str]:
    """`make demo`'s own steps (setup skipped) with a `cardscan` whose scan exits `scan_exit` and whose other
    commands succeed, run on a copy of the Makefile."""
    tmp_path = tmp_path / f"scan-exits-{scan_exit}"
    tmp_path.mkdir()
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "cardscan"
    fake.write_text('#!/bin/sh\ncase "$1 $2" in\n'
                    f'  "scan "*) echo "error x.jpg: not an image file" >&2; exit {scan_exit};;\n'
                    "  \"contacts search\") echo '[{\"id\": 1}]';;\nesac\n")
    fake.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    return subprocess.run(["make", "-o", "setup", "demo", f"BIN={bin_dir}"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_demo_stops_when_a_sample_fails_to_scan(tmp_path: Path) -> None:
    """It ran `scan ... || true`: a broken setup (no OCR data, a library missing) went on to list an empty book."""
    assert _demo_with(tmp_path, 0).returncode == 0
    # what the scan printed holds the people on the cards: the owner's alone, whatever the caller's umask
    assert (tmp_path / "scan-exits-0" / "var" / "demo-scan.txt").stat().st_mode & 0o777 == 0o600
    failed = _demo_with(tmp_path, 1)
    assert failed.returncode != 0
    assert "make demo: a sample failed to scan (the error is above; what was read: var/demo-scan.txt)" in failed.stderr
    assert "contacts list" not in failed.stdout
