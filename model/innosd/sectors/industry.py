"""Industry and economy: GDP, population, high-tech and digital shares, enterprise R&D ratios, literacy.

Mechanisms
----------
* **GDP** (nominal, 亿元/年) is a stock growing at ``gdp_growth_rate``; **population** (万人)
  at ``population_growth_rate``.  Both are constants a scenario may replace by a
  ``Series``.  GDP is exogenous to the innovation system in this version (the loop from
  high-tech industry back to GDP and fiscal revenue is left open on purpose: the seeds give
  no way to calibrate it).  ``firm_scale_index`` (GDP relative to 2015) scales per-firm R&D.
* **High-tech industry share** of above-scale industrial value added moves toward an
  indicated share with a two-year adjustment.  The indicated share is a saturating
  function of the HTE count, the high-value patent stock and new high-skill workers, each
  relative to 2015; at 2015 the indicated share equals the initial share (equilibrium
  start).
* **Xingdong Science City**'s high-tech share is the city's share with its odds raised by a
  fixed premium; **development-zone revenue** grows with GDP and (elasticity 0.15) with the
  HTEs located in zones.
* **Digital-economy core share of GDP** follows a national trend (drift) and the HTE
  count, with the same kind of adjustment.
* **Above-scale R&D / revenue** is reported enterprise R&D done by above-scale firms over
  their revenue; the **share of above-scale firms doing R&D** counts HTEs, 专精特新 SMEs
  and other active firms among above-scale firms, as seen by the statistics (coverage).
* **Science literacy** rises toward 100% at a rate driven by popularisation spending
  (diminishing returns).

Feedback loops
--------------
* R (with talent): high-tech share → attractiveness → R&D staff → patents → high-tech share.
* Statistical coverage (rd_funding) raises both reported R&D and the measured R&D-active share.
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append

    # ----------------------------------------------------------------- GDP, population --
    E(const("init_gdp", 1765, "hundred_million_CNY/year", bounds=(1450, 2250), en="GDP, 2015", zh="地区生产总值(2015年)",
            source="unknown: a parameter with a prior (calibration/priors.csv), informed by " + S.OBS_GDP
                   + "; the default is 2020's value at 4.5 %/yr"))
    E(stock("gdp", "init_gdp", "hundred_million_CNY/year", inflows=["gdp_change"], en="Gross domestic product (nominal)",
            zh="地区生产总值", source=S.OBS_GDP))
    E(const("gdp_growth_rate", 0.045, "1/year", bounds=(-0.05, 0.12), en="Yearly nominal GDP growth",
            zh="地区生产总值名义年增长率", source="assumption: 1765 (2015) → 2200 (2020) = 4.5%/yr; " + S.OBS_GDP))
    E(flow("gdp_change", "gdp * gdp_growth_rate", "hundred_million_CNY/year/year", en="Yearly change of GDP",
           zh="地区生产总值年变化", source="assumption: exogenous growth"))
    E(aux("firm_scale_index", "max(gdp, 1) / max(init_gdp, 1)", "dimensionless", en="Size of the economy relative to 2015",
          zh="经济规模指数(2015=1)", source="assumption: per-firm R&D scales with the economy"))
    E(const("init_population", 729.44, "ten_thousand_person", en="Resident population, end-2015", zh="常住人口(2015年末)",
            source=S.OBS_POP))
    E(stock("population", "init_population", "ten_thousand_person", inflows=["population_change"],
            en="Resident population", zh="常住人口", source=S.OBS_POP))
    E(const("population_growth_rate", -0.005, "1/year", bounds=(-0.03, 0.03), en="Yearly population growth",
            zh="常住人口年增长率", source="assumption: 729.44 (2015) → 711.11 (2020 census) = −0.5%/yr; " + S.OBS_POP))
    E(flow("population_change", "population * population_growth_rate", "ten_thousand_person/year",
           en="Yearly change of population", zh="常住人口年变化", source=S.OBS_POP))

    # ------------------------------------------------------------- high-tech share --
    E(const("init_hti_va_share", 0.15, "dimensionless", bounds=(0.075, 0.225), en="High-tech share of above-scale industrial VA, 2015",
            zh="高新技术产业增加值占比(2015年)", source="assumption: 20% in 2020 (002 指标表) after steady growth"))
    E(stock("hti_va_share", "init_hti_va_share", "dimensionless", inflows=["hti_share_change"],
            en="High-tech industry share of above-scale industrial value added", zh="高新技术产业增加值占规上工业增加值比重",
            source=S.S002_TABLE + ": 20% (2020), 22.5% (2022), 25% (2025)"))
    E(const("hti_share_ceiling", 0.6, "dimensionless", bounds=(0.3, 0.9), en="Highest high-tech share the industrial base could reach",
            zh="高新技术产业占比上限", source="assumption: 002 targets 30% for 邢东新区 and 003 A-counties 40%"))
    E(const("hti_hte_elasticity", 0.35, "dimensionless", bounds=(0.1, 0.6),
            en="Elasticity of the high-tech odds to the HTE count", zh="高新技术产业占比对高企数量的弹性",
            source="assumption: calibrated on 15% → 20% (2015–2020) while HTEs quadrupled"))
    E(const("hti_knowledge_elasticity", 0.1, "dimensionless", bounds=(0.05, 0.15), en="Elasticity of the high-tech odds to high-value patents",
            zh="高新技术产业占比对高价值专利的弹性", source="assumption"))
    E(const("hti_skill_elasticity", 0.5, "dimensionless", bounds=(0.25, 0.75), en="Elasticity of the high-tech odds to added high-skill workers",
            zh="高新技术产业占比对新增高技能人才的弹性", source="assumption"))
    E(const("high_skill_reference_pool", 80000, "person", bounds=(40000, 120000), en="High-skill workers in 2020 (reference pool)",
            zh="高技能人才存量(参照)", source="assumption: ~1% of the population; 002 adds 2000 by 2025"))
    E(const("hti_adjustment_time", 2, "year", bounds=(1, 3), en="Time for industrial structure to follow its drivers",
            zh="产业结构调整时间", source="literature: ~3-year delay from innovation investment to industrial assets, "
                                           "https://dc.tsinghuajournals.com/complex-system-modeling-and-simulation/vol1/iss1/6/"))
    # Indicated share as odds: z/(1+z) of the ceiling; z starts where the 2015 share sits.
    E(aux("hti_odds_2015", "max(init_hti_va_share, 0.001) / (hti_share_ceiling - min(init_hti_va_share, 0.999 * hti_share_ceiling))", "dimensionless",
          en="High-tech odds at the start (equilibrium initialisation)", zh="起始高新技术产业比重几率",
          source="assumption: start in equilibrium"))
    E(aux("hti_odds",
          "hti_odds_2015 * hte_index ** hti_hte_elasticity"
          " * (max(hv_invention_patents, 1) / max(init_hv_invention_patents, 1)) ** hti_knowledge_elasticity"
          " * (1 + high_skill_workers_new / high_skill_reference_pool) ** hti_skill_elasticity",
          "dimensionless", en="High-tech odds driven by firms, knowledge and skills", zh="高新技术产业比重驱动几率",
          source="assumption: 001 二(八) 高新技术产业壮大 rests on firms and achievements"))
    E(aux("hti_indicated_share", "hti_share_ceiling * hti_odds / (1 + hti_odds)", "dimensionless",
          en="High-tech share indicated by its drivers", zh="高新技术产业指示比重", source="assumption"))
    E(flow("hti_share_change", "(hti_indicated_share - hti_va_share) / hti_adjustment_time", "1/year",
           en="Adjustment of the high-tech share", zh="高新技术产业比重调整", source="assumption"))

    # Xingdong Science City (邢东科技城) concentrates the new industries: its high-tech odds
    # are the city's current odds times a premium.
    E(const("xingdong_hti_odds_premium", 1.5, "dimensionless", bounds=(0.75, 2.25),
            en="High-tech odds of Xingdong Science City relative to the city", zh="邢东科技城高新技术产业比重几率相对全市倍数",
            source="assumption: " + S.S002_XINGDONG))
    E(aux("hti_odds_city", "hti_va_share / max(0.001, hti_share_ceiling - hti_va_share)", "dimensionless",
          en="Current high-tech odds of the city", zh="全市高新技术产业比重几率", source="assumption: as hti_odds"))
    E(aux("hti_va_share_xingdong",
          "hti_share_ceiling * xingdong_hti_odds_premium * hti_odds_city / (1 + xingdong_hti_odds_premium * hti_odds_city)",
          "dimensionless", en="High-tech share of above-scale industrial VA in Xingdong Science City",
          zh="邢东科技城高新技术产业增加值占规上工业增加值比重", source=S.S002_XINGDONG))

    # Development-zone revenue grows with the economy and with the HTEs located in zones.
    E(const("dev_zone_revenue_2015", 1000, "hundred_million_CNY/year", bounds=(500, 1500), en="Operating revenue of all development zones, 2015",
            zh="全市开发区营业收入(2015年)",
            source="assumption: zones hold most above-scale industry (≈1765 亿 revenue in 2015); only its growth is targeted"))
    E(const("dev_zone_hte_elasticity", 0.15, "dimensionless", bounds=(0.075, 0.225), en="Elasticity of zone revenue to HTEs located in zones",
            zh="开发区营业收入对区内高企数量的弹性", source="assumption: HTEs are a minority of zone revenue"))
    E(aux("dev_zone_revenue",
          "dev_zone_revenue_2015 * firm_scale_index"
          " * (max(hte_in_dev_zones, 1) / max(init_hte_count * init_hte_share_in_dev_zones, 1)) ** dev_zone_hte_elasticity",
          "hundred_million_CNY/year", en="Operating revenue of all development zones", zh="全市开发区营业收入",
          source=S.S001_ZONE_REVENUE))

    # ------------------------------------------------------------- digital economy --
    E(const("init_digital_core_share", 0.0165, "dimensionless", bounds=(0.00825, 0.02475), en="Digital-economy core share of GDP, 2015",
            zh="数字经济核心产业增加值占比(2015年)", source="assumption: 2.1% in 2020 (002 指标表)"))
    E(stock("digital_core_share", "init_digital_core_share", "dimensionless", inflows=["digital_share_change"],
            en="Digital-economy core industries' share of GDP", zh="数字经济核心产业增加值占GDP比重",
            source=S.S002_TABLE + ": 2.1% (2020), 2.5% (2022), 4% (2025)"))
    E(const("digital_trend_growth", 0.04, "1/year", bounds=(0.02, 0.06), en="Yearly relative growth of the digital share from the national trend",
            zh="数字经济比重的全国趋势增长率", source="assumption"))
    E(const("digital_hte_elasticity", 0.15, "dimensionless", bounds=(0.075, 0.225), en="Elasticity of the digital share to the HTE count",
            zh="数字经济比重对高企数量的弹性", source="assumption"))
    E(const("digital_adjustment_time", 2, "year", bounds=(1, 3), en="Adjustment time of the digital share", zh="数字经济比重调整时间",
            source="assumption"))
    E(aux("digital_indicated_share",
          "min(0.5, init_digital_core_share * exp(digital_trend_growth * (time - drift_base_year))"
          " * hte_index ** digital_hte_elasticity)",
          "dimensionless", en="Digital share indicated by trend and firms", zh="数字经济指示比重", source="assumption"))
    E(flow("digital_share_change", "(digital_indicated_share - digital_core_share) / digital_adjustment_time", "1/year",
           en="Adjustment of the digital share", zh="数字经济比重调整", source="assumption"))

    # ------------------------------------------------------ above-scale enterprise R&D --
    E(const("above_scale_revenue_to_gdp", 1.0, "dimensionless", bounds=(0.5, 1.5), en="Above-scale industrial revenue per unit of GDP",
            zh="规上工业营业收入与GDP之比", source="assumption: calibrated on R&D/revenue 0.67% (2020, 002 指标表)"))
    E(const("above_scale_share_of_business_rd", 0.85, "dimensionless", bounds=(0.425, 1),
            en="Share of reported enterprise R&D done by above-scale industrial firms", zh="规上工业企业研发占企业研发比重",
            source="assumption: industry dominates enterprise R&D"))
    E(aux("above_scale_revenue", "gdp * above_scale_revenue_to_gdp", "hundred_million_CNY/year",
          en="Operating revenue of above-scale industrial firms", zh="规上工业企业营业收入", source="assumption"))
    E(aux("above_scale_rd_to_revenue", "business_rd_reported * above_scale_share_of_business_rd / max(above_scale_revenue, 1)",
          "dimensionless", en="R&D of above-scale industrial firms / their revenue", zh="规上工业企业研发投入占营业收入比重",
          source=S.S002_TABLE + ": 0.67% (2020), 0.8% (2022), 1.4% (2025)"))
    E(const("above_scale_industrial_firms", 2300, "firm", bounds=(1150, 3450), en="Above-scale industrial enterprises", zh="规上工业企业数",
            source="assumption: order of magnitude for Xingtai; not in shared data"))
    E(const("hte_above_scale_share", 0.5, "dimensionless", bounds=(0.25, 0.75), en="Share of HTEs that are above-scale industrial firms",
            zh="高企中规上工业企业比例", source="assumption"))
    E(const("srdi_above_scale_share", 0.5, "dimensionless", bounds=(0.25, 0.75), en="Share of 专精特新 SMEs that are above-scale industrial firms",
            zh="专精特新中规上工业企业比例", source="assumption"))
    E(const("other_rd_active_firms", 150, "firm", bounds=(75, 225), en="Other above-scale firms doing R&D", zh="其他有研发活动的规上企业",
            source="assumption: calibrated so the share is just under 20% in 2020 (002 附件 target 20% for 2022)"))
    E(aux("rd_active_firm_share",
          "min(1, rd_statistical_coverage * (hte_count * hte_above_scale_share + srdi_smes * srdi_above_scale_share"
          " + other_rd_active_firms) / above_scale_industrial_firms)",
          "dimensionless", en="Share of above-scale industrial firms with R&D activity (as measured)",
          zh="规上工业企业中有研发活动企业占比", source=S.S002_RD_ACTIVE))

    # ------------------------------------------------------------- science literacy --
    E(const("init_science_literacy", 0.06, "dimensionless", bounds=(0.03, 0.09), en="Citizens with basic science literacy, 2015",
            zh="公民具备科学素质比例(2015年)", source="assumption: national 6.2% (2015) trend; 10.05% in 2020 (002 指标表)"))
    E(stock("science_literacy", "init_science_literacy", "dimensionless", inflows=["literacy_gain"],
            en="Share of citizens with basic science literacy", zh="公民具备科学素质的比例", source=S.S002_POPULAR))
    E(const("popularisation_spending", 0.2, "hundred_million_CNY/year", bounds=(0.02, 1.0),
            en="Lever: science popularisation spending", zh="杠杆: 科普经费投入",
            source=S.S001_LITERACY + "; default 20 M CNY an assumption"))
    E(const("reference_popularisation_spending", 0.2, "hundred_million_CNY/year",
            en="Popularisation spending of the calibration period (reference)", zh="科普经费(参照)",
            source="assumption: equals the lever default; do not change in scenarios"))
    E(const("literacy_uptake_rate", 0.0088, "1/year", bounds=(0.0044, 0.0132), en="Yearly share of the not-yet-literate gaining literacy at reference spending",
            zh="参照科普投入下的科学素质年提升率", source="assumption: calibrated on 6% → 10.05% (2015–2020)"))
    E(const("popularisation_elasticity", 0.5, "dimensionless", bounds=(0.25, 0.75), en="Elasticity of literacy gains to popularisation spending",
            zh="科学素质提升对科普投入的弹性", source="assumption: diminishing returns"))
    E(flow("literacy_gain",
           "(1 - science_literacy) * literacy_uptake_rate"
           " * (popularisation_spending / reference_popularisation_spending) ** popularisation_elasticity",
           "1/year", en="Yearly gain in science literacy", zh="科学素质提升", source=S.S002_POPULAR))
    return with_sector(els, "industry")
