"""A reader for deploy/Dockerfile: its stages, and where the files in the image come from.

No Docker engine runs here, so the image is known from its recipe: each COPY is traced back,
through the stages it copies from, to the path in the build context (the checkout, as
deploy/compose.yaml's ``context: ..`` and the Dockerfile's build line give it)."""

from __future__ import annotations

import fnmatch
import json
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from tests.support.recipes import DEPLOY, ROOT

DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"


@dataclass(frozen=True)
class Copy:
    """One COPY (or ADD): ``stage`` is the --from stage, None for the build context."""

    sources: tuple[str, ...]
    destination: str
    stage: str | None
    workdir: PurePosixPath

    def target(self, source: str, source_is_dir: bool | None) -> PurePosixPath:
        """Where ``source`` lands: a folder's contents go into the destination itself; a
        file goes into it when it names a folder (a trailing slash, or several sources)."""
        destination = self.workdir / self.destination
        into_folder = self.destination.endswith("/") or len(self.sources) > 1
        if source_is_dir is False and into_folder:
            return destination / PurePosixPath(source).name
        return destination


@dataclass
class Stage:
    name: str
    base: str
    workdir: PurePosixPath = field(default_factory=lambda: PurePosixPath("/"))
    env: dict[str, str] = field(default_factory=dict)
    copies: list[Copy] = field(default_factory=list)
    runs: list[tuple[PurePosixPath, str]] = field(default_factory=list)


def instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction: comments dropped, continuation lines joined."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).strip().partition(" ")
        result.append((keyword.upper(), arguments.strip()))
        pending = ""
    return result


def _env(arguments: str) -> dict[str, str]:
    words = shlex.split(arguments)
    if words and "=" not in words[0]:  # the legacy form: ENV KEY value with spaces
        return {words[0]: " ".join(words[1:])}
    return dict(word.split("=", 1) for word in words)


def _copy(arguments: str, workdir: PurePosixPath) -> Copy:
    stage = None
    words = shlex.split(arguments)
    while words and words[0].startswith("--"):
        flag = words.pop(0)
        if flag.startswith("--from="):
            stage = flag.removeprefix("--from=")
    rest = " ".join(words)
    if rest.startswith("["):  # the JSON form, for paths with spaces
        words = json.loads(rest)
    assert len(words) >= 2, f"COPY needs a source and a destination: {arguments!r}"
    for source in words[:-1]:
        assert not any(c in source for c in "*?["), f"wildcards are not traced: {source!r}"
    return Copy(tuple(words[:-1]), words[-1], stage, workdir)


def stages(text: str | None = None) -> dict[str, Stage]:
    """Every stage by name (unnamed ones by their index), in order; the last one is the image."""
    result: dict[str, Stage] = {}
    current: Stage | None = None
    for keyword, arguments in instructions(DOCKERFILE.read_text() if text is None else text):
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else str(len(result))
            base = result.get(words[0])
            current = Stage(name=name, base=words[0])
            if base is not None:  # FROM an earlier stage starts from what it holds
                current.workdir, current.env = base.workdir, dict(base.env)
            result[name] = current
            continue
        assert current is not None, f"{keyword} before FROM"
        if keyword == "WORKDIR":
            current.workdir = current.workdir / arguments
        elif keyword == "ENV":
            current.env.update(_env(arguments))
        elif keyword in ("COPY", "ADD"):
            current.copies.append(_copy(arguments, current.workdir))
        elif keyword == "RUN":
            current.runs.append((current.workdir, arguments))
    return result


class Image:
    """The final stage of a Dockerfile, with each of its paths traced to the build context."""

    def __init__(self, text: str | None = None) -> None:
        self.stages = stages(text)
        self.final = list(self.stages.values())[-1]

    @property
    def workdir(self) -> PurePosixPath:
        return self.final.workdir

    def origin(self, path: PurePosixPath | str, stage: Stage | None = None) -> str | None:
        """The build-context path (relative to the checkout) that ``path`` in ``stage``
        was copied from; None when no COPY put it there. The last COPY that covers it wins."""
        stage = stage or self.final
        path = PurePosixPath(path)
        for copy in reversed(stage.copies):
            for source in copy.sources:
                found = self._through(copy, source, path)
                if found is not None:
                    return found
        base = self.stages.get(stage.base)
        return self.origin(path, base) if base is not None and base is not stage else None

    def _through(self, copy: Copy, source: str, path: PurePosixPath) -> str | None:
        if copy.stage is None:
            context = PurePosixPath(*(part for part in PurePosixPath(source).parts if part != "."))
            is_dir: bool | None = (ROOT / context).is_dir()
        else:
            from_stage = self.stages[copy.stage]
            absolute = from_stage.workdir / source
            traced = self.origin(absolute, from_stage)
            is_dir = None if traced is None else (ROOT / traced).is_dir()
        target = copy.target(source, is_dir)
        if path != target and target not in path.parents:
            return None
        remainder = path.relative_to(target)
        if copy.stage is None:
            found = context / remainder
            return None if found.parts and found.parts[0] == ".." else found.as_posix()
        return self.origin(absolute / remainder, self.stages[copy.stage])


def dockerignored(relative: str) -> bool:
    """Whether .dockerignore keeps ``relative`` (or a folder holding it) out of the context.
    The last matching pattern decides; ``!`` lets a path back in."""
    if not DOCKERIGNORE.exists():
        return False
    candidates = [relative, *(p.as_posix() for p in PurePosixPath(relative).parents if p.parts)]
    ignored = False
    for line in DOCKERIGNORE.read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip().lstrip("/").removeprefix("./").rstrip("/")
        if any(fnmatch.fnmatchcase(candidate, pattern) for candidate in candidates):
            ignored = not negated
    return ignored
