"""The layers import only downwards: ``ops`` → ``services/*`` → ``shared``.

Read from the source (the AST of every module, imports inside functions included), so a
new module is covered without a list to update: nothing under ``shared/`` imports
``services`` or ``ops``; no service imports another; nothing under ``services/`` imports
``ops``. A module named by a string (``importlib.import_module("services.x.models")``)
counts as an import too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """``from .x import y`` in ``importer``, spelt out."""
    if not level:
        return module or ""
    base = importer.split(".")
    base = base[: len(base) - level + (1 if is_package else 0)]
    return ".".join([*base, module] if module else base)


def _named_by_string(node: ast.Call) -> str | None:
    """The module an ``import_module("...")`` / ``__import__("...")`` call names, as far as
    its first argument is written out (an f-string up to its first placeholder)."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in {"import_module", "__import__"} or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    if isinstance(first, ast.JoinedStr) and first.values:
        head = first.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return head.value
    return None


def imports_of(source: str, importer: str, is_package: bool = False) -> Iterator[str]:
    """Every module ``source`` imports, at any depth of the module."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, importer, is_package)
            yield base
            # `from services import intake` imports services.intake
            yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call) and (named := _named_by_string(node)) is not None:
            yield named


def modules(top: str) -> list[tuple[str, list[str]]]:
    """``(module, what it imports)`` for every module under the top-level folder ``top``."""
    found = []
    for path in sorted((ROOT / top).rglob("*.py")):
        name = module_name(path)
        imported = imports_of(path.read_text(), name, is_package=path.name == "__init__.py")
        found.append((name, sorted(set(imported))))
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(top: str, forbidden) -> list[str]:
    return [
        f"{importer} imports {imported}"
        for importer, imported_modules in modules(top)
        for imported in imported_modules
        if forbidden(importer, imported)
    ]


def service_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "services" and parts[1] else None


def test_shared_imports_no_service_and_no_operations():
    found = violations(
        "shared",
        lambda _importer, imported: within(imported, "services") or within(imported, "ops"),
    )
    assert found == []


def test_no_service_imports_another():
    def another_service(importer: str, imported: str) -> bool:
        if imported == "services" or not within(imported, "services"):
            return False
        # a module named by a string that stops at "services." could be any of them
        return service_of(imported) != service_of(importer)

    assert violations("services", another_service) == []


def test_services_import_no_operations():
    assert violations("services", lambda _importer, imported: within(imported, "ops")) == []


def test_every_service_is_seen():
    """The walk reaches each service, and sees that ops does import them (else the three
    tests above could pass by reading nothing)."""
    assert {"intake", "assessment", "notifications", "console"} <= set(SERVICES)
    seen = {service_of(m) for _importer, imported in modules("ops") for m in imported}
    assert {"intake", "assessment", "notifications", "console"} <= seen
    assert {service_of(name) for name, _ in modules("services")} >= set(SERVICES)


@pytest.mark.parametrize(
    ("source", "importer", "expected"),
    [
        ("import services.intake.models", "shared.x", {"services.intake.models"}),
        ("from services import intake", "shared.x", {"services", "services.intake"}),
        ("def f():\n    from ops.cli import main", "shared.x", {"ops.cli", "ops.cli.main"}),
        (
            "from . import models",
            "services.intake.app",
            {"services.intake", "services.intake.models"},
        ),
        ("from ..assessment import models", "services.intake.app", {"services.assessment"}),
        ("from .models import metadata", "services.intake", {"services.intake.models"}),
        (
            'importlib.import_module(f"services.{name}.models")',
            "shared.x",
            {"services."},
        ),
        ('__import__("ops.runner")', "shared.x", {"ops.runner"}),
        ('print("services.intake")', "shared.x", set()),
    ],
)
def test_imports_are_read_however_they_are_written(source, importer, expected):
    is_package = importer == "services.intake"
    assert expected <= set(imports_of(source, importer, is_package))
    if not expected:
        assert list(imports_of(source, importer, is_package)) == []
