from __future__ import annotations

import tomllib

from tests.conftest import REPO


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "filmfs").rglob("__init__.py")
    }
    assert found | {"filmfs.schemas"} == listed


def test_every_data_file_of_a_package_is_shipped() -> None:
    """Files the code reads with importlib.resources (page.css, page.js, *.sql) are package-data."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    data = config["tool"]["setuptools"]["package-data"]
    unshipped = []
    for path in (REPO / "filmfs").rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        package = ".".join(path.parent.relative_to(REPO).parts)
        if not any(path.match(pattern) for pattern in data.get(package, [])):
            unshipped.append(path.relative_to(REPO).as_posix())
    assert unshipped == []
