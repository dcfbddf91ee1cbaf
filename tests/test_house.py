"""The house: ruff finds nothing, each layer imports only the layers below it (import-linter,
.importlinter), no module imports another module's private names, and the docs the code names exist.

They run inside the one test command, so CI holds them. ruff and import-linter run as
subprocesses on this checkout's code (``model/`` first on PYTHONPATH), without caches, so they
leave no file behind.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path


def run_tool(root: Path, *args: str) -> subprocess.CompletedProcess:
    path = os.pathsep.join(filter(None, [str(root / "model"), os.environ.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, *args], cwd=root, env={**os.environ, "PYTHONPATH": path},
                          capture_output=True, text=True)


def test_ruff_finds_nothing(root):
    """pyproject.toml [tool.ruff]: pyflakes, pycodestyle and import order over the checkout."""
    done = run_tool(root, "-m", "ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, f"ruff check (fix with `ruff check --fix` where it can):\n{done.stdout}{done.stderr}"


def test_layers_import_only_the_layers_below(root):
    """The contract in .importlinter, checked by import-linter's own command (lint-imports)."""
    done = run_tool(root, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                                "sys.exit(lint_imports_command())", "--no-cache")
    assert done.returncode == 0, f"lint-imports:\n{done.stdout}{done.stderr}"
    assert "1 kept, 0 broken" in done.stdout


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def module_name(path: Path, source: Path) -> tuple[str, str]:
    """The module's dotted name and its package's (a package's __init__ is its own package)."""
    parts = list(path.relative_to(source.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def private_imports(path: Path, source: Path) -> list[str]:
    """Private names ``path`` takes from other modules: ``from m import _x`` or ``m._x`` on an
    imported module, where ``_x`` is not defined in the importer's own package (a package's
    private modules, e.g. ``sectors/_sources.py``, are for its own modules)."""
    name, package = module_name(path, source)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                inside = base in (package, name)
                if any(is_private(part) for part in full.split(".")) and not inside:
                    found.append(f"{name}: from {base} import {alias.name}")
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(is_private(part) for part in alias.name.split(".")):
                    found.append(f"{name}: import {alias.name}")
                modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules \
                and is_private(node.attr):
            found.append(f"{name}: {node.value.id}.{node.attr}")
    return found


def test_no_module_imports_another_modules_private_names(root):
    source = root / "model" / "innosd"
    found = [hit for path in sorted(source.rglob("*.py")) for hit in private_imports(path, source)]
    assert not found, "private names used across modules (make them public where they are defined):\n" \
        + "\n".join(found)


def test_the_scan_sees_private_names(tmp_path):
    """The scan itself: a private name from another package or module is found; a package's
    private module used by its own modules is not."""
    source = tmp_path / "pkg"
    (source / "core").mkdir(parents=True)
    (source / "sectors").mkdir()
    (source / "outputs").mkdir()
    for folder in (source, source / "core", source / "sectors", source / "outputs"):
        (folder / "__init__.py").write_text("")
    (source / "core" / "engine.py").write_text("def _code():\n    pass\n")
    (source / "sectors" / "_sources.py").write_text("X = 1\n")
    (source / "sectors" / "firms.py").write_text("from . import _sources as S\n")
    (source / "outputs" / "docs.py").write_text("from ..core.engine import _code\nfrom ..core import engine\n"
                                                "engine._code()\nimport datetime as _dt\n")
    (source / "outputs" / "report.py").write_text("from ..sectors import _sources\n")
    assert private_imports(source / "sectors" / "firms.py", source) == []
    assert private_imports(source / "outputs" / "docs.py", source) == [
        "pkg.outputs.docs: from pkg.core.engine import _code", "pkg.outputs.docs: engine._code"]
    assert private_imports(source / "outputs" / "report.py", source) == [
        "pkg.outputs.report: from pkg.sectors import _sources"]


def test_the_docs_the_code_and_guides_point_to_exist(root):
    """A path under docs/ named in the package, the README, the guides, the notebooks or the benchmarks
    exists in the checkout (``docs/engine.md`` was named for a long time and never written)."""
    reference = re.compile(r"(?<![\w/])docs/[\w./*-]*[\w*]")
    texts = [*(root / "model" / "innosd").rglob("*.py"), root / "README.md", *(root / "docs").glob("*.md"),
             *(root / "notebooks").glob("*.py"), *(root / "benchmarks").glob("*")]
    missing = sorted({f"{path.relative_to(root)}: {ref}" for path in texts if path.is_file()
                      for ref in reference.findall(path.read_text(encoding="utf-8"))
                      if not any(root.glob(ref))})
    assert not missing, "\n".join(missing)
