"""The shape of the package, pinned: small modules, one aiohttp module, pure decoding,
and no back-edges (the bulk engine and the request core never import the client)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "postpress_async"
MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__main__.py")
MAX_LINES = 400


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


@cache
def runtime_imports(name: str) -> frozenset[str]:
    """What module ``name`` (``_decode``...) imports when it runs: package modules as
    ``_name``, others by top-level name. Imports under ``if TYPE_CHECKING:`` do not run."""
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level and node.module:
                found.add(node.module.split(".")[0])
            elif node.level:
                found.update(alias.name for alias in node.names)
            elif node.module:
                found.add(node.module.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return frozenset(found)


def closure(name: str) -> set[str]:
    """Every module ``name`` imports, directly or through package modules."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        for imported in runtime_imports(todo.pop()):
            if imported not in seen:
                seen.add(imported)
                if (PACKAGE / f"{imported}.py").exists():
                    todo.append(imported)
    return seen


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_package_module_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_only_the_aiohttp_transport_imports_aiohttp() -> None:
    importers = [p.stem for p in MODULES if "aiohttp" in runtime_imports(p.stem)]
    assert importers == ["_aiohttp_transport"]


@pytest.mark.parametrize(
    "module", ["_decode", "_transport", "_core", "_retry", "_observe", "_json", "_converter"]
)
def test_the_request_core_and_decoding_import_no_io_library(module: str) -> None:
    assert not closure(module) & {"aiohttp", "_aiohttp_transport", "httpx", "requests"}


@pytest.mark.parametrize(
    "module", sorted(p.stem for p in MODULES if p.stem.startswith("_bulk") or p.stem in (
        "_core", "_decode", "_retry", "_observe", "_journal", "_pagination")),
)
def test_no_back_edge_to_the_client_or_its_resources(module: str) -> None:
    assert not closure(module) & {"_client", "_jobs", "_sync", "_applicants", "_search",
                                  "_accounts", "_job_lifecycle"}
