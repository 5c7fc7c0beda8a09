"""The image deploy/Dockerfile builds holds every path the service reads at run time, and its
Python packages come from the runtime lock.

No Docker engine runs here, so the Dockerfile's COPY lines are traced instead
(tests/deploy/dockerfile.py). The paths are read from ``django.conf.settings`` and the apps'
folders, not listed by hand, so a new LOCALE_PATHS entry or data folder is checked too.
In the image BASE_DIR is the WORKDIR, so each path must land at the same place under it.
"""

from __future__ import annotations

import importlib
import shlex
import sys
from pathlib import Path, PurePosixPath
from typing import cast

import pytest
from django.apps import apps
from django.conf import settings

from tests.deploy.dockerfile import Image, dockerignored, stages
from tests.support.recipes import ROOT

RUNTIME_LOCK = "requirements/runtime.txt"
# What the image's commands name: manage.py (migrate, collectstatic) and gunicorn's --config.
COMMAND_FILES = ("manage.py", "deploy/gunicorn.conf.py")


def _relative(path: str | Path, what: str) -> str:
    path = Path(path).resolve()
    # Only the checkout is in the build context: a path outside it cannot be copied.
    assert path.is_relative_to(ROOT), f"{what}: {path} is outside the checkout"
    return path.relative_to(ROOT).as_posix()


def _settings_paths() -> dict[str, str]:
    paths: dict[str, str] = {}
    for index, locale in enumerate(settings.LOCALE_PATHS):
        paths[f"LOCALE_PATHS[{index}]"] = _relative(locale, "LOCALE_PATHS")
    for index, backend in enumerate(settings.TEMPLATES):
        for position, folder in enumerate(cast("list[str | Path]", backend.get("DIRS", []))):
            paths[f"TEMPLATES[{index}].DIRS[{position}]"] = _relative(folder, "TEMPLATES DIRS")
    for index, entry in enumerate(getattr(settings, "STATICFILES_DIRS", [])):
        static = entry[1] if isinstance(entry, tuple | list) else entry  # (prefix, path) form
        paths[f"STATICFILES_DIRS[{index}]"] = _relative(static, "STATICFILES_DIRS")
    for index, fixtures in enumerate(getattr(settings, "FIXTURE_DIRS", [])):
        paths[f"FIXTURE_DIRS[{index}]"] = _relative(fixtures, "FIXTURE_DIRS")
    return paths


def _app_paths() -> dict[str, str]:
    """The project's own apps (those in the checkout; the others come from the lock) and the
    package gunicorn serves, with every folder of data (files other than Python) the code
    reads from next to itself: routing/registry_data, static/, ..."""
    wsgi = importlib.import_module(settings.WSGI_APPLICATION.split(".", 1)[0])
    paths = {"wsgi package": _relative(Path(str(wsgi.__file__)).parent, "WSGI_APPLICATION")}
    for config in apps.get_app_configs():
        app = Path(config.path).resolve()
        # Installed packages may sit in a virtualenv inside the checkout (make's .venv).
        if not app.is_relative_to(ROOT) or app.is_relative_to(Path(sys.prefix).resolve()):
            continue
        paths[f"app {config.label}"] = _relative(app, config.label)
        for file in sorted(app.rglob("*")):
            if not file.is_file() or file.suffix in {".py", ".pyc"}:
                continue
            top = app / file.relative_to(app).parts[0]
            paths[f"app {config.label}: {top.name}"] = _relative(top, config.label)
    return paths


def _run_time_paths() -> dict[str, str]:
    return {
        **_settings_paths(),
        **_app_paths(),
        **{f"command: {path}": path for path in COMMAND_FILES},
    }


def test_the_settings_name_the_checkout_as_base_dir() -> None:
    # The image copies paths relative to the checkout to the same place under its WORKDIR.
    assert Path(settings.BASE_DIR).resolve() == ROOT


def test_the_paths_read_at_run_time_are_found_and_include_the_translations() -> None:
    paths = _run_time_paths()

    assert {"locale", "templates", "routing/registry_data", "routing/static"} <= set(paths.values())
    assert [what for what, path in paths.items() if not (ROOT / path).exists()] == []


_PATHS = sorted(_run_time_paths().items())


@pytest.mark.parametrize(("what", "path"), _PATHS, ids=[what for what, _ in _PATHS])
def test_the_image_holds_each_path_read_at_run_time(what: str, path: str) -> None:
    image = Image()

    copied_from = image.origin(image.workdir / path)

    assert copied_from == path, f"{what}: {image.workdir / path} is not copied from {path}"
    assert not dockerignored(path), f"{what}: .dockerignore leaves {path} out of the context"


def test_a_dockerfile_missing_a_path_is_caught() -> None:
    # The image before locale/ was copied: English only.
    image = Image(
        "FROM python:3.11-slim AS build\nWORKDIR /src\nCOPY dsar ./dsar\n"
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY templates ./templates\n"
        "COPY --from=build /src/dsar ./dsar\n"
    )

    assert image.origin("/app/dsar/settings.py") == "dsar/settings.py"
    assert image.origin("/app/templates") == "templates"
    assert image.origin("/app/locale") is None


def test_the_image_imports_the_service_from_its_workdir() -> None:
    # Data is found next to the code (REGISTRY_DIR is relative to the module), so the copy
    # under WORKDIR must be the one imported, by manage.py, gunicorn and celery alike.
    image = Image()

    assert str(image.workdir) in image.final.env.get("PYTHONPATH", "").split(":")


def _pip_installs() -> list[tuple[str, PurePosixPath, list[str]]]:
    """(stage, WORKDIR, arguments after ``pip install``) for each pip install in any RUN."""
    found = []
    for name, stage in stages().items():
        for workdir, command in stage.runs:
            for part in command.replace("&&", ";").split(";"):
                words = shlex.split(part)
                for index, word in enumerate(words[:-1]):
                    if (word == "pip" or word.endswith("/pip")) and words[index + 1] == "install":
                        found.append((name, workdir, words[index + 2 :]))
    return found


def test_the_image_installs_its_python_packages_from_the_runtime_lock_alone() -> None:
    image = Image()
    installs = _pip_installs()
    assert installs, "no pip install in deploy/Dockerfile"

    for name, workdir, arguments in installs:
        assert "--require-hashes" in arguments
        files = [arguments[i + 1] for i, word in enumerate(arguments) if word == "-r"]
        others = [
            word for i, word in enumerate(arguments)
            if not word.startswith("-") and (i == 0 or arguments[i - 1] != "-r")
        ]  # fmt: skip
        assert others == [], f"stage {name} installs outside the lock: {others}"
        assert [image.origin(workdir / file, image.stages[name]) for file in files] == [
            RUNTIME_LOCK
        ]
