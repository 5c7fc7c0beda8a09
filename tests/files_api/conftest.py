"""The file tests' storage settings, the API tests' integrations and the admin tests' staff,
shared by the tests of the files' API and admin pages."""

from __future__ import annotations

from typing import Any

import pytest

from routing.models import Request
from tests.admin.conftest import (  # noqa: F401 (fixtures)
    callkom,
    click_and_call,
    client_a,
    organisation_a,
    organisation_b,
    staff_a,
    staff_b,
)
from tests.api.conftest import (  # noqa: F401 (fixtures)
    api,
    api_organisation,
    integration_for,
    read_only_api,
)
from tests.factories import make_request
from tests.files.conftest import file_settings, files_dir  # noqa: F401 (fixtures)


@pytest.fixture
def request_(registry: Any) -> Request:
    """A Callkom request with two parts, which ``api`` and ``client_a`` may see."""
    return make_request("callkom", kinds=("access", "erasure"))
