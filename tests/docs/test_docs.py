"""The committed model reference (docs/model) is what `innosd docs` generates from the model."""
import re
from pathlib import Path

from innosd.outputs.docs import write_docs


def _text(path: Path) -> list[str]:
    # links to diagram images are the only text that depends on --no-diagrams
    text = re.sub(r"!?\[[^\]]*\]\([^)]*\.png\)", "", path.read_text(encoding="utf-8"))
    return [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines() if ln.strip()]


def test_committed_docs_are_current(tmp_path, root):
    docs = root / "docs" / "model"
    write_docs(tmp_path, diagrams=False)
    fresh = sorted(p.name for p in tmp_path.glob("*.md"))
    assert fresh == sorted(p.name for p in docs.glob("*.md")), "docs/model lists other files: run `innosd docs`"
    stale = [name for name in fresh if _text(tmp_path / name) != _text(docs / name)]
    assert not stale, f"docs/model is out of date ({', '.join(stale)}): run `innosd docs` and commit"
    # every sector listing has its diagram committed beside it
    missing = [p.name for p in docs.glob("sector-*.md") if not (docs / p.name.replace(".md", ".png")).exists()]
    assert not missing, missing


def test_loops_and_listing_name_units_and_sources(root):
    docs = root / "docs" / "model"
    firms = (docs / "sector-firms.md").read_text(encoding="utf-8")
    assert "hte_certification" in firms and "firm/year" in firms
    loops = (docs / "feedback-loops.md").read_text(encoding="utf-8")
    assert "reinforcing" in loops and "balancing" in loops
