"""The house as declared: import-linter's contracts hold (layers, independent domains, no cycles
between siblings), no module of the package imports another of its modules inside a function, and
the module graph has no cycle at all."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

from kustannukset.core.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "kustannukset"


def test_import_linter_contracts_are_kept():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _function_level_imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                    "kustannukset"
                ):
                    found.append((inner.lineno, inner.module))
                elif isinstance(inner, ast.Import):
                    found.extend(
                        (inner.lineno, a.name)
                        for a in inner.names
                        if a.name.startswith("kustannukset")
                    )
    return found


def test_no_function_level_imports_of_the_package():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [
            f"{path.relative_to(PROJECT_ROOT)}:{n} {m}" for n, m in _function_level_imports(tree)
        ]
    assert offenders == []


def test_the_checker_sees_a_function_level_import():
    tree = ast.parse("def f():\n    from kustannukset.core import money\n    return money\n")
    assert _function_level_imports(tree) == [(2, "kustannukset.core")]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules():
    graph = grimp.build_graph("kustannukset", cache_dir=None)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert _cycles(edges) == []
