"""Core: the equation language, builtins, the engine, units and time series.

Knows nothing of innovation, files or scenarios. A researcher's own model needs only this layer::

    from innosd.core import Model, stock, flow, aux, const, lookup

docs/writing-a-model.md takes such a model through units, ensembles, calibration, Sobol' and XMILE.
"""
from .engine import CompiledModel, Model, RunSettings  # noqa: F401
from .equations import ModelError, aging_chain, aux, const, flow, lookup, stock  # noqa: F401
from .series import Series  # noqa: F401
