"""Files people read: written atomically, never overwritten, with a manifest.

* :func:`atomic_write`, the one way a file is written: under a temporary name, then renamed
  into place, so a reader never sees half a file.
* :func:`save_figure`, the one way a chart is saved (PNG and SVG); the charts themselves are
  drawn by :mod:`innosd.figures`, which writes nothing.
* Results folders: a command writes into a hidden staging folder (``.<name>.partial-<pid>``)
  beside the final one and renames it into place only when every file is written, so an
  interrupted run leaves no folder that looks complete.  The manifest records what produced
  each file: the command, the version, the seed and the SHA-256 of every input and output
  (a scenario's inputs: :func:`scenario_input_files`).
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.transforms import Bbox

from .. import __version__
from ..inputs.posterior import posterior_path
from ..inputs.workspace import calibration_dir, results_dir, scenarios_dir


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


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def safe_name(name: str) -> str:
    """``name`` as a file or folder name: letters, digits and ``-_.`` kept, anything else a dash."""
    # at most 80 characters: a folder name has a limit (255 bytes), and a timestamp follows
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in str(name))[:80].strip("-.") or "run"


# SVG text stays text (smaller, searchable, editable) and the file is reproducible (fixed hash
# salt, no date); unhinted glyphs render about twice as fast, which matters with dozens of charts.
CHART_RC = {"svg.fonttype": "none", "svg.hashsalt": "innosd", "text.hinting": "no_hinting"}
PNG_COMPRESSION = 3   # zlib level: a chart compresses about a fifth faster than at the default 6, 10 % larger


def save_figure(fig, folder: Path | str, stem: str, dpi: int = 120, formats=("png", "svg")) -> list[Path]:
    """Write ``stem.png`` (at ``dpi``) and/or ``stem.svg`` into ``folder``, atomically, cropped to
    what is drawn; returns the paths in the order of ``formats``.  A pyplot figure is closed afterwards."""
    unknown = [f for f in formats if f not in ("png", "svg")]
    if unknown:
        raise ValueError(f"unknown chart format '{unknown[0]}' (expected png or svg)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        # a missing glyph was already reported once, with the command that installs a font
        # (figures.charts.cjk_font): not again for every character of every chart
        with matplotlib.rc_context(CHART_RC), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
            # Draw once at the PNG's resolution, crop that raster to the tight bounding box, then
            # freeze the layout for the SVG: savefig(bbox_inches="tight") would lay out and draw
            # twice per file, which is most of a chart's cost when a report draws dozens of them.
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
                write_png = lambda fh: image.save(fh, format="png", dpi=(dpi, dpi),  # noqa: E731
                                                  compress_level=PNG_COMPRESSION)
            else:  # something drawn outside the figure: let matplotlib enlarge the canvas
                bbox = tight.padded(0.1)
                write_png = lambda fh: fig.savefig(fh, format="png", dpi=dpi, bbox_inches=bbox,  # noqa: E731
                                                   pil_kwargs={"compress_level": PNG_COMPRESSION})
            writers = {"png": write_png, "svg": lambda fh: fig.savefig(fh, format="svg", dpi=dpi, bbox_inches=bbox,
                                                                       metadata={"Date": None})}
            return [atomic_write(folder / f"{stem}.{f}", writers[f]) for f in formats]
    finally:
        if getattr(fig.canvas, "manager", None) is not None:  # a pyplot figure: release it from pyplot
            import matplotlib.pyplot as plt
            plt.close(fig)


class ResultsFolder:
    """Use as a context manager; files go to ``.staging`` and appear at ``.final`` on success."""

    def __init__(self, base: Path | str, name: str, exact: bool = False):
        base = Path(base)
        self.base, self.exact = base, exact
        if exact:  # the user named the folder: refuse to touch an existing one
            if base.exists() and any(base.iterdir()):
                from ..core.equations import ModelError
                raise ModelError(f"output folder {base} already exists and is not empty; "
                                 "choose another --out (results are never overwritten)")
            self.final = base
        else:
            stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            self.final = base / f"{safe_name(name)}-{stamp}"
            k = 2
            while self.final.exists():
                self.final = base / f"{safe_name(name)}-{stamp}-{k}"
                k += 1
        # unique per command, also for two in one process (threads through the API)
        self.staging = self.final.parent / f".{self.final.name}.partial-{os.getpid()}-{os.urandom(4).hex()}"

    def __enter__(self) -> "ResultsFolder":
        from ..core.equations import ModelError
        try:
            self.staging.mkdir(parents=True, exist_ok=False)
        except OSError as exc:  # read-only, full, or not a folder: one line, nothing written
            raise ModelError(f"cannot write results to {self.base}: {exc.strerror or exc}") from None
        return self

    def path(self, name: str) -> Path:
        return self.staging / name

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return False
        if self.exact:
            if self.final.exists():  # only an empty folder named with --out can be here
                self.final.rmdir()
            os.replace(self.staging, self.final)
            return False
        # Another command may have taken the name since (two runs in the same second): renaming onto
        # its non-empty folder fails, atomically, and the next free name is tried.
        stem, k = self.final.name, 2
        while True:
            try:
                os.rename(self.staging, self.final)
                return False
            except OSError as exc:
                if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY) or k > 10_000:
                    shutil.rmtree(self.staging, ignore_errors=True)
                    raise
                self.final, k = self.final.parent / f"{stem}-{k}", k + 1


def results_folder(out: Path | str | None, name: str) -> ResultsFolder:
    """The folder a command writes: exactly ``out`` when the user names one (it must not hold
    anything yet), else a new ``<name>-<timestamp>/`` in the results folder
    (:func:`innosd.inputs.workspace.results_dir`)."""
    if out:
        return ResultsFolder(Path(out), name, exact=True)
    return ResultsFolder(results_dir(), name)


def verify_folder(folder: Path | str) -> dict:
    """The manifest of a results folder, after checking every file it lists is there and unchanged
    (SHA-256); a one-line ModelError names the first file that is not."""
    import json

    from ..core.equations import ModelError
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such folder (give a results folder written by innosd)")
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{folder}: no manifest.json; not a results folder written by innosd") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ModelError(f"{path}: not valid JSON; the folder cannot be verified") from None
    except PermissionError:
        raise ModelError(f"{path}: permission denied") from None
    outputs = manifest.get("outputs") if isinstance(manifest, dict) else None
    if not isinstance(outputs, dict):
        raise ModelError(f"{path}: lists no outputs; the folder cannot be verified")
    for rel, digest in outputs.items():
        p = folder / rel
        if not p.resolve().is_relative_to(folder.resolve()):
            raise ModelError(f"{path}: lists '{rel}', outside the folder; refusing it")
        if not p.is_file():
            raise ModelError(f"{p}: listed in manifest.json but missing")
        if sha256(p) != digest:
            raise ModelError(f"{p}: changed after it was written (its SHA-256 differs from manifest.json)")
    return manifest


def scenario_input_files(scenario) -> dict[str, Path]:
    """The files a forecast or analysis of ``scenario`` reads, by label, for the manifest."""
    cal = calibration_dir()
    files = {f"scenario:{p.name}": p for p in scenario.files}
    files.update({
        "levers": scenarios_dir() / "levers.csv",
        "targets": cal / "targets.csv",
        "priors": cal / "priors.csv",
        "observations": cal / scenario.region / "observations.csv",
        "profile": cal / scenario.region / "profile.yaml",
        "posterior": posterior_path(scenario.region),
    })
    return files


def write_manifest(folder: ResultsFolder, *, inputs: dict[str, Path], seed, runs, extra: dict | None = None):
    """manifest.json: what produced the files in this folder; written last."""
    outputs = sorted(p for p in folder.staging.rglob("*") if p.is_file())
    manifest = {
        "tool": "innosd",
        "version": __version__,
        "command": " ".join(sys.argv) if sys.argv and sys.argv[0] else "python api",
        "created": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "seed": seed,
        "runs": runs,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "inputs": {label: {"path": str(p), "sha256": sha256(p)}
                   for label, p in inputs.items() if p and Path(p).exists()},
        "outputs": {str(p.relative_to(folder.staging)): sha256(p) for p in outputs},
        **(extra or {}),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str)
    atomic_write(folder.path("manifest.json"), lambda fh: fh.write(text.encode("utf-8")))
    return manifest
