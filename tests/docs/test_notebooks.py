"""The notebooks under notebooks/: each runs top to bottom, matches its paired script, holds no
outputs, and leaves no file behind.

Every notebook is kept twice: ``NN_name.py``, a jupytext "percent" script (the one to edit and
review), and ``NN_name.ipynb``, generated from it with outputs stripped
(``jupytext --to ipynb notebooks/NN_name.py``). The scripts are parsed here without jupytext,
so the tests need only nbformat, nbclient and ipykernel (the ``test`` extra).
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = Path(__file__).resolve().parents[2]  # the checkout (conftest.py's `root`), needed here to parametrize
NOTEBOOKS = ROOT / "notebooks"
IPYNB = sorted(NOTEBOOKS.glob("*.ipynb"))
SCRIPTS = sorted(NOTEBOOKS.glob("*.py"))
CELL_TIMEOUT = 300          # seconds per cell; each notebook as a whole runs in well under a minute
KERNEL = "python3"

# jupytext comments out IPython magics in percent scripts ("# %matplotlib inline")
_MAGIC = re.compile(r"^# (%{1,2}[A-Za-z_]\w*.*)$")
# caches that running Python or pytest may create; anything else new is a leftover
_IGNORED_DIRS = {".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def _strip_blank_ends(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def percent_cells(path: Path) -> list[tuple[str, str]]:
    """(cell type, source) of a jupytext percent script: cells start at lines ``# %%``; a
    ``# %% [markdown]`` cell holds markdown commented with ``# ``. A YAML header between two
    ``# ---`` lines at the top is notebook metadata, not a cell."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if lines and lines[0].strip() == "# ---":
        ends = [i for i in range(1, len(lines)) if lines[i].strip() == "# ---"]
        assert ends, f"{path.name}: the '# ---' header is not closed"
        start = ends[0] + 1
    cells: list[tuple[str, list[str]]] = []
    preamble: list[str] = []
    for line in lines[start:]:
        if line.startswith("# %%"):
            kind = "markdown" if re.search(r"\[(markdown|md)\]", line) else "code"
            cells.append((kind, []))
        elif cells:
            cells[-1][1].append(line)
        else:
            preamble.append(line)
    if _strip_blank_ends(preamble):
        cells.insert(0, ("code", preamble))
    out = []
    for kind, body in cells:
        body = _strip_blank_ends(body)
        if kind == "markdown":
            body = [ln[2:] if ln.startswith("# ") else ln[1:] if ln.startswith("#") else ln for ln in body]
        else:
            body = [_MAGIC.sub(r"\1", ln) for ln in body]
        out.append((kind, "\n".join(body)))
    return out


def notebook_cells(path: Path) -> list[tuple[str, str]]:
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source.strip("\n")) for c in nb.cells]


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` (caches skipped): relative path -> (size, mtime in ns)."""
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _IGNORED_DIRS and not d.endswith(".egg-info")]
        for name in files:
            p = Path(folder) / name
            try:
                st = p.stat()
            except FileNotFoundError:  # removed while walking
                continue
            out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def _guarded(rel: str) -> bool:
    """Files a notebook must never change: the notebooks themselves and the shipped calibration."""
    return rel.startswith("notebooks" + os.sep) or (
        rel.startswith("calibration" + os.sep) and ("posterior.nc" in rel or "fit-" in rel))


# --- the pairs -----------------------------------------------------------------------------

def test_every_script_has_its_notebook_and_back():
    assert IPYNB, "no notebooks found under notebooks/"
    scripts = {p.stem for p in SCRIPTS}
    notebooks = {p.stem for p in IPYNB}
    assert scripts == notebooks, (
        f"unpaired: scripts without a notebook {sorted(scripts - notebooks)}, notebooks without a script "
        f"{sorted(notebooks - scripts)}; generate the notebook with `jupytext --to ipynb notebooks/<name>.py`")


@pytest.mark.parametrize("path", IPYNB, ids=[p.name for p in IPYNB])
def test_notebook_matches_its_script(path):
    script = path.with_suffix(".py")
    assert script.exists(), f"{path.name}: no paired script {script.name}"
    py, nb = percent_cells(script), notebook_cells(path)
    py_code = [src for kind, src in py if kind == "code"]
    nb_code = [src for kind, src in nb if kind == "code"]
    hint = f"regenerate it: `jupytext --to ipynb notebooks/{script.name}`"
    assert len(nb_code) == len(py_code), (
        f"{path.name} has {len(nb_code)} code cells, {script.name} has {len(py_code)}; {hint}")
    for i, (a, b) in enumerate(zip(nb_code, py_code)):
        assert a == b, f"{path.name}: code cell {i + 1} differs from {script.name}; {hint}\n--- notebook:\n{a}\n" \
                       f"--- script:\n{b}"
    assert [k for k, _ in nb] == [k for k, _ in py], f"{path.name}: cell types differ from {script.name}; {hint}"
    for i, ((_, a), (_, b)) in enumerate(zip(nb, py)):
        assert a == b, f"{path.name}: cell {i + 1} (markdown) differs from {script.name}; {hint}"


@pytest.mark.parametrize("path", IPYNB, ids=[p.name for p in IPYNB])
def test_notebook_holds_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i + 1 for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} hold outputs or execution counts; strip them "
                       f"(regenerate with `jupytext --to ipynb notebooks/{path.stem}.py`)")


def test_percent_parser(tmp_path):
    text = ("# ---\n# jupyter:\n#   kernelspec:\n#     name: python3\n# ---\n\n"
            "# %% [markdown]\n# # Title\n#\n# Text.\n\n"
            "# %%\n# %matplotlib inline\nimport os\n\n\nx = 1  # a comment\n\n"
            "# %% [markdown]\n# More.\n")
    path = tmp_path / "example.py"
    path.write_text(text, encoding="utf-8")
    assert percent_cells(path) == [("markdown", "# Title\n\nText."),
                                   ("code", "%matplotlib inline\nimport os\n\n\nx = 1  # a comment"),
                                   ("markdown", "More.")]


# --- running them --------------------------------------------------------------------------

@pytest.mark.parametrize("path", IPYNB, ids=[p.name for p in IPYNB])
def test_notebook_runs(path):
    nb = nbformat.read(path, as_version=4)
    before = _files(ROOT)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name=KERNEL, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    env = {**os.environ, "MPLBACKEND": "Agg"}
    t0 = time.perf_counter()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as exc:
                pytest.fail(f"{path.name}: cell {index + 1} failed:\n{cell.source}\n\n{exc}", pytrace=False)
    seconds = time.perf_counter() - t0
    print(f"{path.name}: {seconds:.1f} s")
    after = _files(ROOT)
    new = sorted(set(after) - set(before))
    changed = sorted(rel for rel in before if _guarded(rel) and after.get(rel) != before[rel])
    assert not new, f"{path.name} left files in the repository: {new}"
    assert not changed, f"{path.name} changed or removed repository files: {changed}"
