"""The lock files in requirements/: exact, hashed, free of any machine's settings, in step with
pyproject.toml, and what this environment has installed.

``make lock`` writes them; ``make run`` (and the image) install the runtime lock, ``make test``
and ``make lint`` the dev lock.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.recipes import ROOT

LOCKS = {"runtime": ROOT / "requirements" / "runtime.txt", "dev": ROOT / "requirements" / "dev.txt"}
# Their data moves due dates and which phone numbers match: pinned exactly in pyproject.toml.
EXACT = ("holidays", "phonenumbers")
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


@dataclass(frozen=True)
class Pin:
    version: str
    marker: Marker | None
    hashes: int


def _entries(text: str) -> list[str]:
    """Requirement entries, each with its continuation lines, comments dropped."""
    entries: list[str] = []
    for line in text.splitlines():
        code = line.split("#", 1)[0].rstrip().removesuffix("\\").strip()
        if not code:
            continue
        if line.startswith((" ", "\t")) and entries:  # a continuation: --hash=...
            entries[-1] += " " + code
        else:
            entries.append(code)
    return entries


def _pins(lock: str) -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    for entry in _entries(LOCKS[lock].read_text()):
        match = _PIN.match(entry)
        assert match, f"{lock} lock: not an exact pin: {entry[:80]!r}"
        requirement = Requirement(entry.split(" --hash", 1)[0])
        pins[canonicalize_name(match["name"])] = Pin(
            version=match["version"],
            marker=requirement.marker,
            hashes=entry.count("--hash=sha256:"),
        )
    return pins


def _pyproject() -> dict[str, list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        "runtime": [Requirement(item) for item in project["dependencies"]],
        "dev": [Requirement(item) for item in project["optional-dependencies"]["dev"]],
    }


@pytest.mark.parametrize("lock", LOCKS)
def test_every_entry_is_an_exact_version_with_its_hashes(lock: str) -> None:
    pins = _pins(lock)

    assert pins
    assert [name for name, pin in pins.items() if pin.hashes == 0] == []


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_names_no_index_link_or_local_path(lock: str) -> None:
    # Index and find-links settings belong to the machine that compiled the lock.
    text = LOCKS[lock].read_text()
    requirements = "\n".join(_entries(text))

    assert [line for line in _entries(text) if line.startswith("-")] == []
    assert re.findall(r"\S*://\S*|(?:^|\s)/\S+", requirements) == []
    assert [line for line in text.splitlines() if re.search(r"/(?:tmp|opt|home|root)/", line)] == []


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_satisfies_pyproject(lock: str) -> None:
    pins = _pins(lock)
    declared = _pyproject()["runtime"] + (_pyproject()["dev"] if lock == "dev" else [])

    wrong = {
        str(requirement): pins.get(canonicalize_name(requirement.name))
        for requirement in declared
        if canonicalize_name(requirement.name) not in pins
        or not requirement.specifier.contains(
            pins[canonicalize_name(requirement.name)].version, prereleases=True
        )
    }

    assert wrong == {}, "pyproject.toml changed: run make lock"


def test_the_dev_lock_holds_the_runtime_lock() -> None:
    runtime, dev = _pins("runtime"), _pins("dev")

    versions = {name: pin.version for name, pin in runtime.items()}

    assert {name: dev[name].version if name in dev else None for name in runtime} == versions


@pytest.mark.parametrize("name", EXACT)
def test_date_data_is_pinned_exactly_and_locked_at_that_version(name: str) -> None:
    (requirement,) = [r for r in _pyproject()["runtime"] if canonicalize_name(r.name) == name]
    (specifier,) = requirement.specifier

    assert specifier.operator == "=="
    assert _pins("runtime")[name].version == specifier.version


def test_this_environment_has_the_dev_lock_installed() -> None:
    # make test installs the dev lock; a package upgraded by hand would show here.
    installed: dict[str, str] = {
        canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()
    }

    differ = {
        name: (pin.version, installed.get(name))
        for name, pin in _pins("dev").items()
        if (pin.marker is None or pin.marker.evaluate()) and installed.get(name) != pin.version
    }

    assert differ == {}
