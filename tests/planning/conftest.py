from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from routing.planning import REGISTRY_DIR, InMemoryRegistry


@pytest.fixture(scope="session")
def registry() -> InMemoryRegistry:
    return InMemoryRegistry.load()


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped registry files, to break or edit one of them."""
    target = tmp_path / "registry_data"
    shutil.copytree(REGISTRY_DIR, target)
    return target
