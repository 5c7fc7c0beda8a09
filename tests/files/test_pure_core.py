"""routing.files is a pure core: it imports no Django, so it is tested and reasoned
about by itself."""

from __future__ import annotations

import subprocess
import sys

from tests.support.processes import ROOT


def test_the_files_core_imports_no_django() -> None:
    code = (
        "import sys\n"
        "import routing.files.crypto, routing.files.sniffing, routing.files.images, "
        "routing.files.streams\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('django', 'rest_framework', 'celery')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
