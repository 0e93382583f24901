"""The Dockerfile and the Makefile must install the same OCR packages, and CI must run the README's command."""

import re

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
