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
    """The package's own modules imported inside a function (at any depth), by line."""
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if in_function and isinstance(node, ast.ImportFrom):
            if (node.module or "").startswith("kustannukset"):
                found.append((node.lineno, node.module))
        elif in_function and isinstance(node, ast.Import):
            found.extend(
                (node.lineno, a.name) for a in node.names if a.name.startswith("kustannukset")
            )
        inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            # imports and functions are statements, and statements hold no expressions that
            # hold statements: expressions are not entered
            if isinstance(child, ast.stmt | ast.excepthandler | ast.match_case):
                visit(child, inside)

    visit(tree, False)
    return sorted(found)


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
    nested = (
        "import kustannukset.view\n"
        "class A:\n"
        "    def m(self):\n"
        "        if True:\n"
        "            import kustannukset.core.money, json\n"
        "        def inner():\n"
        "            from . import x\n"
        "            from kustannukset.stats import loader\n"
        "def g():\n"
        "    try:\n"
        "        pass\n"
        "    except ImportError:\n"
        "        import kustannukset.render\n"
    )
    assert _function_level_imports(ast.parse(nested)) == [
        (5, "kustannukset.core.money"),
        (8, "kustannukset.stats"),
        (13, "kustannukset.render"),
    ]


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
