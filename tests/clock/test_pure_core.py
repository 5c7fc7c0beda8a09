"""The clock and the planner are pure cores: no Django, and no other part of routing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import routing

ROUTING = Path(routing.__file__).resolve().parent
PURE = ("clock", "planning")
# The two cores may read each other; routing.identifiers is pure as well.
ALLOWED = ("routing.clock", "routing.planning", "routing.identifiers")
# Data tables may be long; every other module of a core stays short enough to read.
DATA_TABLES = {"clock/regimes.py", "planning/loading.py"}


def _modules() -> list[Path]:
    return sorted(path for package in PURE for path in (ROUTING / package).glob("*.py"))


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _imported(path: Path) -> set[str]:
    package = f"routing.{path.parent.name}".split(".")
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            names.add(".".join([*base, *([node.module] if node.module else [])]))
    return names


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_a_pure_module_imports_neither_django_nor_the_rest_of_routing(path: Path) -> None:
    imported = _imported(path)

    assert not [name for name in imported if name.split(".")[0] in ("django", "rest_framework")]
    assert [
        name
        for name in imported
        if name.split(".")[0] == "routing"
        and not any(name == allowed or name.startswith(f"{allowed}.") for allowed in ALLOWED)
    ] == []


@pytest.mark.parametrize(
    "path", [path for path in _modules() if _name(path) not in DATA_TABLES], ids=_name
)
def test_a_pure_module_stays_under_500_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500
