"""Feedback loops: the listing finds the loops through the main stocks, with measured polarity;
loop dominance gives relative scores."""
from __future__ import annotations

import numpy as np
import pytest

from innosd.analysis.loops import Loop, feedback_loops, loop_dominance, loops_through
from innosd.core import Model, aux, const, flow, stock
from innosd.core.engine import RunSettings
from innosd.outputs.docs import _state_2020
from innosd.sectors import shipped_model


@pytest.fixture(scope="module")
def loops():
    m = shipped_model()
    return feedback_loops(m, _state_2020(m))


def has(loops, *elements, polarity=None):
    return any(all(e in lp.elements for e in elements) and (polarity is None or lp.polarity == polarity)
               for lp in loops)


def test_the_main_loops_are_listed_with_their_polarity(loops):
    # R4 pipeline: more HTEs -> more HTE R&D -> more R&D capital -> higher certification
    assert has(loops, "hte_1", "hte_private_rd", "rd_capital", "hte_rd_effect", "hte_new_certifications", polarity="R")
    # R3 talent attraction: high-tech share -> attractiveness -> fewer departures -> patents -> high-tech share
    assert has(loops, "hti_va_share", "talent_attractiveness", "rd_personnel", "hv_invention_patents", polarity="R")
    # the staffing link: R&D personnel limit the R&D performed, which builds R&D capital
    assert has(loops, "rd_personnel", "rd_staffing_effect", "rd_capital")
    # B2: HTE certificates expire after three cohorts
    assert has(loops, "hte_3", "hte_expiry", polarity="B")
    # every main stock of the firm pipeline, R&D and talent sits in a loop
    for stock_name in ("tech_sme_provincial", "hte_1", "rd_capital", "rd_personnel", "hti_va_share"):
        assert len(loops_through(loops, stock_name)) >= 5, stock_name


def test_loop_dominance_scores_are_shares_of_the_listed_loops():
    m = Model([const("init_x", 1, "firm"), const("g", 0.1, "1/year"), const("tau", 5, "year"),
               stock("x", "init_x", "firm", inflows=["births"], outflows=["deaths"]),
               flow("births", "x * g", "firm/year"), flow("deaths", "x / tau", "firm/year"),
               aux("doubling", "log(2) / g", "year")])
    lps = feedback_loops(m, {"x": 1.0, "births": 0.1, "deaths": 0.2, "g": 0.1, "tau": 5.0, "init_x": 1.0,
                             "doubling": 6.9, "time": 0.0, "time_step": 0.25})
    assert sorted(str(lp) for lp in lps) == ["B: x → deaths → x", "R: x → births → x"]
    df = loop_dominance(m, m.compile(), {}, RunSettings(0, 5), lps, times=[1.0, 2.0, 3.0])
    for _, g in df.groupby("time"):
        assert np.isclose(g["score"].abs().sum(), 1.0)
        # births 0.1 x, deaths 0.2 x: the balancing loop carries two thirds of the activity
        scores = dict(zip(g["loop"], g["score"]))
        assert scores["B: x → deaths → x"] == pytest.approx(-2 / 3, rel=1e-6)
        assert scores["R: x → births → x"] == pytest.approx(1 / 3, rel=1e-6)
    assert isinstance(lps[0], Loop)
