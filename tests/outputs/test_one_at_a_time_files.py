"""The one-lever-at-a-time table as written for docs/model: every lever of levers.csv with its
units and bounds, each moving target with its units, the targets left out, and a CSV a reader can
filter."""
from __future__ import annotations

import pandas as pd
import pytest

from innosd.analysis.one_at_a_time import one_lever_at_a_time
from innosd.inputs.scenario import levers
from innosd.outputs.one_at_a_time import ordered, write_one_at_a_time


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    res = one_lever_at_a_time("xingtai/baseline", runs=8)
    out = tmp_path_factory.mktemp("oat")
    return res, write_one_at_a_time(out, [("Xingtai", res)], ["Taizhou"])


def test_markdown_lists_every_lever_with_units_and_bounds(written):
    res, (md, _) = written
    text = md.read_text(encoding="utf-8")
    section = text.split("### Levers\n")[1].split("###")[0]
    for name, lv in levers().items():
        line = next(ln for ln in section.splitlines() if ln.startswith(f"| `{name}` |"))
        assert f"| {lv.units} |" in line, name
    assert "| lever | units | low bound | baseline from 2021 | high bound |" in text
    assert "No table for Taizhou" in text
    # the targets left out, set by policy among them, by id
    left = text.split("### Targets left out")[1]
    assert "set by policy" in left and "`xt-002-devzoneincub-2025`" in left
    # every lever that moves nothing is named with its reason
    for _, r in res.levers[res.levers["targets_moved"] == 0].iterrows():
        assert f"- `{r['lever']}`: " in text


def test_moving_rows_sorted_by_lever_then_size_of_effect(written):
    res, (md, _) = written
    rows = ordered(res.table)
    assert rows["moves"].all() and len(rows) == int(res.table["moves"].sum())
    order = list(levers())
    assert list(rows["lever"].map(order.index)) == sorted(rows["lever"].map(order.index))
    for _, group in rows.groupby("lever"):
        dp = (group["p_high"] - group["p_low"]).abs().to_numpy()
        assert (dp[:-1] >= dp[1:]).all()
    text = md.read_text(encoding="utf-8")
    first = rows.iloc[0]
    assert f"| `{first['lever']}` | `{first['target_id']}` |" in text
    # a growth target reads in %/yr
    assert "%/yr" in text.split("### Targets each lever moves")[1]


def test_csv_has_every_lever_and_compared_target(written):
    res, (_, csv) = written
    df = pd.read_csv(csv)
    assert set(df["lever"]) == set(levers())
    assert len(df) == len(levers()) * res.table["target_id"].nunique()
    assert {"region", "median_baseline", "median_low", "median_high", "p_baseline", "p_low", "p_high",
            "units", "moves"} <= set(df.columns)
    assert (df["region"] == "xingtai").all()
