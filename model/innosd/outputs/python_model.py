"""A model as a readable Python module of declarations (``stock``, ``flow``, ``aux``, ``const``,
``lookup``), e.g. a model imported from XMILE, for a researcher to read, edit and version."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .. import __version__
from ..core.engine import Model, RunSettings
from ..core.equations import Element
from .files import atomic_write

_HELPERS = {"stock": "stock", "flow": "flow", "auxiliary": "aux", "constant": "const", "lookup": "lookup"}


def _declaration(el: Element) -> str:
    helper = _HELPERS[el.kind]
    if el.kind == "lookup":
        points = ", ".join(f"({x!r}, {y!r})" for x, y in el.points)
        args = [repr(el.name), f"[{points}]", repr(el.units), repr(el.x_units)]
        if el.interpolation != "linear":
            args.append(f"interpolation={el.interpolation!r}")
    elif el.kind == "constant":
        args = [repr(el.name), el.equation if _is_number(el.equation) else repr(el.equation), repr(el.units)]
    else:
        args = [repr(el.name), repr(el.equation), repr(el.units)]
    if el.inflows:
        args.append(f"inflows={list(el.inflows)!r}")
    if el.outflows:
        args.append(f"outflows={list(el.outflows)!r}")
    args += [f"{key}={getattr(el, key)!r}" for key in ("en", "zh", "source") if getattr(el, key)]
    lines, line = [], f"        {helper}("
    for i, arg in enumerate(args):
        piece = arg + (", " if i < len(args) - 1 else "),")
        if len(line) + len(piece) > 110 and line.strip() != f"{helper}(":
            lines.append(line.rstrip())
            line = " " * (9 + len(helper)) + piece
        else:
            line += piece
    return "\n".join(lines + [line])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def python_module(model: Model, settings: RunSettings, *, unit_definitions: Sequence[str] = (),
                  origin: str = "") -> str:
    """The source of a module whose ``model()`` rebuilds ``model`` and whose ``SETTINGS`` is its clock."""
    units = "".join(f"    {d!r},\n" for d in unit_definitions)
    body = "\n".join(_declaration(el) for el in model.declared)
    return f'''"""{model.name}: {origin or "an innosd model"} (innosd {__version__}).

Run it with ``model().compile().run(**SETTINGS.kwargs())``, or through
``innosd.runs.ensemble.run_ensemble(model().compile(), params, n, SETTINGS)``; check its units with
``innosd.core.units.check_units(model(), UNIT_DEFINITIONS)``.
"""
from innosd.core.engine import Model, RunSettings
from innosd.core.equations import aux, const, flow, lookup, stock

SETTINGS = RunSettings(start={settings.start!r}, stop={settings.stop!r}, dt={settings.dt!r}, method={settings.method!r},
                       save_every={settings.save_every!r})
#: pint definitions of the units the model names that pint does not know
UNIT_DEFINITIONS = (
{units})


def elements():
    return [
{body}
    ]


def model() -> Model:
    return Model(elements(), name={model.name!r})
'''


def write_python_module(path: Path | str, model: Model, settings: RunSettings, **kw) -> Path:
    text = python_module(model, settings, **kw)
    return atomic_write(Path(path), lambda fh: fh.write(text.encode("utf-8")))
