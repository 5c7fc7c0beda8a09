"""The code's shape, held by tests: imports at the top of modules, small modules, and
every email and webhook derived from the consequences table."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from routing.models import EventType
from routing.services import consequences
from routing.services.consequences import CONSEQUENCES
from routing.services.webhooks import EVENT_TYPES

ROOT = Path(settings.BASE_DIR)
PACKAGE = ROOT / "routing"
# Data tables may run long; everything else is split by concern.
LONG_ALLOWED = {"clock/regimes.py", "planning/loading.py"}
MAX_LINES = 500


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _imports_routing(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "routing"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "routing" for alias in node.names)
    return False


def _functions_calling(name: str) -> set[str]:
    """``module:function`` of every function in routing/ that calls ``name``."""
    found = set()
    for path in _modules():
        for function in ast.walk(_tree(path)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                called = node.func if isinstance(node, ast.Call) else None
                called_name = (
                    called.id
                    if isinstance(called, ast.Name)
                    else called.attr
                    if isinstance(called, ast.Attribute)
                    else None
                )
                if called_name == name:
                    found.add(f"{path.relative_to(PACKAGE)}:{function.name}")
    return found


def test_routing_modules_are_imported_at_the_top_except_in_app_ready() -> None:
    inside_functions = []
    for path in _modules():
        for function in ast.walk(_tree(path)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py" and function.name == "ready":
                continue
            inside_functions += [
                f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                for node in ast.walk(function)
                if _imports_routing(node)
            ]
    assert inside_functions == []


def test_no_module_is_longer_than_500_lines_but_data_tables() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert {name for name in long if name not in LONG_ALLOWED} == set(), long


def test_every_event_type_has_a_row_in_the_consequences_table() -> None:
    assert set(CONSEQUENCES) == set(EventType)


def test_only_the_consequences_table_stores_emails_and_webhooks() -> None:
    table = {"services/consequences.py"}
    for store in ("message_store", "messages_store_new", "webhooks_store"):
        callers = {caller.split(":")[0] for caller in _functions_calling(store)}
        assert callers <= table, f"{store} called from {callers - table}"
    # Emails are built only by the builders the table's rules call.
    assert {c.split(":")[0] for c in _functions_calling("message_build")} == {
        "services/messages.py"
    }
    assert {c.split(":")[0] for c in _functions_calling("webhook_deliveries")} <= table


def _string_constants(function: object) -> set[str]:
    source = ast.parse(Path(consequences.__file__).read_text())
    name = getattr(function, "__name__", "")
    for node in source.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return {
                n.value
                for n in ast.walk(node)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            }
    raise AssertionError(f"{name} is not defined in the consequences module")


def test_every_webhook_type_is_sent_by_a_row_of_the_table() -> None:
    sent = set()
    for row in CONSEQUENCES.values():
        for rule in row.webhooks:
            sent |= _string_constants(rule) & set(EVENT_TYPES)
    assert sent == set(EVENT_TYPES)


def _templates_built_by() -> dict[str, set[str]]:
    """For each builder of routing.services.messages, the templates it renders: named as
    ``template=`` or as the second argument of ``_to_subject`` or ``_to_customer``."""
    builders = ast.parse((PACKAGE / "services" / "messages.py").read_text())
    built_by: dict[str, set[str]] = {}
    for function in builders.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.keyword) and node.arg == "template":
                value = node.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_to_subject", "_to_customer")
            ):
                value = node.args[1]
            else:
                continue
            if isinstance(value, ast.Constant):
                built_by.setdefault(function.name, set()).add(str(value.value))
    return built_by


def test_every_email_template_is_sent_by_a_row_of_the_table() -> None:
    templates = {p.name for p in (ROOT / "templates" / "emails").iterdir() if p.is_dir()}
    built_by = _templates_built_by()
    rules = {
        node.name: node
        for node in ast.parse(Path(consequences.__file__).read_text()).body
        if isinstance(node, ast.FunctionDef)
    }
    sent = set()
    for row in CONSEQUENCES.values():
        for rule in row.all_emails:
            for node in ast.walk(rules[rule.__name__]):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "messages"
                ):
                    sent |= built_by.get(node.attr, set())
    assert sent == templates


@pytest.mark.parametrize("event_type", list(EventType))
def test_an_occasion_found_by_a_sweep_is_not_written_to_the_trail(event_type) -> None:
    row = CONSEQUENCES[event_type]
    sweeps = {
        EventType.REMINDER_DUE,
        EventType.DIGEST_DUE,
        EventType.DUE_SOON,
        EventType.OVERDUE,
        EventType.ROUTE_FOLLOWED_UP,
        EventType.RECIPIENT_FOLLOWED_UP,
    }
    assert row.audited == (event_type not in sweeps)
