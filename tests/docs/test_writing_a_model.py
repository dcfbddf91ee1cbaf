"""docs/writing-a-model.md runs: its Python blocks, in order and in one namespace, in an empty
folder; a ``text`` block right after a Python block is exactly what that block prints."""
from __future__ import annotations

import contextlib
import io
import re
import traceback
import warnings
from pathlib import Path

import pytest

FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)


def blocks(text: str) -> list[tuple[str, str | None]]:
    """(Python source, the text it prints or None) for each ```python block of a Markdown text;
    the printed text is a ```text block that follows with nothing but blank lines between."""
    found = list(FENCE.finditer(text))
    out = []
    for i, m in enumerate(found):
        if m.group(1) != "python":
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        printed = nxt.group(2) if nxt and nxt.group(1) == "text" and not text[m.end():nxt.start()].strip() else None
        out.append((m.group(2), printed))
    return out


def test_blocks_pairs_code_with_the_output_right_after_it():
    text = ("Intro.\n\n```python\nprint(1)\n```\n\n```text\n1\n```\n\n```python\nx = 2\n```\n\nProse.\n\n"
            "```text\nnot an output\n```\n\n```bash\nls\n```\n")
    assert blocks(text) == [("print(1)\n", "1\n"), ("x = 2\n", None)]


def test_writing_a_model_runs_as_written(root, tmp_path, monkeypatch):
    doc = root / "docs" / "writing-a-model.md"
    code = blocks(doc.read_text(encoding="utf-8"))
    assert len(code) >= 8, "the guide's steps: declare, units, run, ensemble, calibrate, Sobol, XMILE, conventions"
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "writing_a_model"}
    for number, (source, printed) in enumerate(code, 1):
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # PySD and SALib warn about things the guide does not use
                exec(compile(source, f"{doc.name}, block {number}", "exec"), namespace)
        except Exception:
            pytest.fail(f"{doc.name}: Python block {number} failed:\n{source}\n{traceback.format_exc()}",
                        pytrace=False)
        if printed is not None:
            assert out.getvalue() == printed, f"{doc.name}: block {number} prints other text than the doc shows"
    assert Path("bass.xmile").is_file() and Path("bass-calibration", "posterior.nc").is_file()
