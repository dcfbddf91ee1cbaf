"""Counties: the Hebei county S&T capability tiers A/B/C (县域科技创新跃升计划).

Mechanisms
----------
* **Capability score.**  Hebei scores each county on 17 indicators (85 quantitative
  points, 15 qualitative); A ≥ 80, B 60–80, C < 60.  The model tracks the *mean* county
  score.  Each driver is measured against the A-tier benchmark of 003 (fiscal S&T spending
  per county 70 M CNY, above-scale R&D/revenue 1.5%, 90 HTEs per county, high-tech share
  40%); the score is ``county_score_at_benchmarks`` plus ``county_score_slope`` points per
  unit of the average log-ratio to the benchmarks, plus points earned by the county
  special fund (S&T service networks, the qualitative indicators).  Evaluations are
  published a year later, so the score is a one-year smooth of the indicated score.
* **Distribution.**  County scores spread around the mean; the share of counties whose score
  passes a threshold is a logistic in (mean − threshold)/spread.  That gives the indicated
  number of A counties and of B-or-better counties.
* **Promotion/demotion chain.**  Counties move C→B and B→A when the indicated count exceeds
  the current one, and A→B, B→C when it is below, closing the gap over one evaluation
  cycle.  Flows are limited by the counties available, so stocks stay non-negative and the
  total equals ``county_count``.

Feedback loops
--------------
* None closes back into the system: the tiers are an assessment *of* the system (fiscal
  S&T spending, R&D intensity, HTE density, high-tech share).  Balancing within the chain:
  promotions stop as the tier counts reach their indicated values.

``county_count`` is set by the region (Xingtai: 20 units per 000; note that 002 excludes
the development zone and 邢东新区 from the tier evaluation, i.e. 18 evaluated counties;
Shijiazhuang: 21).
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append
    E(const("county_count", 20, "county", en="County-level units of the city", zh="县(市、区)数",
            source=S.S000_UNITS + "; 002 excludes 2 zones from the tier evaluation (18); Shijiazhuang 21 (003)"))
    E(const("county_share_of_fiscal_st", 0.4, "dimensionless", en="Share of local fiscal S&T spending spent by counties",
            zh="县级财政科技支出占全市比重", source="assumption: city and county budgets split"))
    E(const("county_special_fund", 0, "ten_thousand_CNY/year", bounds=(0, 3000),
            en="Lever: city special fund for county S&T capability (per year, all counties)", zh="杠杆: 县域科技创新跃升专项资金",
            source=S.S003_FUND + "; Xingtai default 0 (no such fund known in 2020)"))
    E(aux("county_fiscal_st_per_county",
          "(fiscal_st_spending * county_share_of_fiscal_st * ten_thousand_per_hundred_million + county_special_fund)"
          " / county_count",
          "ten_thousand_CNY/county/year", en="Fiscal S&T spending per county", zh="县均财政科技支出", source=S.S003_THRESHOLDS))
    E(aux("hte_per_county", "hte_count / county_count", "firm/county", en="High-tech enterprises per county",
          zh="县均高新技术企业数", source=S.S003_THRESHOLDS))

    E(const("county_fiscal_benchmark", 7000, "ten_thousand_CNY/county/year", en="A-tier fiscal S&T spending benchmark (2022)",
            zh="A类县财政科技支出标准", source=S.S003_THRESHOLDS))
    E(const("county_rd_revenue_benchmark", 0.015, "dimensionless", en="A-tier above-scale R&D/revenue benchmark",
            zh="A类县规上工业R&D占营业收入标准", source=S.S003_THRESHOLDS))
    E(const("county_hte_benchmark", 90, "firm/county", en="A-tier HTE-per-county benchmark", zh="A类县高企数量标准",
            source=S.S003_THRESHOLDS))
    E(const("county_hti_benchmark", 0.40, "dimensionless", en="A-tier high-tech share benchmark", zh="A类县高新技术产业占比标准",
            source="003 五(五)16: 规上高新技术产业增加值占规上工业增加值比重 A类县40%"))
    # Each driver enters as a log-ratio to its A-tier benchmark (floored to keep logs finite).
    E(aux("county_fiscal_attainment", "log(max(0.01, county_fiscal_st_per_county / county_fiscal_benchmark))",
          "dimensionless", en="Log fiscal S&T spending per county relative to the A benchmark", zh="财政科技支出达标度(对数)",
          source=S.L_COUNTY))
    E(aux("county_rd_attainment", "log(max(0.01, above_scale_rd_to_revenue / county_rd_revenue_benchmark))",
          "dimensionless", en="Log R&D/revenue relative to the A benchmark", zh="研发投入强度达标度(对数)", source=S.L_COUNTY))
    E(aux("county_hte_attainment", "log(max(0.01, hte_per_county / county_hte_benchmark))", "dimensionless",
          en="Log HTE density relative to the A benchmark", zh="高企密度达标度(对数)", source=S.L_COUNTY))
    E(aux("county_hti_attainment", "log(max(0.01, hti_va_share / county_hti_benchmark))", "dimensionless",
          en="Log high-tech share relative to the A benchmark", zh="高新技术产业占比达标度(对数)", source=S.L_COUNTY))
    E(const("county_score_at_benchmarks", 94, "score_point", bounds=(80, 100), en="Mean score of counties meeting every A benchmark",
            zh="各项达A类标准时的县域平均得分",
            source="assumption: calibrated on 7 B-tier Xingtai counties in 2020 (" + S.OBS_BUREAU_2020 + "); "
                   + S.OBS_HEBEI_AVG))
    E(const("county_score_slope", 25, "score_point", bounds=(15, 35), en="Score points per unit of average log-attainment",
            zh="得分对平均达标度(对数)的斜率", source="assumption: calibrated on Hebei's 2018→2020 tier shifts (" + S.L_COUNTY + ")"))
    E(const("special_fund_max_points", 5, "score_point", en="Largest score gain from a county special fund",
            zh="专项资金可带来的最高加分", source="assumption: qualitative indicators are 15 of 100 points (" + S.L_COUNTY + ")"))
    E(const("special_fund_half_effect", 75, "ten_thousand_CNY/county/year",
            en="Special fund per county giving half the maximum gain", zh="专项资金半饱和额度(县均)",
            source="assumption: Shijiazhuang's 1500万 over 21 units ≈ 71万 per county (003)"))
    E(aux("special_fund_points",
          "special_fund_max_points * (county_special_fund / county_count)"
          " / (county_special_fund / county_count + special_fund_half_effect)",
          "score_point", en="Score points earned by the special fund (service networks, management)", zh="专项资金带来的得分",
          source=S.S003_FUND))
    E(aux("county_score_indicated",
          "clip(county_score_at_benchmarks + county_score_slope * (county_fiscal_attainment + county_rd_attainment"
          " + county_hte_attainment + county_hti_attainment) / 4 + special_fund_points, 0, 100)",
          "score_point", en="Mean county capability score implied by this year's indicators", zh="县域科技创新能力指示得分",
          source=S.L_COUNTY))
    E(const("county_evaluation_lag", 1, "year", en="Delay from indicators to the published evaluation",
            zh="县域评价发布滞后", source=S.S003_TIERS + " (2020年度结果于2021年发布)"))
    E(aux("county_capability_score", "smooth(county_score_indicated, county_evaluation_lag)", "score_point",
          en="Mean county S&T capability score (Hebei evaluation)", zh="县域科技创新能力平均得分", source=S.OBS_HEBEI_AVG))

    E(const("tier_a_threshold", 80, "score_point", en="Score threshold of tier A", zh="A类县分数线", source=S.OBS_COUNTY_HEBEI))
    E(const("tier_b_threshold", 60, "score_point", en="Score threshold of tier B", zh="B类县分数线", source=S.OBS_COUNTY_HEBEI))
    E(const("county_score_spread", 8, "score_point", bounds=(4, 20), en="Spread (logistic scale) of county scores around the mean",
            zh="县域得分离散度", source="assumption: Hebei 2020 mean 56.3 with A 19, B 64, C 85 of 168 counties implies ≈8–10"))
    E(aux("share_counties_at_least_a", "1 / (1 + exp(-(county_capability_score - tier_a_threshold) / county_score_spread))",
          "dimensionless", en="Share of counties scoring at least the A threshold", zh="达到A类分数线的县比例",
          source="assumption: logistic distribution of county scores"))
    E(aux("share_counties_at_least_b", "1 / (1 + exp(-(county_capability_score - tier_b_threshold) / county_score_spread))",
          "dimensionless", en="Share of counties scoring at least the B threshold", zh="达到B类分数线的县比例",
          source="assumption: logistic distribution of county scores"))
    E(aux("indicated_tier_a", "county_count * share_counties_at_least_a", "county", en="A-tier counties implied by the score",
          zh="指示A类县数", source="assumption"))
    E(aux("indicated_b_or_better", "county_count * share_counties_at_least_b", "county",
          en="B-or-better counties implied by the score", zh="指示B类及以上县数", source="assumption"))

    E(const("init_counties_tier_a", 0, "county", en="A-tier counties, end-2015", zh="A类县(2015年末)",
            source="observations_to_2020.csv: Xingtai had no A county in the 2019 evaluation"))
    E(const("init_counties_tier_b", 1, "county", en="B-tier counties, end-2015", zh="B类县(2015年末)",
            source="assumption: Hebei baseline 31 B of 168 (2018); Xingtai lagged"))
    E(stock("counties_tier_a", "init_counties_tier_a", "county", inflows=["county_promotions_to_a"],
            outflows=["county_demotions_from_a"], en="Counties in tier A", zh="A类县", source=S.S002_COUNTY))
    E(stock("counties_tier_b", "init_counties_tier_b", "county", inflows=["county_promotions_to_b", "county_demotions_from_a"],
            outflows=["county_promotions_to_a", "county_demotions_from_b"], en="Counties in tier B", zh="B类县",
            source=S.S002_COUNTY))
    # Tier C holds the rest, so the three tiers always add up to county_count.
    E(stock("counties_tier_c", "county_count - init_counties_tier_a - init_counties_tier_b", "county",
            inflows=["county_demotions_from_b"], outflows=["county_promotions_to_b"], en="Counties in tier C", zh="C类县",
            source=S.S003_TIERS))
    E(const("county_evaluation_interval", 1, "year", en="Time between county evaluations", zh="县域评价周期",
            source=S.S003_TIERS))
    E(flow("county_promotions_to_a",
           "min(max(0, indicated_tier_a - counties_tier_a), counties_tier_b) / county_evaluation_interval",
           "county/year", en="Counties promoted from B to A", zh="B类县跃升A类", source=S.L_COUNTY))
    E(flow("county_demotions_from_a", "max(0, counties_tier_a - indicated_tier_a) / county_evaluation_interval",
           "county/year", en="Counties demoted from A to B", zh="A类县降为B类", source=S.L_COUNTY))
    E(flow("county_promotions_to_b",
           "min(max(0, indicated_b_or_better - counties_tier_a - counties_tier_b), counties_tier_c)"
           " / county_evaluation_interval",
           "county/year", en="Counties promoted from C to B", zh="C类县跃升B类", source=S.L_COUNTY))
    E(flow("county_demotions_from_b",
           "min(max(0, counties_tier_a + counties_tier_b - indicated_b_or_better), counties_tier_b)"
           " / county_evaluation_interval",
           "county/year", en="Counties demoted from B to C", zh="B类县降为C类", source=S.L_COUNTY))
    # Plans count promotions over a period ("到2025年，跃升A类县3个"), so the flow is also accumulated.
    E(const("init_county_promotions_to_a_cumulative", 0, "county", en="Promotions to A counted from the start of the run",
            zh="跃升A类县(起算值)", source="definition: the count starts at zero"))
    E(stock("county_promotions_to_a_cumulative", "init_county_promotions_to_a_cumulative", "county", inflows=["county_promotions_to_a"],
            en="Counties promoted from B to A, cumulative since the start of the run",
            zh="B类县跃升A类(累计)", source=S.S003_TIERS))
    E(aux("county_tier_promotions", "county_promotions_to_a + county_promotions_to_b", "county/year",
          en="County-level units moving up a tier during the year", zh="实现跃升的县(区)",
          source=S.OBS_BUREAU_2020 + ": 继2019年8个县(区)实现跃升之后"))
    E(aux("counties_b_or_better", "counties_tier_a + counties_tier_b", "county", en="Counties in tier B or A",
          zh="B类及以上县", source=S.S002_COUNTY))
    return with_sector(els, "counties")
