"""Each family member runs on its own economy (issue 12.6): Shijiazhuang's and Taizhou's profiles
carry their own sourced points and priors, and none of their initial values silently falls back
to the model's defaults, which are Xingtai's numbers."""
from __future__ import annotations

import pandas as pd
import pytest

from innosd.inputs.region import load_region
from innosd.sectors import shipped_model

SHARED = "sjz_taizhou_to_2020.csv"


def shared_value(root, region, indicator, year):
    path = root.parent / "shared" / "data" / SHARED
    if not path.is_file():
        pytest.skip(f"shared/data/{SHARED} not beside the checkout")
    df = pd.read_csv(path, dtype=str)
    rows = df[(df["region"] == region) & (df["indicator"] == indicator) & (df["year"] == str(year))]
    return [float(v) for v in rows["value"]]


def test_shijiazhuang_starts_from_its_own_htes_and_fiscal_st_not_xingtais():
    sjz, xt = load_region("shijiazhuang").priors_in_use(), shipped_model().constants
    hte, fiscal = sjz["init_hte_count"], sjz["init_fiscal_st_spending"]
    assert float(xt["init_hte_count"].equation) == 131 and float(xt["init_fiscal_st_spending"].equation) == 2.0
    # 320 HTEs at end-2013 grown two years at Hebei's 2012-2016 rate (825 -> 1630)
    assert hte.ppf(0.5) == pytest.approx(320 * (1630 / 825) ** (2 / 4), rel=0.02)
    assert hte.interval(0.9)[0] > 131
    # no Shijiazhuang figure: Xingtai's assumption scaled by GDP, stated as lacking
    assert fiscal.ppf(0.5) == pytest.approx(2.0 * 3.34, rel=0.02) and "LACKING" in fiscal.source
    assert fiscal.interval(0.9)[0] < 2.0 * 3.34 / 2


def test_shijiazhuang_points_equal_the_shared_data(root):
    reg = load_region("shijiazhuang")
    obs = reg.observations.set_index("obs_id")
    gdp = shared_value(root, "Shijiazhuang", "gdp", 2017)[0]
    assert obs.loc["shijiazhuang-gdp-2017-exogenous", "model_value"] == gdp
    assert obs.loc["sjz-techsme-2019-news", "value"] == 11494
    assert obs.loc["sjz-rdshare-2020-bulletin", "model_value"] == pytest.approx(
        shared_value(root, "Shijiazhuang", "rd_share_of_province", 2020)[0] / 100)
    census = shared_value(root, "Shijiazhuang", "resident_population_census", 2020)
    assert obs.loc["shijiazhuang-population-2020-exogenous", "model_value"] * 1e4 == pytest.approx(min(census))
    assert reg.priors_in_use()["init_gdp"].lo > 5000  # Xingtai's prior is 1450-2250


def test_taizhou_runs_on_its_gdp_and_population(root):
    reg = load_region("taizhou")
    obs = reg.observations.set_index("obs_id")
    for year in (2016, 2019, 2020):
        assert obs.loc[f"taizhou-gdp-{year}-exogenous", "model_value"] == \
            shared_value(root, "Taizhou (Zhejiang)", "gdp", year)[0]
    priors = reg.priors_in_use()
    assert 3500 < priors["init_gdp"].ppf(0.5) < 3875 and 590 <= priors["init_population"].ppf(0.5) <= 612
    # no city innovation figure: a scaled prior, and the profile says so
    assert "LACKING" in priors["init_hte_count"].source or "scaled" in priors["init_hte_count"].source
    assert any("LACKING" in gap for gap in reg.profile["data_gaps"])


@pytest.mark.parametrize("key", ["shijiazhuang", "taizhou"])
def test_no_initial_value_silently_borrowed_from_xingtai(key):
    reg = load_region(key)
    assert reg.borrowed_defaults() == []
    priors = reg.priors_in_use()
    for name in ("init_gdp", "init_population", "init_hte_count", "init_tech_sme_provincial",
                 "init_fiscal_st_spending", "init_rd_personnel", "hte_rd_2015", "init_platforms_municipal"):
        assert name in reg.own_priors, name
        xingtai = float(shipped_model().constants[name].equation)
        assert abs(priors[name].ppf(0.5) / xingtai - 1) > 0.15, name


def test_xingtai_keeps_the_shared_priors():
    assert load_region("xingtai").own_priors == {}
