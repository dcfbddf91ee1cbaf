"""Counties: the Hebei county S&T capability evaluation and its tiers A/B/C (县域科技创新跃升计划).

Mechanisms
----------
* **What is evaluated.**  Hebei scores each county on 17 indicators (85 quantitative points,
  15 qualitative; 冀政办字〔2019〕9号, which 003 implements); A ≥ 80, B 60–80, C < 60.  The model
  scores the nine quantitative indicators that 003 gives A-tier standards for and that the model
  has: fiscal S&T spending per county and its share of the public budget, above-scale R&D over
  revenue, provincial-or-higher platforms, valid invention patents per 10k residents, HTEs and
  tech SMEs per county, the high-tech share of industry, and provincial-or-higher innovation
  service institutions (incubators, transfer institutions) per county.  Each enters as the log of
  the city's per-county average over its A standard; the city's mean score is
  ``county_score_at_benchmarks`` plus ``county_score_slope`` points per unit of the average
  log-attainment, plus points a county special fund earns (service networks and management, the
  qualitative indicators).  Only the counties the evaluation covers count (Xingtai: 18 of its 20
  units, 002 excludes the development zone and 邢东新区; Shijiazhuang: 21).
* **Counties as counties.**  Counties differ: county k's score is the mean plus
  ``county_score_spread`` times the k-th quantile of a logistic distribution (counties ordered
  from weakest to strongest).  Tier counts are counts of counties over each threshold, so they
  are whole numbers, and a county's rank does not change: promotions in an evaluation are the
  rise of the count over the previous evaluation.
* **Evaluations are yearly.**  The tiers at model time Y are those of the evaluation of data year
  Y (Y年度, published in Y+1): observations stated by publication year are compared one year
  earlier (``innosd.inputs.region``).  The previous evaluation's counts are held in stocks that a
  yearly pulse updates (Vensim's sample-and-hold), so promotions are counted per evaluation.

Feedback loops
--------------
* None closes back into the system: the tiers are an assessment *of* the system (fiscal S&T
  spending, R&D intensity, HTE and SME density, patents, platforms, services, high-tech share).

``county_count`` (all county-level units, used by the complex programme) and
``evaluated_county_count`` are set by the region.
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector
from . import _sources as S

#: County slots declared; a region evaluates the first ``evaluated_county_count`` of them.
COUNTY_SLOTS = 21

#: (indicator, model expression for the city's per-county average, A standard, units, en, zh)
INDICATORS = (
    ("fiscal", "county_fiscal_st_per_county", 7000, "ten_thousand_CNY/county/year",
     "fiscal S&T spending per county", "县均财政科技支出"),
    ("fiscal_share", "fiscal_st_share", 0.019, "dimensionless",
     "S&T share of the public budget", "财政科技支出占公共财政支出比重"),
    ("rd", "above_scale_rd_to_revenue", 0.015, "dimensionless",
     "above-scale R&D over revenue", "规上工业企业R&D经费支出占主营业务收入比重"),
    ("platforms", "provincial_plus_platforms / evaluated_county_count", 20, "platform/county",
     "provincial-or-higher platforms per county", "县均省级以上科技创新平台"),
    ("patents", "invention_patents_per_10k", 12, "patent/ten_thousand_person",
     "valid invention patents per 10k residents", "万人有效发明专利拥有量"),
    ("hte", "hte_count / evaluated_county_count", 90, "firm/county",
     "HTEs per county", "县均高新技术企业"),
    ("sme", "tech_sme_provincial / evaluated_county_count", 900, "firm/county",
     "tech SMEs per county", "县均科技型中小企业"),
    ("hti", "hti_va_share", 0.40, "dimensionless",
     "high-tech share of above-scale industry", "规上高新技术产业增加值占比"),
    ("services", "innovation_service_institutions / evaluated_county_count", 20, "platform/county",
     "provincial-or-higher innovation service institutions per county", "县均省级以上创新创业服务机构"),
)


def elements():
    els = []
    E = els.append
    E(const("county_count", 20, "county", en="County-level units of the city", zh="县(市、区)数",
            source=S.S000_UNITS + "; Shijiazhuang 21 (003)"))
    E(const("evaluated_county_count", 18, "county", bounds=(1, COUNTY_SLOTS),
            en="County-level units covered by the provincial county evaluation", zh="纳入县域科技创新评价的县(市、区)数",
            source=S.S002_COUNTY + " (Xingtai: 20 units less 开发区 and 邢东新区); 003: 21 in Shijiazhuang"))
    E(const("county_share_of_fiscal_st", 0.4, "dimensionless", bounds=(0.2, 0.6), en="Share of local fiscal S&T spending spent by counties",
            zh="县级财政科技支出占全市比重", source="assumption: city and county budgets split"))
    # Counties may raise their S&T spending faster than the city as a whole (003: ≥30 %/yr).
    E(const("init_county_fiscal_effort", 1, "dimensionless", en="County fiscal S&T effort relative to the city trend, 2015",
            zh="县级财政科技投入力度(2015=1)", source="definition: 2015 = 1"))
    E(stock("county_fiscal_effort", "init_county_fiscal_effort", "dimensionless", inflows=["county_fiscal_effort_change"],
            en="County fiscal S&T spending relative to the city's trend", zh="县级财政科技投入力度",
            source=S.S003_FISCAL))
    E(const("county_fiscal_extra_growth", 0, "1/year", bounds=(0, 0.3),
            en="Lever: yearly growth of county fiscal S&T spending beyond the city's", zh="杠杆: 县级财政科技支出超出全市的年增速",
            source=S.S003_FISCAL + " (a county lever; default 0)"))
    E(flow("county_fiscal_effort_change", "county_fiscal_effort * county_fiscal_extra_growth", "1/year",
           en="Change of county fiscal effort", zh="县级财政科技投入力度变化", source=S.S003_FISCAL))
    E(aux("county_fiscal_st_spending",
          "fiscal_st_spending * county_share_of_fiscal_st * county_fiscal_effort", "hundred_million_CNY/year",
          en="Fiscal S&T spending of the county-level units", zh="县级地方财政科技支出", source=S.S003_FISCAL))
    E(const("county_special_fund", 0, "ten_thousand_CNY/year", bounds=(0, 3000),
            en="Lever: city special fund for county S&T capability (per year, all counties)", zh="杠杆: 县域科技创新跃升专项资金",
            source=S.S003_FUND + "; Xingtai default 0 (no such fund known in 2020)"))
    E(aux("county_fiscal_st_per_county",
          "(county_fiscal_st_spending * ten_thousand_per_hundred_million + county_special_fund) / evaluated_county_count",
          "ten_thousand_CNY/county/year", en="Fiscal S&T spending per evaluated county", zh="县均财政科技支出",
          source=S.S003_THRESHOLDS))
    E(aux("hte_per_county", "hte_count / evaluated_county_count", "firm/county", en="High-tech enterprises per county",
          zh="县均高新技术企业数", source=S.S003_THRESHOLDS))
    E(aux("innovation_service_institutions",
          "provincial_incubators_maker_spaces + national_maker_spaces + national_incubators + tech_transfer_institutions",
          "platform", en="Provincial-or-higher innovation and entrepreneurship service institutions",
          zh="省级以上创新创业服务机构", source=S.S003_SERVICES))

    # --- the mean score from the indicators -------------------------------------------------
    names = []
    for key, expr, standard, units, en, zh in INDICATORS:
        E(const(f"county_{key}_standard", standard, units, en=f"A-tier standard (2022): {en}",
                zh=f"A类县标准: {zh}", source=S.S003_THRESHOLDS))
        # floored at 1 % of the standard so the log stays finite at zero (an empty county scores low, not NaN)
        E(aux(f"county_{key}_attainment", f"log(max(0.01, ({expr}) / county_{key}_standard))", "dimensionless",
              en=f"Log attainment of the A standard: {en}", zh=f"达标度(对数): {zh}", source=S.L_COUNTY))
        names.append(f"county_{key}_attainment")
    E(const("county_score_at_benchmarks", 94, "score_point", bounds=(70, 110),
            en="Mean score of counties meeting every A standard",
            zh="各项达A类标准时的县域平均得分",
            source="assumption: calibrated on Xingtai's, Shijiazhuang's and Hebei's tier counts (" + S.OBS_BUREAU_2020
                   + "); " + S.OBS_HEBEI_AVG))
    E(const("county_score_slope", 25, "score_point", bounds=(8, 40), en="Score points per unit of average log-attainment",
            zh="得分对平均达标度(对数)的斜率", source="assumption: calibrated on tier shifts (" + S.L_COUNTY + ")"))
    E(const("special_fund_max_points", 5, "score_point", bounds=(2.5, 7.5), en="Largest score gain from a county special fund",
            zh="专项资金可带来的最高加分", source="assumption: qualitative indicators are 15 of 100 points (" + S.L_COUNTY + ")"))
    E(const("special_fund_half_effect", 75, "ten_thousand_CNY/county/year", bounds=(37.5, 112.5),
            en="Special fund per county giving half the maximum gain", zh="专项资金半饱和额度(县均)",
            source="assumption: Shijiazhuang's 1500万 over 21 units ≈ 71万 per county (003)"))
    E(aux("special_fund_points",
          "special_fund_max_points * (county_special_fund / evaluated_county_count)"
          " / (county_special_fund / evaluated_county_count + special_fund_half_effect)",
          "score_point", en="Score points earned by the special fund (service networks, management)", zh="专项资金带来的得分",
          source=S.S003_FUND))
    E(aux("county_log_attainment", "(" + " + ".join(names) + f") / {len(names)}", "dimensionless",
          en="Average log-attainment of the A standards (city's county average)", zh="平均达标度(对数)",
          source=S.L_COUNTY))
    E(aux("county_capability_score",
          "clip((county_score_at_benchmarks + county_score_slope * county_log_attainment + special_fund_points)"
          " * county_score_error_multiplier, 0, 100)",
          "score_point", en="Mean county S&T capability score (evaluation of the data year)", zh="县域科技创新能力平均得分",
          source=S.OBS_HEBEI_AVG))

    # --- counties as counties: a logistic spread of scores, one slot per evaluated county --------
    E(const("tier_a_threshold", 80, "score_point", en="Score threshold of tier A", zh="A类县分数线", source=S.OBS_COUNTY_HEBEI))
    E(const("tier_b_threshold", 60, "score_point", en="Score threshold of tier B", zh="B类县分数线", source=S.OBS_COUNTY_HEBEI))
    E(const("county_score_spread", 8, "score_point", bounds=(4, 20), en="Spread (logistic scale) of county scores around the mean",
            zh="县域得分离散度", source="assumption: Hebei 2020 mean 56.3 with A 19, B 64, C 85 of 168 counties implies ≈8–10"))
    E(const("county_slot", 1, "county", en="One county (unit of a count)", zh="一个县", source="definition"))
    a_terms, b_terms = [], []
    for k in range(1, COUNTY_SLOTS + 1):
        # the k-th of N counties sits at the (k - 0.5) / N quantile; slots beyond N are not evaluated
        q = f"min(0.999, ({k} - 0.5) / evaluated_county_count)"
        E(aux(f"county_score_{k:02d}", f"county_capability_score + county_score_spread * log({q} / (1 - {q}))",
              "score_point", en=f"Score of the county ranked {k} from the weakest", zh=f"第{k}弱县得分",
              source="assumption: logistic spread of county scores"))
        active = f"{k} <= evaluated_county_count"
        a_terms.append(f"if_then_else({active} and county_score_{k:02d} >= tier_a_threshold, 1, 0)")
        b_terms.append(f"if_then_else({active} and county_score_{k:02d} >= tier_b_threshold, 1, 0)")
    E(aux("counties_tier_a", "county_slot * (" + " + ".join(a_terms) + ")", "county", en="Counties in tier A",
          zh="A类县", source=S.S002_COUNTY))
    E(aux("counties_b_or_better", "county_slot * (" + " + ".join(b_terms) + ")", "county",
          en="Counties in tier B or A", zh="B类及以上县", source=S.S002_COUNTY))
    E(aux("counties_tier_b", "counties_b_or_better - counties_tier_a", "county", en="Counties in tier B", zh="B类县",
          source=S.S002_COUNTY))
    E(aux("counties_tier_c", "evaluated_county_count - counties_b_or_better", "county", en="Counties in tier C", zh="C类县",
          source=S.S003_TIERS))

    # --- the previous evaluation, held between evaluations (sample and hold) -------------------
    E(const("county_evaluation_interval", 1, "year", en="Time between county evaluations", zh="县域评价周期",
            source=S.S003_TIERS))
    E(const("county_evaluation_epoch", 2000, "year", en="A year-end on which evaluations fall (they repeat yearly)",
            zh="县域评价时点基准", source="definition: evaluations cover calendar (data) years"))
    E(const("county_evaluation_last", 2100, "year", en="Last evaluation the model holds", zh="县域评价截止时点",
            source="definition: beyond any run"))
    E(aux("county_evaluation_pulse",
          "pulse_train(county_evaluation_epoch, 0, county_evaluation_interval, county_evaluation_last) / time_step",
          "1/year",
          en="Yearly evaluation event (one time step long)", zh="年度评价时点", source=S.S003_TIERS))
    for name, what, zh in (("counties_tier_a", "A-tier counties", "A类县"),
                           ("counties_b_or_better", "B-or-better counties", "B类及以上县")):
        E(stock(f"{name}_previous", name, "county", inflows=[f"{name}_evaluated"],
                en=f"{what} at the previous evaluation", zh=f"上次评价{zh}数", source=S.S003_TIERS))
        E(flow(f"{name}_evaluated", f"county_evaluation_pulse * ({name} - {name}_previous)", "county/year",
               en=f"Update of the held {what} at each evaluation", zh=f"{zh}数年度更新", source=S.S003_TIERS))
    # Counties' ranks are fixed, so a rise in a count is that many promotions.
    E(aux("county_promotions_to_a",
          "max(0, counties_tier_a - counties_tier_a_previous) / county_evaluation_interval", "county/year",
          en="Counties promoted to A in this year's evaluation", zh="跃升A类县", source=S.L_COUNTY))
    E(aux("county_promotions_to_b",
          "max(0, counties_b_or_better - counties_b_or_better_previous) / county_evaluation_interval", "county/year",
          en="Counties leaving tier C in this year's evaluation", zh="跃升B类(及以上)县", source=S.L_COUNTY))
    E(aux("county_tier_promotions", "county_promotions_to_a + county_promotions_to_b", "county/year",
          en="County-level units moving up a tier in this year's evaluation", zh="实现跃升的县(区)",
          source=S.OBS_BUREAU_2020 + ": 继2019年8个县(区)实现跃升之后"))
    # Plans count promotions over a period ("到2025年，跃升A类县3个"): earlier evaluations' promotions
    # are added at each evaluation, this year's are added on top.
    E(const("init_county_promotions_to_a_counted", 0, "county", en="Promotions to A counted before the run",
            zh="跃升A类县(起算值)", source="definition: the count starts at zero"))
    E(stock("county_promotions_to_a_counted", "init_county_promotions_to_a_counted", "county",
            inflows=["county_promotions_to_a_recorded"],
            en="Promotions to A of earlier evaluations, cumulative", zh="以往评价跃升A类县(累计)", source=S.S003_TIERS))
    E(flow("county_promotions_to_a_recorded",
           "county_evaluation_pulse * county_promotions_to_a * county_evaluation_interval", "county/year",
           en="Promotions to A recorded at each evaluation", zh="跃升A类县记录", source=S.S003_TIERS))
    E(aux("county_promotions_to_a_cumulative",
          "county_promotions_to_a_counted + county_promotions_to_a * county_evaluation_interval", "county",
          en="Counties promoted from B to A, cumulative since the start of the run", zh="B类县跃升A类(累计)",
          source=S.S003_TIERS))
    return with_sector(els, "counties")
