"""The core never imports Qt: proven by importing it where PySide6 cannot be imported."""

import subprocess
import sys
from pathlib import Path

from app.models.store import Store

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT = """
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError("Qt is not allowed in the core: " + name)
sys.meta_path.insert(0, Block())
import app
for package in ("app.models", "app.exporters", "app.importers"):
    try:
        pkg = importlib.import_module(package)
    except ModuleNotFoundError:
        continue
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        importlib.import_module(info.name)
importlib.import_module("app.logbook")
importlib.import_module("app.cli")
print("ok")
"""


def test_core_and_cli_import_without_qt():
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


# -- the house rules: layer order and no import cycle, every import counted ----------------
# (function-local and TYPE_CHECKING imports included: a loop hidden that way is still a loop)

LAYERS: list[tuple[str, ...]] = [
    ("app", "app.paths", "app.logbook", "app.models"),
    ("app.exporters",),
    ("app.importers", "app.reports"),
    ("app.packages", "app.agencies"),
    ("app.receiving",),
    ("app.operations",),
    ("app.settings",),
    ("app.commands", "app.ui"),
    ("app.cli", "app.__main__", "app.frozen_entry"),
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_graph() -> dict[str, set[str]]:
    import ast

    files = {_module_name(p): p for p in (ROOT / "app").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                targets = [
                    f"{module}.{a.name}" if f"{module}.{a.name}" in files else module
                    for a in node.names
                ]
            for target in targets:
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def _layer(module: str) -> tuple[int, str]:
    best = (-1, "", "")
    for index, names in enumerate(LAYERS):
        for prefix in names:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best[2]):
                best = (index, prefix, prefix)
    assert best[0] >= 0, f"{module} is in no layer of the house rules"
    return best[0], best[1]


def test_layers_are_imported_downward_only():
    """models ← exporters ← importers/reports ← packages ← receiving ← operations ← ui and
    commands ← cli; the packages of one layer (the two faces; importers and reports) never
    import each other."""
    wrong = []
    for module, targets in _import_graph().items():
        layer, group = _layer(module)
        for target in targets:
            target_layer, target_group = _layer(target)
            if target_group == "app":  # the package's own __init__ (version)
                continue
            apart = target_layer == layer and target_group != group and 0 < layer < len(LAYERS) - 1
            if target_layer > layer or apart:
                wrong.append(f"{module} → {target}")
    assert not wrong, "imports against the layer order:\n" + "\n".join(sorted(wrong))


def test_the_window_imports_nothing_from_the_command_line():
    graph = _import_graph()
    wrong = [
        f"{m} → {t}"
        for m, targets in graph.items()
        if m.startswith("app.ui")
        for t in targets
        if t.startswith("app.commands") or t == "app.cli"
    ]
    assert not wrong, wrong


def test_no_import_cycle_anywhere_in_app():
    graph = _import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, "import cycles: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_the_command_line_parser_loads_no_document_or_package_stack():
    """Building the parser imports every command module; the heavy stacks (reportlab,
    openpyxl, cryptography, pyHanko, python-docx, lxml) load only when a command uses
    them (commands.common.lazy_module), so light commands start at once."""
    import subprocess
    import sys

    code = (
        "import sys; import app.cli as c; c.build_parser(); "
        "print(sorted(m for m in ('reportlab', 'openpyxl', 'cryptography', 'pyhanko', 'docx', "
        "'lxml', 'PySide6', 'fastjsonschema') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    status = (
        "import sys, runpy, io, contextlib; sys.argv = ['app', 'samples']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: runpy.run_module('app', run_name='__main__')\n"
        "    except SystemExit: pass\n"
        "print(sorted(m for m in ('reportlab', 'openpyxl', 'cryptography', 'pyhanko') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", status], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_reading_a_data_file_loads_no_sqlite_utils(bim_son_store: Store) -> None:
    """sqlite-utils (with click, dateutil and pluggy, ~50 ms) loads only when a command
    writes rows through its table helpers (models/sql.py): `status`, `plan show` and
    `samples` read on plain sqlite3; platformdirs only when the user folder is needed."""
    import subprocess
    import sys

    path = bim_son_store.path
    bim_son_store.close()
    heavy = "('sqlite_utils', 'click', 'dateutil', 'pluggy', 'platformdirs')"
    for command in (
        ["samples"],
        ["status", "--db", str(path)],
        ["plan", "show", "--db", str(path)],
    ):
        code = (
            f"import sys, runpy, io, contextlib; sys.argv = ['app', *{command!r}]\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: runpy.run_module('app', run_name='__main__')\n"
            "    except SystemExit as exc: assert not exc.code, exc.code\n"
            f"print(sorted(m for m in {heavy} if m in sys.modules))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert (command, out.stdout.strip(), out.returncode) == (command, "[]", 0), out.stderr


def test_one_command_parser_reads_its_command_as_the_whole_one_does() -> None:
    """`main` builds only the asked command's parser (start-up); it must read that
    command's arguments exactly as the whole command line does."""
    import app.cli as cli

    def read(parser, argv: list[str]) -> dict:  # noqa: ANN001
        values = vars(parser.parse_args(argv))
        return {k: (v.__qualname__ if callable(v) else v) for k, v in values.items()}

    full = cli.build_parser()
    assert {"samples", "status", "plan", "period", "progress", "package"} <= set(full.commands)
    for name in full.commands:  # each built for real when asked for, the others skipped
        alone = cli.build_parser(only=name)
        (choices,) = [a.choices for a in alone._actions if isinstance(a.choices, dict)]
        assert (name, list(choices)) == (name, [name])
    for argv in (
        ["samples"],
        ["status", "--db", "a.sqlite", "--today", "2026-10-05"],
        ["plan", "show", "--db", "a.sqlite", "--json"],
        ["period", "check", "--db", "a.sqlite", "--period", "2026-Q3"],
        ["progress", "--db", "a.sqlite", "--period", "2026-Q3"],
        ["package", "verify", "goi.zip", "--trust", "k.pub.pem"],
        ["office", "set", "--db", "a.sqlite", "--name", "Xã Gia Phúc"],
    ):
        alone = cli.build_parser(only=argv[0])
        assert alone.commands == full.commands
        assert read(alone, argv) == read(full, argv), argv
