"""Dependencies go one way: schemes → core → accounts. Nothing in accounts imports core or a scheme."""

import ast
from pathlib import Path

import accounts

FORBIDDEN = {"core", "grants", "guarantees", "peer_mentoring"}
ACCOUNTS_DIR = Path(accounts.__file__).parent
# The demo-data command loads every scheme's demo files; it is moving to core.
MOVING_TO_CORE = {ACCOUNTS_DIR / "management" / "commands" / "load_demo_data.py"}


def _is_dynamic_import_of_a_name(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"import_module", "__import__"}
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def imported_top_level_packages(source: str) -> set[str]:
    """Every package a module imports, at its top or inside a function (relative imports excluded)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif _is_dynamic_import_of_a_name(node):
            names.add(node.args[0].value.split(".")[0])
    return names


def accounts_modules() -> list[Path]:
    return sorted(path for path in ACCOUNTS_DIR.rglob("*.py") if path not in MOVING_TO_CORE)


def test_the_import_scan_sees_dynamic_imports():
    assert imported_top_level_packages("import importlib\nimportlib.import_module('grants.models')\n") == {
        "importlib",
        "grants",
    }


def test_the_import_scan_sees_imports_inside_functions():
    source = "def f():\n    from core.notifications import notify\n"
    assert imported_top_level_packages(source) == {"core"}


def test_no_module_of_accounts_imports_core_or_a_scheme():
    offenders = {
        str(path.relative_to(ACCOUNTS_DIR)): sorted(imported_top_level_packages(path.read_text()) & FORBIDDEN)
        for path in accounts_modules()
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_scan_covers_every_module_of_accounts():
    names = {str(path.relative_to(ACCOUNTS_DIR)) for path in accounts_modules()}
    assert {"api.py", "views.py", "forms.py", "services.py", "context_processors.py"} <= names
