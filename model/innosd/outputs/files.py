"""Results folders: written atomically, never overwritten, with a manifest; and the one chart saver.

A command writes into a hidden staging folder (``.<name>.partial-<pid>``) beside the
final one and renames it into place only when every file is written, so an interrupted
run leaves no folder that looks complete.  The manifest records what produced each file:
the command, the version, the seed and the SHA-256 of every input and output.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from .. import __version__


def atomic_write(final: Path, write) -> Path:
    """Call ``write(binary_file)`` on a temporary file beside ``final``, then rename it into place:
    a reader never sees a half-written file. Returns ``final``."""
    final = Path(final)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are meant to be shared
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return final


def save_figure(fig, folder, stem: str, dpi: int = 120, formats=("png", "svg")) -> list[Path]:
    """Write ``stem.png`` and/or ``stem.svg`` of a matplotlib figure into ``folder`` atomically;
    close the figure. Returns the paths, in the order of ``formats``.

    Each file is written under a temporary name in the same folder and renamed into place,
    so a reader never sees a half-written chart.
    """
    import matplotlib
    import numpy as np
    from matplotlib.transforms import Bbox
    unknown = [f for f in formats if f not in ("png", "svg")]
    if unknown:
        raise ValueError(f"unknown chart format '{unknown[0]}' (expected png or svg)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        # Draw once at the PNG's resolution, crop that raster to the tight bounding box, then freeze
        # the layout for the SVG: savefig(bbox_inches="tight") would lay out and draw twice per file,
        # which is most of a chart's cost when a report draws dozens of them.
        fig.set_facecolor("white")
        fig.set_dpi(dpi)
        fig.canvas.draw()
        tight = fig.get_tightbbox(fig.canvas.get_renderer())
        if fig.get_layout_engine() is not None:
            fig.set_layout_engine("none")
        w, h = fig.get_size_inches()
        eps = 1.0 / dpi
        if tight.x0 >= -eps and tight.y0 >= -eps and tight.x1 <= w + eps and tight.y1 <= h + eps:
            from PIL import Image
            # everything drawn lies on the canvas: crop it (a 0.1 in margin where there is room)
            bbox = Bbox.from_extents(max(0, tight.x0 - 0.1), max(0, tight.y0 - 0.1),
                                     min(w, tight.x1 + 0.1), min(h, tight.y1 + 0.1))
            rgba = np.asarray(fig.canvas.buffer_rgba())
            rows = slice(int(np.floor((h - bbox.y1) * dpi)), int(np.ceil((h - bbox.y0) * dpi)))
            cols = slice(int(np.floor(bbox.x0 * dpi)), int(np.ceil(bbox.x1 * dpi)))
            image = Image.fromarray(np.ascontiguousarray(rgba[rows, cols, :3]))
            write_png = lambda fh: image.save(fh, format="png", dpi=(dpi, dpi))  # noqa: E731
        else:  # something drawn outside the figure: let matplotlib enlarge the canvas
            bbox = tight.padded(0.1)
            write_png = lambda fh: fig.savefig(fh, format="png", dpi=dpi, bbox_inches=bbox)  # noqa: E731

        def write_svg(fh):
            # SVG text stays text: selectable, searchable and editable, and quicker than glyph paths
            with matplotlib.rc_context({"svg.fonttype": "none"}):
                fig.savefig(fh, format="svg", dpi=dpi, bbox_inches=bbox, metadata={"Date": None})

        writers = {"png": write_png, "svg": write_svg}
        return [atomic_write(folder / f"{stem}.{f}", writers[f]) for f in formats]
    finally:
        if getattr(fig.canvas, "manager", None) is not None:  # a pyplot figure: release it from pyplot
            import matplotlib.pyplot as plt
            plt.close(fig)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name).strip("-") or "run"


class ResultsFolder:
    """Use as a context manager; files go to ``.staging`` and appear at ``.final`` on success."""

    def __init__(self, base: Path | str, name: str, exact: bool = False):
        base = Path(base)
        self.base = base
        if exact:  # the user named the folder: refuse to touch an existing one
            if base.exists() and any(base.iterdir()):
                from ..core.equations import ModelError
                raise ModelError(f"output folder {base} already exists and is not empty; "
                                 "choose another --out (results are never overwritten)")
            self.final = base
        else:
            stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            self.final = base / f"{_safe(name)}-{stamp}"
            k = 2
            while self.final.exists():
                self.final = base / f"{_safe(name)}-{stamp}-{k}"
                k += 1
        self.staging = self.final.parent / f".{self.final.name}.partial-{os.getpid()}"

    def __enter__(self) -> "ResultsFolder":
        self.staging.mkdir(parents=True, exist_ok=False)
        return self

    def path(self, name: str) -> Path:
        return self.staging / name

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return False
        if self.final.exists():  # only an empty folder named with --out can be here
            self.final.rmdir()
        os.replace(self.staging, self.final)
        return False


def write_manifest(folder: ResultsFolder, *, inputs: dict[str, Path], seed, runs, extra: dict | None = None):
    """manifest.json: what produced the files in this folder; written last."""
    outputs = sorted(p for p in folder.staging.rglob("*") if p.is_file())
    import numpy
    manifest = {
        "tool": "innosd",
        "version": __version__,
        "command": " ".join(sys.argv) if sys.argv and sys.argv[0] else "python api",
        "created": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "seed": seed,
        "runs": runs,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "inputs": {label: {"path": str(p), "sha256": sha256(p)} for label, p in inputs.items() if p and Path(p).exists()},
        "outputs": {str(p.relative_to(folder.staging)): sha256(p) for p in outputs},
        **(extra or {}),
    }
    tmp = folder.path("manifest.json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, folder.path("manifest.json"))
    return manifest
