"""Talent: R&D personnel, technology brokers, high-skill workers, introduced talents and teams.

Mechanisms
----------
* **R&D personnel** are hired to close the gap between the staff the R&D budget can pay
  (``desired_rd_personnel`` = R&D budget / spending per researcher, which rises with wages)
  and the current staff, but never faster than recruits are on offer: graduates recruited
  into the city (002: 万名大学生招引计划) who can take R&D jobs and experienced researchers
  willing to move, both scaled by the city's pull relative to the larger cities competing
  for them (``talent_attractiveness``: high-tech share and platforms against competitors that
  improve too).  Staff leave for those cities (Shijiazhuang and Handan, named in 002) at
  ``talent_outflow_fraction`` divided by the relative pull, and retire after a career.
  Talent-introduction programmes add researchers directly.
* **Talent constrains R&D.**  With fewer staff than the budget can pay, part of the budget is
  not performed (``rd_staffing_effect`` in rd_funding): a drain of researchers lowers real
  and reported R&D, hence R&D capital, patents, HTE certification and technology deals.
  Stress tests multiply the outflow (``talent_outflow_shock``); they never replace the
  calibrated outflow fraction.
* **Technology-transfer staff / brokers** (技术经理人) are trained at the lever
  ``broker_training_per_year`` (001: 30 a year) and leave at a small rate; they raise
  technology-market turnover (tech_market).
* **High-skill workers, new since 2021** (002 counts 新增高技能人才 from the 14th FYP):
  a counter fed by the lever ``high_skill_training_per_year`` from 2021; the added skills
  raise the high-tech share of industry (industry).
* **Innovative talents** (创新型人才) and **leading teams** (领军型创新创业团队) are
  cumulative stocks of introduced people and teams, with departures; SME innovation
  talents (科技型中小企业创新英才) are a yearly award counted cumulatively.
* **S&T commissioners** (科技特派员): the active corps is the lever ``st_commissioners``.
  Commissioners serve a term, so the corps needs corps/term new dispatches a year; they
  are dispatched by the city.  Missions (科技特派团), teams and the firms they serve (001, 003)
  are the city's assignments: their targets are set by policy, with no element here.

Feedback loops
--------------
* R3 (talent attraction): high-tech share → attractiveness → more researchers retained and
  recruited → patents → high-tech share.
* B (siphoning): outflow to larger cities grows with the stock.
* Money link: R&D budget → desired researchers (the stock follows the money, as fast as supply allows).
* B (staffing): short staff → less R&D performed → less R&D capital → fewer certifications and
  a smaller high-tech share → lower pull → fewer recruits and more departures (reinforcing when
  it turns down).
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append

    # ------------------------------------------------------------- R&D personnel --
    E(const("init_rd_personnel", 5500, "person", bounds=(4000, 8000), en="R&D personnel, end-2015", zh="研发人员(2015年末)",
            source="assumption: no Xingtai series; consistent with ~11–12 亿 R&D at ~21万 CNY per person, and 001's ≥10,000 in 2023"))
    E(stock("rd_personnel", "init_rd_personnel", "person",
            inflows=["rd_hiring", "introduced_researchers"], outflows=["rd_personnel_outflow", "rd_personnel_retirement"],
            en="R&D personnel (headcount)", zh="研发人员",
            source=S.S001_TARGETS + ": 研发人员达到1万人以上 (2023), 超过1.3万人 (2025)"))
    E(aux("rd_personnel_index", "max(rd_personnel, 1) / max(init_rd_personnel, 1)", "dimensionless",
          en="R&D personnel relative to the start (floor of one person)", zh="研发人员指数(起始=1)", source="definition"))
    E(const("researcher_cost_2015", 21, "ten_thousand_CNY/person/year", bounds=(20, 30), en="R&D spending per R&D person, 2015",
            zh="人均研发经费(2015年)",
            source="assumption: Hebei-level R&D spending per head (~20–30万 CNY); calibrated with init_rd_personnel"))
    E(const("researcher_cost_growth", 0.05, "1/year", bounds=(0.025, 0.075), en="Yearly growth of R&D spending per person (wages)",
            zh="人均研发经费年增长率", source="assumption: nominal wage growth"))
    E(aux("rd_spending_per_researcher",
          "researcher_cost_2015 * exp(researcher_cost_growth * (time - drift_base_year))",
          "ten_thousand_CNY/person/year", en="R&D spending per R&D person", zh="人均研发经费",
          source="assumption: see researcher_cost_growth"))
    E(const("ten_thousand_per_hundred_million", 1e4, "ten_thousand_CNY/hundred_million_CNY",
            en="Unit conversion: 万元 per 亿元", zh="单位换算: 每亿元合万元数", source="assumption: none — unit definition, 1 亿元 = 10,000 万元"))
    E(aux("desired_rd_personnel",
          "rd_budget * ten_thousand_per_hundred_million / rd_spending_per_researcher", "person",
          en="R&D staff the R&D budget can pay", zh="研发预算可支撑的研发人员",
          source="assumption: personnel follow money (SD talent models, " + S.L_TALENT_NOT_FOUND + ")"))
    E(const("attractiveness_hti_elasticity", 0.4, "dimensionless", bounds=(0.2, 0.6),
            en="Elasticity of city attractiveness to the high-tech share of industry", zh="吸引力对高新技术产业占比的弹性",
            source=S.L_TALENT_NOT_FOUND))
    E(const("attractiveness_platform_elasticity", 0.15, "dimensionless", bounds=(0.075, 0.225),
            en="Elasticity of city attractiveness to innovation platforms", zh="吸引力对创新平台的弹性",
            source=S.L_TALENT_NOT_FOUND))
    E(const("competitor_attractiveness_growth", 0.01, "1/year", bounds=(0, 0.04),
            en="Yearly growth of the pull of the larger cities competing for talent (Shijiazhuang, Handan, Beijing-Tianjin)",
            zh="周边大城市人才吸引力年增长率",
            source=S.S002_SIPHON + "; rate an assumption: the competitors keep improving too"))
    E(aux("talent_attractiveness",
          "clip((max(hti_va_share, 0.001) / max(init_hti_va_share, 0.001)) ** attractiveness_hti_elasticity"
          " * platform_index ** attractiveness_platform_elasticity"
          " / exp(competitor_attractiveness_growth * (time - drift_base_year)), 0.25, 4)",
          "dimensionless", en="Attractiveness of the city to R&D talent relative to its competitors (2015 = 1)",
          zh="城市对研发人才的相对吸引力(2015=1)", source=S.L_TALENT_NOT_FOUND + "; " + S.S002_SIPHON))
    # Recruits come from a limited supply: graduates and experienced researchers willing to move
    # to the city; the city's relative pull sets how many of them take the jobs.
    E(const("graduates_recruited_per_year", 10000, "person/year", bounds=(0, 30000),
            en="Lever: university graduates recruited into the city per year (all jobs)", zh="杠杆: 年招引大学生人数",
            source=S.S002_GRADUATES + "; the programme's name gives 10,000 a year"))
    E(const("rd_share_of_recruits", 0.06, "dimensionless", bounds=(0.02, 0.15),
            en="Share of recruited graduates and movers who can take an R&D job",
            zh="招引人才中可从事研发工作的比例",
            source="assumption: R&D staff are ~1-2 % of employment in Hebei cities; graduates are over-represented"))
    E(const("experienced_rd_movers_2015", 300, "person/year", bounds=(50, 1000),
            en="Experienced researchers available to move to the city per year, at 2015 attractiveness",
            zh="可流入的有经验研发人员(2015年吸引力下)",
            source="assumption: no series; " + S.L_TALENT_NOT_FOUND))
    E(aux("rd_recruit_supply",
          "(graduates_recruited_per_year * rd_share_of_recruits + experienced_rd_movers_2015 * firm_scale_index)"
          " * talent_attractiveness",
          "person/year", en="R&D recruits available to the city's employers per year", zh="可招聘研发人员供给",
          source=S.S002_GRADUATES + "; " + S.L_TALENT_NOT_FOUND))
    E(const("rd_hiring_time", 1, "year", bounds=(0.5, 1.5), en="Time to recruit R&D staff", zh="研发人员招聘时间",
            source="assumption: a recruitment season"))
    # Hiring closes the staffing gap, but never beyond the recruits on offer.
    E(flow("rd_hiring", "min(max(0, desired_rd_personnel - rd_personnel) / rd_hiring_time, rd_recruit_supply)",
           "person/year", en="R&D staff recruited", zh="研发人员招聘", source=S.L_TALENT_NOT_FOUND))
    E(const("talent_outflow_fraction", 0.06, "1/year", bounds=(0.02, 0.15),
            en="Yearly share of R&D staff lost to larger cities (at 2015 relative attractiveness)",
            zh="研发人员年流失(向大城市)比例", source=S.S002_SIPHON + "; " + S.L_TALENT_NOT_FOUND))
    E(const("talent_outflow_shock", 1, "dimensionless", bounds=(0.5, 4),
            en="Stress assumption: multiplier of the outflow of R&D staff and talents (1 = as calibrated)",
            zh="情景假设: 人才外流倍数(1=校准值)",
            source="stress tests (talent-drain): shifts the calibrated outflow instead of replacing it"))
    E(flow("rd_personnel_outflow",
           "rd_personnel * talent_outflow_fraction * talent_outflow_shock / talent_attractiveness", "person/year",
           en="R&D staff leaving for larger cities (Shijiazhuang, Handan, Beijing-Tianjin)", zh="研发人员外流",
           source=S.S002_SIPHON))
    E(const("researcher_career_length", 30, "year", bounds=(15, 45), en="Average remaining career of R&D staff", zh="研发人员平均职业年限",
            source="assumption"))
    E(flow("rd_personnel_retirement", "rd_personnel / researcher_career_length", "person/year",
           en="R&D staff retiring or leaving research", zh="研发人员退休", source="assumption"))
    E(const("talent_introduction_per_year", 60, "person/year", bounds=(0, 400),
            en="Lever: innovative talents introduced or cultivated per year", zh="杠杆: 年引进培育创新型人才数",
            source=S.S002_TALENT + "; 附件第20项: 创新型人才达到400人 (2022); default an assumption"))
    E(const("introduced_talent_retention", 0.8, "dimensionless", bounds=(0.4, 1),
            en="Share of introduced talents who join local R&D staff (not flexible/part-time)", zh="引进人才实际在本地从事研发的比例",
            source="assumption: part of introduction is flexible (柔性引进, 001 二(十)3)"))
    E(const("team_introduction_per_year", 2, "team/year", bounds=(0, 10),
            en="Lever: leading innovation teams introduced per year", zh="杠杆: 年引进高层次创新创业团队数",
            source=S.S002_TALENT))
    E(const("team_size", 5, "person/team", bounds=(2.5, 7.5), en="R&D staff per introduced team", zh="每个团队研发人员数",
            source="assumption"))
    E(flow("introduced_researchers",
           "talent_introduction_per_year * introduced_talent_retention + team_introduction_per_year * team_size",
           "person/year", en="R&D staff added by talent-introduction programmes", zh="人才引进新增研发人员",
           source=S.S002_TALENT + "; " + S.S001_TALENT))

    # ------------------------------------------------------------- transfer staff --
    E(const("init_tech_transfer_staff", 40, "person", bounds=(20, 60), en="Technology-transfer staff and brokers, end-2015",
            zh="技术转移人才(2015年末)", source="assumption: 002 附件 targets 140 for 2022 from a small base"))
    E(stock("tech_transfer_staff", "init_tech_transfer_staff", "person", inflows=["broker_training"],
            outflows=["broker_attrition"], en="Technology-transfer staff and technology brokers", zh="技术转移人才(技术经理人)",
            source=S.S002_TRANSFER_STAFF))
    E(const("broker_training_per_year", 20, "person/year", bounds=(0, 100),
            en="Lever: technology brokers trained per year", zh="杠杆: 年培育技术经理人数",
            source=S.S001_BROKERS + " (30/yr is the 2023 plan; 2020 default 20 an assumption)"))
    E(const("broker_training_success", 0.85, "dimensionless", bounds=(0.425, 1), en="Share of trainees who work as brokers",
            zh="培训后从事技术转移比例", source="assumption"))
    E(flow("broker_training", "broker_training_per_year * broker_training_success", "person/year",
           en="Newly trained technology brokers", zh="新培育技术经理人", source=S.S001_BROKERS))
    E(const("broker_attrition_rate", 0.08, "1/year", bounds=(0.04, 0.12), en="Yearly attrition of transfer staff", zh="技术转移人才年流失率",
            source="assumption"))
    E(flow("broker_attrition", "tech_transfer_staff * broker_attrition_rate", "person/year",
           en="Transfer staff leaving", zh="技术转移人才流失", source="assumption"))

    # ------------------------------------------------------------ high-skill workers --
    E(const("init_high_skill_workers_new", 0, "person", en="New high-skill workers counted since 2021 (zero at start)",
            zh="新增高技能人才(2021年起累计)", source=S.S002_HIGH_SKILL))
    E(stock("high_skill_workers_new", "init_high_skill_workers_new", "person", inflows=["high_skill_training"],
            en="High-skill workers added since the start of 2021 (14th FYP count)", zh="新增高技能人才(十四五累计)",
            source=S.S002_HIGH_SKILL))
    E(const("high_skill_training_per_year", 400, "person/year", bounds=(0, 1500),
            en="Lever: high-skill workers trained per year", zh="杠杆: 年培养高技能人才数", source=S.S002_HIGH_SKILL))
    E(const("high_skill_count_start", 2020, "year",
            en="Model time at which the 新增高技能人才 count starts: start of calendar 2021 (t is the end of year t)", zh="新增高技能人才统计起点",
            source=S.S002_HIGH_SKILL))
    E(flow("high_skill_training", "if_then_else(time >= high_skill_count_start, high_skill_training_per_year, 0)",
           "person/year", en="High-skill workers trained (counted from 2021)", zh="新培养高技能人才", source=S.S002_HIGH_SKILL))

    # ------------------------------------------------------ introduced talents, teams --
    E(const("init_innovative_talents", 0, "person", en="Innovative talents under the municipal programme, end-2015",
            zh="创新型人才(2015年末)", source="assumption: counted from the programme start"))
    E(stock("innovative_talents", "init_innovative_talents", "person", inflows=["innovative_talent_arrivals"],
            outflows=["innovative_talent_departures"], en="Innovative talents (创新型人才), cumulative with departures",
            zh="创新型人才", source=S.S002_TALENT))
    E(flow("innovative_talent_arrivals", "talent_introduction_per_year", "person/year",
           en="Innovative talents introduced or cultivated", zh="新增创新型人才", source=S.S002_TALENT))
    E(flow("innovative_talent_departures",
           "innovative_talents * talent_outflow_fraction * talent_outflow_shock / talent_attractiveness",
           "person/year", en="Innovative talents leaving", zh="创新型人才流失", source=S.S002_SIPHON))
    E(const("init_sme_innovation_talents", 2, "person", bounds=(1, 3), en="SME innovation talents awarded, cumulative to end-2015",
            zh="科技型中小企业创新英才(2015年末累计)",
            source="assumption: 87 by 2020 at +17/yr (" + S.OBS_BUREAU_2020 + ") leaves ≈2 in 2015"))
    E(stock("sme_innovation_talents", "init_sme_innovation_talents", "person", inflows=["sme_talent_awards"],
            en="SME innovation talents (科技型中小企业创新英才), cumulative", zh="科技型中小企业创新英才",
            source=S.OBS_BUREAU_2020 + ": 新增17人, 总数达到87人 (2020)"))
    E(const("sme_talent_awards_per_year", 17, "person/year", en="SME innovation talents awarded per year",
            zh="年评选科技型中小企业创新英才数", source=S.OBS_BUREAU_2020 + "; 002 四(七)1 plans 20 a year"))
    E(flow("sme_talent_awards", "sme_talent_awards_per_year", "person/year", en="SME innovation talents awarded",
           zh="新评选科技型中小企业创新英才", source=S.S002_TALENT))
    E(const("init_leading_teams", 5, "team", bounds=(2.5, 7.5), en="Leading innovation teams, end-2015", zh="领军型创新创业团队(2015年末)",
            source="assumption: 002 附件 reports 20 municipal teams targeted for 2022"))
    E(stock("leading_teams", "init_leading_teams", "team", inflows=["team_introductions"], outflows=["team_dissolutions"],
            en="Leading innovation and entrepreneurship teams", zh="领军型创新创业团队", source=S.S002_TALENT))
    E(flow("team_introductions", "team_introduction_per_year", "team/year", en="Teams introduced",
           zh="新引进团队", source=S.S002_TALENT))
    E(const("team_dissolution_rate", 0.05, "1/year", bounds=(0.025, 0.075), en="Yearly dissolution of teams", zh="团队年解散率", source="assumption"))
    E(flow("team_dissolutions", "leading_teams * team_dissolution_rate", "team/year", en="Teams dissolved or leaving",
           zh="团队解散或迁出", source="assumption"))
    # ------------------------------------------------------------- S&T commissioners --
    # The active corps is the lever st_commissioners (tech_market).  Commissioners serve a
    # term, so keeping the corps at its size needs corps/term new dispatches a year.  The
    # plans' other commissioner counts (missions, teams, firms served, chain firms taken on)
    # are the city's own dispatch and assignment decisions: the model has no element for them
    # and reports their targets as set by policy (calibration/targets.csv).
    E(const("st_commissioner_term", 3, "year", bounds=(1.5, 4.5), en="Average service term of an S&T commissioner",
            zh="科技特派员平均服务期限",
            source="assumption: 600 active / 3 years ≈ 200 new a year, against 001's ≥180 new in 2023"))
    E(aux("st_commissioners_new", "st_commissioners / st_commissioner_term", "person/year",
          en="S&T commissioners newly dispatched during the year", zh="新选派科技特派员", source=S.S001_SERVICE))
    return with_sector(els, "talent")
