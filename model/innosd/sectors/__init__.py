"""The model's sectors: declarations only (equations, units, descriptions, sources).

Each module has a docstring describing its mechanisms and feedback loops and a function
``elements()`` returning its declarations.  Sectors refer to each other's elements by
name; the model is the concatenation of all of them (:func:`all_elements`).

Conventions
-----------
* Time in ``year``.  Model time t is the END of calendar year t (the run starts at t = 2015
  with end-2015 stocks), so a flow during calendar year Y happens for t in (Y−1, Y], and a
  policy starting on 1 January of year Y is entered as model time Y−1
  (``complex_programme_start`` = 2019 for 2020; the super-deduction tables switch at 2017.0
  for the 2018 tax year).
* Money flows in ``hundred_million_CNY/year`` (亿元/年); shares are ``dimensionless``
  fractions, not percent; scores in ``score_point``.
* Every stock starts from a constant ``init_<stock>``, except derived initial values that
  the sector docstrings name (HTE and 专精特新 cohorts, HTEs in zones, tier C).
* Numbers in equations are dimensionless; anything with units is a named constant.
"""
from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from ..core.engine import CompiledModel, Model
from . import agriculture, counties, firms, industry, knowledge, model_error, platforms, rd_funding, talent, tech_market

SECTORS = OrderedDict([
    ("firms", firms),
    ("rd", rd_funding),           # sector label "rd", as in calibration/indicators.csv
    ("talent", talent),
    ("knowledge", knowledge),
    ("tech_market", tech_market),
    ("platforms", platforms),
    ("industry", industry),
    ("counties", counties),
    ("agriculture", agriculture),  # crop breeding and agricultural S&T (002 四(四))
    ("model_error", model_error),  # autocorrelated noise on the main rates (issue 11.2)
])

#: pint definitions of the model's own units (added to a registry by the units layer).
UNIT_DEFINITIONS = (
    "firm = [firm]",
    "person = [person]",
    "patent = [patent]",
    "project = [project]",
    "platform = [platform]",
    "complex = [complex]",
    "county = [county]",
    "team = [team]",
    "CNY = [currency]",
    "hundred_million_CNY = 1e8 * CNY",
    "ten_thousand_CNY = 1e4 * CNY",
    "ten_thousand_person = 1e4 * person",
    # Scores use score_point: pint already defines `point` (printer's point, a length) and
    # ignores a redefinition, so "point = [score]" would silently stay a length.
    "score_point = [score]",
    # Units the data files state (converted by the region layer): 百万元, 十亿元.
    "million_CNY = 1e6 * CNY",
    "billion_CNY = 1e9 * CNY",
)


def all_elements():
    """All sector declarations, in sector order."""
    out = []
    for module in SECTORS.values():
        out.extend(module.elements())
    return out


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    """The shipped model, checked (names, equations, flows) and cached."""
    return Model(all_elements(), name="innosd")


@lru_cache(maxsize=1)
def compiled_model() -> CompiledModel:
    """The shipped model's generated code, compiled once per process."""
    return shipped_model().compile()


def model_fingerprint() -> str:
    return shipped_model().fingerprint()
