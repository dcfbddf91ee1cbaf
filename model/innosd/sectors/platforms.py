"""Platforms: R&D platforms by level, incubators and maker spaces, innovation complexes.

Mechanisms
----------
* **R&D platforms** (key labs, technology-innovation centres, research institutes...) form a
  three-level chain, counted separately per level as 002 does (23 national / 137
  provincial / 935 municipal at the end of the 13th FYP).  Municipal and provincial ones are
  built at lever rates; municipal platforms are promoted to provincial and provincial to
  national at small yearly rates; every level loses a small share to obsolescence.
  Provincial technology-innovation centres are a fixed share of provincial platforms;
  provincial enterprise technology centres (recognised through the industry department)
  are their own stock, recognised from the HTE population.  ``platform_index`` weights the
  levels and feeds patenting and talent attractiveness.
* **Incubators and maker spaces** form the same kind of chain: local ones are built at the
  lever ``incubator_build_rate`` and close fairly often; some are recognised as provincial,
  and provincial ones as national (maker spaces or incubators).  They graduate tech SMEs
  (firms sector).
* **Innovation complexes (科技创新综合体)** are started at the lever
  ``complexes_built_per_year`` during the 2020–2022 programme (000; extend it with
  ``complex_programme_end``), take a quarter of a year to set up (mostly upgrades),
  and are evaluated: the evaluation pass share rises with the reward per passing complex
  (000: 0.5 M CNY), and passing complexes deliver full SME-service capacity while others
  deliver half.  Some are designated provincial complexes (004's three-level system).
  Their SME-service capacity feeds tech-SME registrations.  The central districts count as
  "started" as complexes are begun there; the average floor area of a complex at each level
  (004's standards) is above the standard for complexes passing evaluation and below it for
  the rest, so it too rises with the reward.
* **Platform types the plans count.**  Key laboratories are a co-flow of the platform chain
  (a share of municipal and provincial builds; municipal ones are promoted); municipal
  technology-innovation centres and enterprise R&D centres are fixed shares of municipal
  platforms.  Industrial technology research institutes, new-type R&D institutions and
  provincial international cooperation bases have their own programmes (levers
  ``industrial_institute_build_rate``, ``new_rd_institution_build_rate``,
  ``intl_coop_base_designation_rate``); institutes are upgraded to "high-level" at a rate
  that rises with R&D capital intensity.
* **Consortia and alliances.**  Tech leaders without an innovation consortium form one at
  the lever ``consortium_formation_rate``; municipal technology-innovation alliances are
  formed at the lever ``alliance_formation_rate`` and a share are filed with the province.
* **Pilot-scale (中试) bases** (001 二(五)2(3), 002 四(六)) are built at the lever
  ``pilot_base_build_rate`` (no number in the plans: default 0) and bring projects to
  industrial scale: each adds major achievement transfers a year (knowledge sector).
* **Floor area of complexes** (004's standards) is the average over the complexes of a level,
  and 0 where the level has none: a standard is never met by complexes that do not exist.
* **Incubators in development zones.**  The zone share of incubation platforms is spread
  over the zones at random, so coverage is 1 − exp(−incubators / zones) (002: one per zone).

Feedback loops
--------------
* HTEs → enterprise technology centres; platforms → patents and attractiveness → R&D staff.
* HTEs → tech leaders → innovation consortia (bounded: one per leader); R&D capital →
  high-level institutes.
* Balancing: obsolescence and closures in every chain.
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append

    # -------------------------------------------------------------- R&D platforms --
    E(const("init_platforms_municipal", 650, "platform", bounds=(325, 975), en="Municipal innovation platforms, end-2015", zh="市级创新平台(2015年末)",
            source="assumption: back-cast from 935 in 2020 (002 一(一)) at the 2022-ledger build rate"))
    E(const("init_platforms_provincial", 72, "platform", bounds=(36, 108), en="Provincial innovation platforms, end-2015", zh="省级创新平台(2015年末)",
            source="assumption: back-cast from 137 in 2020 (002 一(一))"))
    E(const("init_platforms_national", 16, "platform", bounds=(8, 24), en="National innovation platforms, end-2015", zh="国家级创新平台(2015年末)",
            source="assumption: back-cast from 23 in 2020 (002 一(一))"))
    E(stock("platforms_municipal", "init_platforms_municipal", "platform", inflows=["municipal_platform_builds"],
            outflows=["municipal_platform_promotions", "municipal_platform_closures"],
            en="Municipal-level innovation platforms", zh="市级创新平台", source=S.S002_PLATFORMS))
    E(stock("platforms_provincial", "init_platforms_provincial", "platform",
            inflows=["provincial_platform_builds", "municipal_platform_promotions"],
            outflows=["provincial_platform_promotions", "provincial_platform_closures"],
            en="Provincial-level innovation platforms", zh="省级创新平台", source=S.S002_PLATFORMS))
    E(stock("platforms_national", "init_platforms_national", "platform", inflows=["provincial_platform_promotions"],
            outflows=["national_platform_closures"], en="National-level innovation platforms", zh="国家级创新平台",
            source=S.S002_PLATFORMS))
    E(const("platform_build_rate_municipal", 70, "platform/year", bounds=(0, 200),
            en="Lever: municipal innovation platforms recognised per year", zh="杠杆: 年新建市级创新平台数",
            source=S.S002_LEDGER_PLATFORMS + " (50); default 60 fits 935 in 2020"))
    E(const("platform_build_rate_provincial", 10, "platform/year", bounds=(0, 40),
            en="Lever: provincial innovation platforms newly built per year (besides promotions)",
            zh="杠杆: 年新建省级创新平台数", source=S.S002_LEDGER_PLATFORMS + "; " + S.S001_PLATFORMS))
    E(const("platform_promotion_rate_municipal", 0.006, "1/year", bounds=(0.003, 0.009), en="Yearly promotion of municipal platforms to provincial",
            zh="市级平台年晋升省级比例", source="assumption: 001 二(六)1(3) 国家、省、市三级梯次培育"))
    E(const("platform_promotion_rate_provincial", 0.018, "1/year", bounds=(0.009, 0.027), en="Yearly promotion of provincial platforms to national",
            zh="省级平台年晋升国家级比例", source="assumption: calibrated on 23 national platforms in 2020"))
    E(const("platform_obsolescence_rate", 0.01, "1/year", bounds=(0.005, 0.015), en="Yearly share of platforms closed or de-listed",
            zh="平台年撤销(淘汰)比例", source="assumption: periodic evaluation removes a few"))
    E(flow("municipal_platform_builds", "platform_build_rate_municipal * platform_building_error_multiplier", "platform/year",
           en="Municipal platforms recognised", zh="新建市级创新平台", source=S.S002_LEDGER_PLATFORMS))
    E(flow("municipal_platform_promotions", "platforms_municipal * platform_promotion_rate_municipal", "platform/year",
           en="Municipal platforms promoted to provincial", zh="市级平台晋升省级", source="assumption"))
    E(flow("municipal_platform_closures", "platforms_municipal * platform_obsolescence_rate", "platform/year",
           en="Municipal platforms closed", zh="市级平台撤销", source="assumption"))
    E(flow("provincial_platform_builds", "platform_build_rate_provincial * platform_building_error_multiplier", "platform/year",
           en="Provincial platforms newly built", zh="新建省级创新平台", source=S.S002_LEDGER_PLATFORMS))
    E(flow("provincial_platform_promotions", "platforms_provincial * platform_promotion_rate_provincial", "platform/year",
           en="Provincial platforms promoted to national", zh="省级平台晋升国家级", source="assumption"))
    E(flow("provincial_platform_closures", "platforms_provincial * platform_obsolescence_rate", "platform/year",
           en="Provincial platforms closed", zh="省级平台撤销", source="assumption"))
    E(flow("national_platform_closures", "platforms_national * platform_obsolescence_rate", "platform/year",
           en="National platforms closed", zh="国家级平台撤销", source="assumption"))
    E(aux("provincial_plus_platforms", "platforms_provincial + platforms_national", "platform",
          en="Provincial-or-higher R&D platforms (S&T bureau system)", zh="省级以上创新平台",
          source=S.S002_PLATFORMS + "; 001's 100 (2025) counts key labs and engineering centres only"))
    E(aux("provincial_plus_platforms_new", "provincial_platform_builds + municipal_platform_promotions", "platform/year",
          en="Provincial-or-higher platforms newly built or promoted during the year", zh="新建省级以上创新平台",
          source=S.OBS_BUREAU_2020 + ": 新建省级以上创新平台68家 (2020, a wider definition)"))
    E(const("tech_innovation_centre_share", 0.55, "dimensionless", bounds=(0.275, 0.825),
            en="Share of provincial platforms that are technology-innovation centres", zh="省级平台中技术创新中心比例",
            source="assumption: 002 targets 120 provincial technology-innovation centres by 2025"))
    E(aux("provincial_tech_innovation_centres", "platforms_provincial * tech_innovation_centre_share", "platform",
          en="Provincial technology-innovation centres", zh="省级技术创新中心", source=S.S002_PLATFORM_TARGETS))
    E(const("platform_weight_municipal", 0.1, "dimensionless", bounds=(0.05, 0.15), en="Weight of a municipal platform in the platform index",
            zh="市级平台权重", source="assumption"))
    E(const("platform_weight_national", 5, "dimensionless", bounds=(2.5, 7.5), en="Weight of a national platform in the platform index",
            zh="国家级平台权重", source="assumption"))
    E(aux("platform_index",
          "max(1, platforms_municipal * platform_weight_municipal + platforms_provincial"
          " + platforms_national * platform_weight_national)"
          " / max(1, init_platforms_municipal * platform_weight_municipal + init_platforms_provincial"
          " + init_platforms_national * platform_weight_national)",
          "dimensionless", en="Weighted innovation-platform capacity relative to 2015", zh="创新平台能力指数(2015=1)",
          source="assumption: weights by level"))

    E(const("init_provincial_enterprise_tech_centres", 35, "platform", bounds=(17.5, 52.5), en="Provincial-or-higher enterprise technology centres, end-2015",
            zh="省级以上企业技术中心(2015年末)", source="assumption: 002 targets 80 by 2025"))
    E(stock("provincial_enterprise_tech_centres", "init_provincial_enterprise_tech_centres", "platform",
            inflows=["enterprise_centre_recognitions"], outflows=["enterprise_centre_revocations"],
            en="Provincial-or-higher enterprise technology centres", zh="省级以上企业技术中心", source=S.S002_PLATFORM_TARGETS))
    E(const("centres_per_firm", 1, "platform/firm", en="Enterprise technology centres per recognised firm",
            zh="每家企业技术中心数", source="assumption: one recognised centre per firm (counting rule)"))
    E(const("enterprise_centre_recognition_rate", 0.012, "1/year", bounds=(0.006, 0.018), en="Yearly share of HTEs gaining a provincial enterprise technology centre",
            zh="高企年获批省级企业技术中心比例", source="assumption"))
    E(flow("enterprise_centre_recognitions", "hte_count * enterprise_centre_recognition_rate * centres_per_firm", "platform/year",
           en="Enterprise technology centres recognised", zh="新认定企业技术中心", source="assumption"))
    E(const("enterprise_centre_revocation_rate", 0.04, "1/year", bounds=(0.02, 0.06), en="Yearly revocation of enterprise technology centres",
            zh="企业技术中心年撤销率", source="assumption: periodic evaluation"))
    E(flow("enterprise_centre_revocations", "provincial_enterprise_tech_centres * enterprise_centre_revocation_rate",
           "platform/year", en="Enterprise technology centres revoked", zh="企业技术中心撤销", source="assumption"))

    # ---------------------------------------------------- incubators and maker spaces --
    E(const("init_incubators_maker_spaces_local", 80, "platform", bounds=(40, 120), en="Local (sub-provincial) incubators and maker spaces, end-2015",
            zh="市县级孵化器和众创空间(2015年末)", source="assumption: 105 ≥3000 m² maker spaces were added in 2020 alone"))
    E(const("init_provincial_incubators_maker_spaces", 22, "platform", bounds=(11, 33), en="Provincial incubators and maker spaces, end-2015",
            zh="省级孵化器和众创空间(2015年末)", source="assumption: 002 targets 100 provincial-or-higher by 2025"))
    E(const("init_national_maker_spaces", 2, "platform", bounds=(1, 3), en="National maker spaces, end-2015", zh="国家级众创空间(2015年末)",
            source="assumption: 7 in 2020 after +3 that year (" + S.OBS_BUREAU_2020 + ")"))
    E(const("init_national_incubators", 0, "platform", en="National incubators, end-2015", zh="国家级孵化器(2015年末)",
            source=S.OBS_BUREAU_2020 + ": first national incubator in 2020 (实现零的突破)"))
    E(stock("incubators_maker_spaces_local", "init_incubators_maker_spaces_local", "platform",
            inflows=["local_incubator_builds"], outflows=["local_incubator_promotions", "local_incubator_closures"],
            en="Local incubators and maker spaces (incl. 星创天地)", zh="市县级孵化器和众创空间", source=S.S002_LEDGER_MAKER))
    E(stock("provincial_incubators_maker_spaces", "init_provincial_incubators_maker_spaces", "platform",
            inflows=["local_incubator_promotions"], outflows=["provincial_incubator_promotions", "provincial_incubator_exits"],
            en="Provincial incubators and maker spaces", zh="省级孵化器和众创空间", source=S.S002_INCUBATORS))
    E(stock("national_maker_spaces", "init_national_maker_spaces", "platform", inflows=["national_maker_space_entries"],
            outflows=["national_maker_space_exits"], en="National maker spaces", zh="国家级众创空间",
            source=S.OBS_BUREAU_2020 + ": 国家级众创空间总数达到7家 (2020)"))
    E(stock("national_incubators", "init_national_incubators", "platform", inflows=["national_incubator_entries"],
            outflows=["national_incubator_exits"], en="National S&T business incubators", zh="国家级科技企业孵化器",
            source="002 一(一): 宁晋方大国家级孵化器"))
    E(const("incubator_build_rate", 100, "platform/year", bounds=(0, 250),
            en="Lever: local incubators and maker spaces opened per year", zh="杠杆: 年新建孵化器和众创空间数",
            source=S.S002_LEDGER_MAKER + "; 2020: 新增3000平米以上众创空间105家 (" + S.OBS_BUREAU_2020 + ")"))
    E(const("incubator_closure_rate", 0.15, "1/year", bounds=(0.075, 0.225), en="Yearly closure of local incubators and maker spaces",
            zh="市县级孵化载体年关闭率", source="assumption: many small maker spaces are short-lived"))
    E(const("incubator_promotion_rate", 0.03, "1/year", bounds=(0.015, 0.045), en="Yearly recognition of local incubators as provincial",
            zh="孵化载体年晋升省级比例", source="assumption"))
    E(const("provincial_incubator_exit_rate", 0.03, "1/year", bounds=(0.015, 0.045), en="Yearly de-listing of provincial incubators",
            zh="省级孵化载体年撤销率", source="assumption"))
    E(const("national_incubator_promotion_rate", 0.035, "1/year", bounds=(0.0175, 0.0525), en="Yearly recognition of provincial incubators as national",
            zh="省级孵化载体年晋升国家级比例", source="assumption: calibrated on 7 national maker spaces and 1 incubator in 2020"))
    E(const("national_maker_space_share", 0.8, "dimensionless", bounds=(0.4, 1), en="Share of national recognitions that are maker spaces",
            zh="国家级认定中众创空间比例", source="assumption: 7 maker spaces vs 1 incubator in 2020"))
    E(const("national_incubator_exit_rate", 0.02, "1/year", bounds=(0.01, 0.03), en="Yearly de-listing of national incubators and maker spaces",
            zh="国家级孵化载体年撤销率", source="assumption"))
    E(flow("local_incubator_builds", "incubator_build_rate", "platform/year", en="Local incubators and maker spaces opened",
           zh="新建孵化器和众创空间", source=S.S002_LEDGER_MAKER))
    E(aux("maker_spaces_new", "local_incubator_builds", "platform/year",
          en="Maker spaces and incubators newly opened during the year", zh="新增众创空间(星创天地)",
          source=S.S002_LEDGER_MAKER))
    E(flow("local_incubator_promotions", "incubators_maker_spaces_local * incubator_promotion_rate", "platform/year",
           en="Local incubators recognised as provincial", zh="孵化载体晋升省级", source="assumption"))
    E(flow("local_incubator_closures", "incubators_maker_spaces_local * incubator_closure_rate", "platform/year",
           en="Local incubators closing", zh="孵化载体关闭", source="assumption"))
    E(flow("provincial_incubator_promotions", "provincial_incubators_maker_spaces * national_incubator_promotion_rate",
           "platform/year", en="Provincial incubators recognised as national", zh="省级孵化载体晋升国家级", source="assumption"))
    E(flow("provincial_incubator_exits", "provincial_incubators_maker_spaces * provincial_incubator_exit_rate",
           "platform/year", en="Provincial incubators de-listed", zh="省级孵化载体撤销", source="assumption"))
    E(flow("national_maker_space_entries", "provincial_incubator_promotions * national_maker_space_share", "platform/year",
           en="New national maker spaces", zh="新晋国家级众创空间", source="assumption"))
    E(flow("national_incubator_entries", "provincial_incubator_promotions * (1 - national_maker_space_share)", "platform/year",
           en="New national incubators", zh="新晋国家级孵化器", source="assumption"))
    E(flow("national_maker_space_exits", "national_maker_spaces * national_incubator_exit_rate", "platform/year",
           en="National maker spaces de-listed", zh="国家级众创空间撤销", source="assumption"))
    E(flow("national_incubator_exits", "national_incubators * national_incubator_exit_rate", "platform/year",
           en="National incubators de-listed", zh="国家级孵化器撤销", source="assumption"))

    # ------------------------------------------------------------ innovation complexes --
    E(const("complex_programme_start", 2019, "year",
            en="Model time at which the complex programme starts: start of calendar 2020 (t is the end of year t)",
            zh="科技创新综合体建设起始年", source=S.S000_COMPLEX))
    E(const("complexes_built_per_year", 11, "complex/year", bounds=(0, 30),
            en="Lever: innovation complexes started per year", zh="杠杆: 年新建科技创新综合体数",
            source=S.S000_COMPLEX + " (6 units ≥1/yr + 14 units ≥1 by 2022 ≈ 10/yr)"))
    E(const("init_complexes_under_construction", 0, "complex", en="Complexes under construction, end-2015",
            zh="在建科技创新综合体(2015年末)", source=S.S000_COMPLEX))
    E(const("init_innovation_complexes", 0, "complex", en="Operating innovation complexes, end-2015",
            zh="建成科技创新综合体(2015年末)", source=S.S000_COMPLEX))
    E(const("init_innovation_complexes_provincial", 0, "complex", en="Provincial-level complexes, end-2015",
            zh="省级科技创新综合体(2015年末)", source=S.S000_COMPLEX))
    E(stock("complexes_under_construction", "init_complexes_under_construction", "complex", inflows=["complex_starts"],
            outflows=["complex_completions"], en="Innovation complexes under construction", zh="在建科技创新综合体",
            source=S.OBS_BUREAU_2020 + ": 六个中心城区科创综合体建设全力起步 (2020)"))
    E(const("complex_programme_end", 2022, "year", bounds=(2019, 2040),
            en="Model time at which the complex programme ends: end of calendar 2022 (set later to extend it)",
            zh="科技创新综合体建设计划结束时间", source="000 标题: 行动计划(2020-2022年)"))
    E(flow("complex_starts",
           "if_then_else(time >= complex_programme_start and time < complex_programme_end, complexes_built_per_year, 0)",
           "complex/year",
           en="Innovation complexes started", zh="新开工科技创新综合体", source=S.S000_COMPLEX))
    E(const("complex_construction_time", 0.25, "year", bounds=(0.1, 1.0), en="Time to set up a complex (mostly upgrading existing platforms)",
            zh="综合体建设周期", source="000 三(二): 以新建、改建、扩建等途径 ... 在统筹整合现有 ... 平台基础上; time an assumption"))
    # Exact exponential outflow over a time step: never more than the stock, even when the
    # construction time is shorter than the time step.
    E(flow("complex_completions",
           "complexes_under_construction * (1 - exp(-time_step / complex_construction_time)) / time_step",
           "complex/year",
           en="Innovation complexes completed", zh="建成科技创新综合体", source=S.S000_COMPLEX))
    E(stock("innovation_complexes", "init_innovation_complexes", "complex", inflows=["complex_completions"],
            outflows=["complex_closures"], en="Operating innovation complexes (科技创新综合体)", zh="科技创新综合体",
            source=S.S000_COMPLEX))
    E(const("complex_closure_rate", 0.02, "1/year", bounds=(0.0, 0.06), en="Yearly closure of complexes", zh="综合体年关闭率", source="assumption"))
    E(flow("complex_closures", "innovation_complexes * complex_closure_rate", "complex/year", en="Complexes closing",
           zh="综合体关闭", source="assumption"))
    E(const("complex_reward_per_pass", 50, "ten_thousand_CNY/complex", bounds=(0, 200),
            en="Lever: reward to the host of a complex that passes evaluation", zh="杠杆: 综合体考核通过奖励(万元/家)",
            source=S.S000_REWARD))
    E(const("complex_base_pass_share", 0.5, "dimensionless", bounds=(0.25, 0.75), en="Evaluation pass share of complexes without a reward",
            zh="无奖励时综合体考核通过比例", source="assumption"))
    E(const("complex_reward_half_effect", 50, "ten_thousand_CNY/complex", bounds=(25, 75),
            en="Reward at which half of the remaining complexes are induced to pass", zh="奖励的半饱和额度", source="assumption"))
    # The reward makes hosts invest in meeting the evaluation criteria, with diminishing returns.
    E(aux("complex_evaluation_pass_share",
          "complex_base_pass_share + (1 - complex_base_pass_share) * complex_reward_per_pass"
          " / (complex_reward_per_pass + complex_reward_half_effect)",
          "dimensionless", en="Share of complexes passing the evaluation", zh="综合体考核通过比例", source=S.S000_REWARD))
    E(const("smes_served_per_complex", 40, "firm/complex/year", bounds=(20, 60), en="SMEs served per fully functioning complex per year",
            zh="每家合格综合体年服务中小企业数", source="assumption: 000 三(四) full-chain services to SMEs"))
    E(const("unqualified_service_factor", 0.5, "dimensionless", bounds=(0.25, 0.75), en="Service capacity of a complex failing evaluation, relative",
            zh="未通过考核综合体的服务能力系数", source="assumption"))
    E(aux("complex_sme_service_capacity",
          "innovation_complexes * smes_served_per_complex"
          " * (complex_evaluation_pass_share + (1 - complex_evaluation_pass_share) * unqualified_service_factor)",
          "firm/year", en="SMEs served by innovation complexes per year", zh="综合体年服务中小企业能力", source=S.S000_SERVICE))
    # The programme places one complex in every county before a second (000: 全覆盖).
    E(aux("counties_with_complex", "min(county_count, innovation_complexes * counties_per_complex)", "county",
          en="County-level units with at least one innovation complex", zh="建有科技创新综合体的县(市、区)",
          source=S.S000_COMPLEX + "，实现县(市、区)全覆盖"))
    E(const("counties_per_complex", 1, "county/complex", en="Counties covered by one complex (allocation rule)",
          zh="每个综合体覆盖的县数", source="assumption: one complex per county first (000 全覆盖)"))
    E(aux("complexes_new_per_county", "complex_starts / county_count", "complex/county/year",
          en="Innovation complexes started per county-level unit per year", zh="各县(市、区)每年新建综合体数",
          source=S.S000_COMPLEX))
    E(const("complex_provincial_designation_rate", 0.05, "1/year", bounds=(0.02, 0.3),
            en="Yearly designation of passing complexes as provincial-level", zh="综合体年认定省级比例",
            source=S.S004_PROVINCIAL + "; rate an assumption"))
    E(stock("innovation_complexes_provincial", "init_innovation_complexes_provincial", "complex",
            inflows=["complex_provincial_designations"], outflows=["provincial_complex_closures"],
            en="Provincial-level innovation complexes (subset of all complexes)", zh="省级科技创新综合体",
            source=S.S004_PROVINCIAL))
    E(flow("complex_provincial_designations",
           "max(0, innovation_complexes - innovation_complexes_provincial) * complex_evaluation_pass_share"
           " * complex_provincial_designation_rate",
           "complex/year", en="Complexes designated provincial-level", zh="新认定省级综合体", source=S.S004_PROVINCIAL))
    E(flow("provincial_complex_closures", "innovation_complexes_provincial * complex_closure_rate", "complex/year",
           en="Provincial complexes closing", zh="省级综合体关闭", source="assumption"))
    # ------------------------------------------------- platform types named by the plans --
    # Key laboratories: a co-flow of the municipal and provincial platform chains.  A fixed
    # share of newly recognised municipal (provincial) platforms are key labs; municipal key
    # labs are promoted to provincial at their own rate; all close like other platforms.
    E(const("init_key_labs_municipal", 5, "platform", bounds=(2.5, 7.5), en="Municipal key laboratories, end-2015", zh="市级重点实验室(2015年末)",
            source="assumption: 002 (written end-2021) needs 30 municipal-or-higher by 2025 at +4 a year, so ≈18 in 2021"))
    E(const("init_key_labs_provincial_plus", 3, "platform", bounds=(1.5, 4.5), en="Provincial-or-higher key laboratories, end-2015",
            zh="省级以上重点实验室(2015年末)", source="assumption: 5 existed when 002 was written (2021)"))
    E(const("key_lab_share_of_municipal_builds", 0.025, "dimensionless", bounds=(0.0125, 0.0375),
            en="Share of newly recognised municipal platforms that are key laboratories", zh="新认定市级平台中重点实验室比例",
            source="assumption: ≈1.75 a year at the default build rate, below the 2022 ledger's 4"))
    E(const("key_lab_share_of_provincial_builds", 0.02, "dimensionless", bounds=(0.01, 0.03),
            en="Share of newly built provincial platforms that are key laboratories", zh="新建省级平台中重点实验室比例",
            source="assumption: calibrated on 5 provincial-or-higher key labs in 2021 (" + S.S002_KEY_LABS + ")"))
    E(const("key_lab_promotion_rate", 0.01, "1/year", bounds=(0.005, 0.015), en="Yearly promotion of municipal key labs to provincial",
            zh="市级重点实验室年晋升省级比例", source="assumption: calibrated on 5 provincial-or-higher key labs in 2021"))
    E(stock("key_labs_municipal", "init_key_labs_municipal", "platform", inflows=["municipal_key_lab_recognitions"],
            outflows=["key_lab_promotions", "municipal_key_lab_closures"],
            en="Municipal key laboratories (part of municipal platforms)", zh="市级重点实验室", source=S.S002_KEY_LABS))
    E(flow("municipal_key_lab_recognitions", "municipal_platform_builds * key_lab_share_of_municipal_builds", "platform/year",
           en="Municipal key laboratories recognised", zh="新认定市级重点实验室", source=S.S002_KEY_LABS))
    E(flow("key_lab_promotions", "key_labs_municipal * key_lab_promotion_rate", "platform/year",
           en="Municipal key labs promoted to provincial", zh="市级重点实验室晋升省级", source="assumption"))
    E(flow("municipal_key_lab_closures", "key_labs_municipal * platform_obsolescence_rate", "platform/year",
           en="Municipal key labs closed", zh="市级重点实验室撤销", source="assumption: as other platforms"))
    E(stock("key_labs_provincial_plus", "init_key_labs_provincial_plus", "platform",
            inflows=["provincial_key_lab_builds", "key_lab_promotions"], outflows=["provincial_key_lab_closures"],
            en="Provincial-or-higher key laboratories (part of provincial and national platforms)", zh="省级以上重点实验室",
            source=S.S002_KEY_LABS))
    E(flow("provincial_key_lab_builds", "provincial_platform_builds * key_lab_share_of_provincial_builds", "platform/year",
           en="Provincial key laboratories newly built", zh="新建省级重点实验室", source=S.S001_PLATFORMS))
    E(flow("provincial_key_lab_closures", "key_labs_provincial_plus * platform_obsolescence_rate", "platform/year",
           en="Provincial key labs closed", zh="省级以上重点实验室撤销", source="assumption: as other platforms"))
    E(aux("key_labs_municipal_plus", "key_labs_municipal + key_labs_provincial_plus", "platform",
          en="Municipal-or-higher key laboratories", zh="市级以上重点实验室", source=S.S002_KEY_LABS))

    # Municipal technology-innovation centres and enterprise R&D centres: fixed shares of the
    # municipal platform stock (as provincial technology-innovation centres above).
    E(const("municipal_tic_share", 0.13, "dimensionless", bounds=(0.065, 0.195),
            en="Share of municipal platforms that are technology-innovation centres", zh="市级平台中技术创新中心比例",
            source="assumption: 002 targets 180 of ≈1100–1300 municipal platforms by 2025"))
    E(aux("municipal_tech_innovation_centres", "platforms_municipal * municipal_tic_share", "platform",
          en="Municipal technology-innovation centres", zh="市级技术创新中心", source=S.S002_PLATFORM_TYPES))
    E(const("municipal_enterprise_rd_centre_share", 0.22, "dimensionless", bounds=(0.11, 0.33),
            en="Share of municipal platforms that are enterprise R&D centres", zh="市级平台中企业研发中心比例",
            source="assumption: 002 targets 300 of ≈1100–1300 municipal platforms by 2025"))
    E(aux("municipal_enterprise_rd_centres", "platforms_municipal * municipal_enterprise_rd_centre_share", "platform",
          en="Municipal enterprise R&D centres", zh="市级企业研发中心", source=S.S002_PLATFORM_TYPES))

    # Industrial technology research institutes (产业技术研究院): own programme and lever;
    # a few are upgraded to "high-level" institutes as R&D capital deepens.
    E(const("init_industrial_tech_institutes_municipal_plus", 6, "platform", bounds=(3, 9),
            en="Municipal-or-higher industrial technology research institutes, end-2015", zh="市级以上产业技术研究院(2015年末)",
            source="assumption: 16 provincial ones existed in 2023 (" + S.S001_INSTITUTES + ")"))
    E(stock("industrial_tech_institutes_municipal_plus", "init_industrial_tech_institutes_municipal_plus", "platform",
            inflows=["industrial_institute_builds"], outflows=["industrial_institute_closures"],
            en="Municipal-or-higher industrial technology research institutes", zh="市级以上产业技术研究院",
            source=S.S002_PLATFORM_TYPES))
    E(const("industrial_institute_build_rate", 2, "platform/year", bounds=(0, 10),
            en="Lever: industrial technology research institutes set up per year", zh="杠杆: 年新建产业技术研究院数",
            source=S.S002_PLATFORM_TYPES + "; 002 四、(八)1: 支持企业与京津高校和科研院所以委托开发或共建产业技术研究院; default 2 an assumption"))
    E(flow("industrial_institute_builds", "industrial_institute_build_rate", "platform/year",
           en="Industrial technology research institutes set up", zh="新建产业技术研究院", source=S.S002_PLATFORM_TYPES))
    E(flow("industrial_institute_closures", "industrial_tech_institutes_municipal_plus * platform_obsolescence_rate",
           "platform/year", en="Industrial technology research institutes closed or merged", zh="产业技术研究院撤并",
           source="assumption: as other platforms; 001 重组优化 merges some"))
    E(const("init_high_level_industrial_tech_institutes", 0, "platform",
            en="High-level industrial technology research institutes, end-2015", zh="高水平产业技术研究院(2015年末)",
            source=S.S001_INSTITUTES + " (a designation of the 2023 plan)"))
    E(const("institute_upgrade_rate", 0.01, "1/year", bounds=(0.005, 0.015),
            en="Yearly share of institutes reaching the high-level standard (at 2015 R&D intensity)",
            zh="产业技术研究院年提升为高水平比例", source="assumption: 001 targets 2 by 2025 among ≈20–30 institutes"))
    E(stock("high_level_industrial_tech_institutes", "init_high_level_industrial_tech_institutes", "platform",
            inflows=["institute_upgrades"], outflows=["high_level_institute_closures"],
            en="High-level industrial technology research institutes (subset of institutes)", zh="高水平产业技术研究院",
            source=S.S001_INSTITUTES))
    # Upgrades need research depth: the rate scales with R&D capital intensity.
    E(flow("institute_upgrades",
           "max(0, industrial_tech_institutes_municipal_plus - high_level_industrial_tech_institutes)"
           " * institute_upgrade_rate * rd_capital_intensity_index",
           "platform/year", en="Institutes upgraded to high-level", zh="提升为高水平产业技术研究院", source=S.S001_INSTITUTES))
    E(flow("high_level_institute_closures", "high_level_industrial_tech_institutes * platform_obsolescence_rate",
           "platform/year", en="High-level institutes closed or merged", zh="高水平产业技术研究院撤并", source="assumption"))

    # New-type R&D institutions (新型研发机构): own programme and lever.
    E(const("init_new_rd_institutions", 0, "platform", en="Municipal-or-higher new-type R&D institutions, end-2015",
            zh="市级以上新型研发机构(2015年末)", source="assumption: Hebei's recognition of new-type R&D institutions is recent"))
    E(stock("new_rd_institutions", "init_new_rd_institutions", "platform", inflows=["new_rd_institution_builds"],
            outflows=["new_rd_institution_closures"], en="Municipal-or-higher new-type R&D institutions",
            zh="市级以上新型研发机构", source=S.S002_NEW_RD_INST))
    E(const("new_rd_institution_build_rate", 1.5, "platform/year", bounds=(0, 10),
            en="Lever: new-type R&D institutions recognised per year", zh="杠杆: 年培育新型研发机构数",
            source=S.S002_NEW_RD_INST + "; default 1.5 an assumption"))
    E(flow("new_rd_institution_builds", "new_rd_institution_build_rate", "platform/year",
           en="New-type R&D institutions recognised", zh="新认定新型研发机构", source=S.S002_NEW_RD_INST))
    E(flow("new_rd_institution_closures", "new_rd_institutions * platform_obsolescence_rate", "platform/year",
           en="New-type R&D institutions closed", zh="新型研发机构撤销", source="assumption: as other platforms"))

    # Provincial international S&T cooperation bases: designated by the province at the lever rate.
    E(const("init_intl_st_coop_bases_provincial", 3, "platform", bounds=(1.5, 4.5), en="Provincial international S&T cooperation bases, end-2015",
            zh="省级国际科技合作基地(2015年末)", source="assumption: 002 targets 10 by 2025 at +1 a year"))
    E(stock("intl_st_coop_bases_provincial", "init_intl_st_coop_bases_provincial", "platform",
            inflows=["intl_coop_base_designations"], outflows=["intl_coop_base_delistings"],
            en="Provincial international S&T cooperation bases", zh="省级国际科技合作基地", source=S.S002_INTL))
    E(const("intl_coop_base_designation_rate", 0.6, "platform/year", bounds=(0, 5),
            en="Lever: provincial international S&T cooperation bases designated per year", zh="杠杆: 年新建省级国际科技合作基地数",
            source=S.S002_INTL + "; default 0.6 an assumption"))
    E(flow("intl_coop_base_designations", "intl_coop_base_designation_rate", "platform/year",
           en="International cooperation bases designated", zh="新认定省级国际科技合作基地", source=S.S002_INTL))
    E(const("intl_coop_base_delisting_rate", 0.02, "1/year", bounds=(0.01, 0.03), en="Yearly de-listing of international cooperation bases",
            zh="国际科技合作基地年撤销率", source="assumption: periodic evaluation"))
    E(flow("intl_coop_base_delistings", "intl_st_coop_bases_provincial * intl_coop_base_delisting_rate", "platform/year",
           en="International cooperation bases de-listed", zh="国际科技合作基地撤销", source="assumption"))

    # ------------------------------------------------ consortia and technology alliances --
    # Innovation consortia (创新联合体) are led by tech leaders: leaders without one form one
    # at the lever rate.  Counts are dimensionless, as the targets state them.
    E(const("init_innovation_consortia", 0, "dimensionless", en="Innovation consortia, end-2015", zh="创新联合体(2015年末)",
            source="assumption: the form dates from the 14th FYP (" + S.S002_CONSORTIA + ")"))
    E(stock("innovation_consortia", "init_innovation_consortia", "dimensionless", inflows=["consortium_formations"],
            outflows=["consortium_dissolutions"], en="Innovation consortia led by tech leaders (count)", zh="创新联合体",
            source=S.S002_CONSORTIA))
    E(const("consortia_per_leader", 1, "1/firm", bounds=(0.5, 1.5), en="Consortia one tech leader can lead", zh="每家科技领军企业牵头创新联合体数",
            source="assumption: one consortium per leader (" + S.S002_CONSORTIA + ")"))
    E(const("consortium_formation_rate", 0.15, "1/year", bounds=(0, 1),
            en="Lever: yearly share of tech leaders without a consortium that form one", zh="杠杆: 科技领军企业年牵头组建创新联合体比例",
            source=S.S002_CONSORTIA + "; 001 二(二)1: 支持科技领军企业 ... 组建创新联合体; default an assumption"))
    E(flow("consortium_formations",
           "max(0, tech_leaders * consortia_per_leader - innovation_consortia) * consortium_formation_rate", "1/year",
           en="Innovation consortia formed", zh="新组建创新联合体", source=S.S002_CONSORTIA))
    E(const("consortium_dissolution_rate", 0.05, "1/year", bounds=(0.025, 0.075), en="Yearly dissolution of innovation consortia",
            zh="创新联合体年解散率", source="assumption"))
    E(flow("consortium_dissolutions", "innovation_consortia * consortium_dissolution_rate", "1/year",
           en="Innovation consortia dissolved", zh="创新联合体解散", source="assumption"))

    # Industrial technology innovation strategic alliances: municipal ones formed at the lever
    # rate; a share are filed with the province (provincial alliances are a subset).
    E(const("init_tech_alliances_municipal", 12, "dimensionless", bounds=(6, 18),
            en="Municipal industrial technology innovation alliances, end-2015", zh="市级产业技术创新战略联盟(2015年末)",
            source="assumption"))
    E(const("init_tech_alliances_provincial", 4, "dimensionless", bounds=(2, 6),
            en="Provincially filed industrial technology innovation alliances, end-2015", zh="省级备案产业技术创新战略联盟(2015年末)",
            source="assumption: 002 targets 15 by 2025 at +1 a year (2022 ledger)"))
    E(stock("tech_alliances_municipal", "init_tech_alliances_municipal", "dimensionless", inflows=["alliance_formations"],
            outflows=["municipal_alliance_dissolutions"],
            en="Municipal industrial technology innovation strategic alliances (incl. provincially filed)",
            zh="市级产业技术创新战略联盟", source=S.S002_ALLIANCES))
    E(const("alliance_formation_rate", 3, "1/year", bounds=(0, 15),
            en="Lever: municipal technology innovation alliances formed per year (count)", zh="杠杆: 年新建市级产业技术创新战略联盟数",
            source=S.S002_ALLIANCES + "; default 3 (the 2022 ledger's rate) an assumption"))
    E(flow("alliance_formations", "alliance_formation_rate", "1/year", en="Municipal alliances formed",
           zh="新建市级产业技术创新战略联盟", source=S.S002_ALLIANCES))
    E(const("alliance_dissolution_rate", 0.05, "1/year", bounds=(0.025, 0.075), en="Yearly dissolution of alliances", zh="产业技术创新战略联盟年解散率",
            source="assumption: many alliances become inactive"))
    E(flow("municipal_alliance_dissolutions", "tech_alliances_municipal * alliance_dissolution_rate", "1/year",
           en="Municipal alliances dissolved", zh="市级联盟解散", source="assumption"))
    E(stock("tech_alliances_provincial", "init_tech_alliances_provincial", "dimensionless",
            inflows=["alliance_provincial_filings"], outflows=["provincial_alliance_dissolutions"],
            en="Provincially filed industrial technology innovation strategic alliances (subset)",
            zh="省级备案产业技术创新战略联盟", source=S.S002_ALLIANCES))
    E(const("alliance_filing_rate", 0.06, "1/year", bounds=(0.03, 0.09), en="Yearly share of municipal-only alliances filed with the province",
            zh="市级联盟年备案为省级比例", source="assumption: calibrated on +1 provincial alliance in 2022 (002 附件)"))
    E(flow("alliance_provincial_filings",
           "max(0, tech_alliances_municipal - tech_alliances_provincial) * alliance_filing_rate", "1/year",
           en="Alliances filed with the province", zh="新备案省级产业技术创新战略联盟", source=S.S002_ALLIANCES))
    E(flow("provincial_alliance_dissolutions", "tech_alliances_provincial * alliance_dissolution_rate", "1/year",
           en="Provincial alliances dissolved", zh="省级联盟解散", source="assumption"))

    # ------------------------------------------------------ incubators in development zones --
    # Incubators are placed in zones without planning every zone: with Z zones and I zone
    # incubators placed at random, the share of zones with at least one is 1 - exp(-I/Z).
    E(const("dev_zone_count", 20, "dimensionless", en="Development zones of the city (count)", zh="开发区数量",
            source="assumption: Hebei's one-zone-per-county layout over the 20 units of " + S.S000_UNITS))
    E(const("incubators_required_per_zone", 1, "platform", en="Incubators each development zone is to have",
            zh="每家开发区应建孵化器数", source=S.S002_ZONE_INCUBATORS))
    E(const("zone_incubator_share", 0.04, "dimensionless", bounds=(0.02, 0.06),
            en="Share of incubation platforms that are incubators located in development zones", zh="位于开发区的孵化器占孵化载体比例",
            source="assumption: most incubation platforms are small maker spaces outside zones"))
    E(aux("dev_zone_incubators",
          "(incubators_maker_spaces_local + provincial_incubators_maker_spaces + national_maker_spaces + national_incubators)"
          " * zone_incubator_share",
          "platform", en="Incubators located in development zones", zh="开发区内孵化器", source=S.S002_ZONE_INCUBATORS))
    E(aux("dev_zone_incubator_coverage", "1 - exp(-dev_zone_incubators / (dev_zone_count * incubators_required_per_zone))",
          "dimensionless", en="Share of development zones with at least one incubator", zh="建成孵化器的开发区比例",
          source=S.S002_ZONE_INCUBATORS + "; random placement (Poisson) an assumption"))

    # ----------------------------------------------------- complexes: districts and space --
    E(const("central_unit_count", 6, "county", en="Central districts that start a complex every year (000)",
            zh="每年新建综合体的中心城区数", source=S.S000_COMPLEX))
    E(const("central_start_share", 0.55, "dimensionless", bounds=(0.275, 0.825), en="Share of complex starts located in the central districts",
            zh="中心城区新建综合体占比", source="assumption: 6 of ≈11 starts a year in 2020–2022 (" + S.S000_COMPLEX + ")"))
    E(aux("complex_districts_started",
          "min(central_unit_count, (complexes_under_construction + innovation_complexes) * central_start_share"
          " * counties_per_complex)",
          "county", en="Central districts where an innovation complex has been started", zh="科创综合体建设起步的中心城区",
          source=S.OBS_COMPLEX_STARTED))
    # Floor area per complex: 004 sets a minimum by level ("一般不低于"); complexes that pass
    # the evaluation exceed it, others (upgrades of existing space, "虚拟入驻") fall short.
    E(const("complex_area_standard_county", 2000, "meter**2", en="Floor-area standard of a county-level complex",
            zh="县级综合体场所面积标准", source=S.S004_AREA))
    E(const("complex_area_standard_city", 5000, "meter**2", en="Floor-area standard of a city-level complex",
            zh="市级综合体场所面积标准", source=S.S004_AREA))
    E(const("complex_area_standard_provincial", 10000, "meter**2", en="Floor-area standard of a provincial complex",
            zh="省级综合体场所面积标准", source=S.S004_AREA))
    E(const("complex_area_ratio_passing", 1.2, "dimensionless", bounds=(1, 1.8),
            en="Floor area of a complex passing evaluation relative to the standard", zh="考核通过综合体面积与标准之比",
            source="assumption"))
    E(const("complex_area_ratio_failing", 0.8, "dimensionless", bounds=(0.4, 1),
            en="Floor area of a complex failing evaluation relative to the standard", zh="未通过考核综合体面积与标准之比",
            source="assumption: " + S.S004_AREA))
    E(aux("complex_area_factor",
          "complex_evaluation_pass_share * complex_area_ratio_passing"
          " + (1 - complex_evaluation_pass_share) * complex_area_ratio_failing",
          "dimensionless", en="Average floor area of complexes relative to their level's standard", zh="综合体平均面积与标准之比",
          source=S.S000_REWARD + "; " + S.S004_AREA))
    # The floor area of complexes that do not exist is no floor area: where a level has no
    # complex, its average is 0, so a floor-area standard is never met without complexes.  The
    # model does not tell city-level from county-level complexes apart: both are the complexes
    # not designated provincial.
    E(const("one_complex", 1, "complex", en="One complex (the smallest number that has a floor area)",
            zh="一个综合体", source="definition"))
    E(aux("complex_floor_area_county",
          "if_then_else(innovation_complexes - innovation_complexes_provincial >= one_complex,"
          " complex_area_standard_county * complex_area_factor, 0)", "meter**2",
          en="Average floor area of a county-level complex (0 where there is none)", zh="县级产业创新服务综合体场所面积",
          source=S.S004_AREA))
    E(aux("complex_floor_area_city",
          "if_then_else(innovation_complexes - innovation_complexes_provincial >= one_complex,"
          " complex_area_standard_city * complex_area_factor, 0)", "meter**2",
          en="Average floor area of a city-level complex (0 where there is none)", zh="市级产业创新服务综合体场所面积",
          source=S.S004_AREA))
    E(aux("complex_floor_area_provincial",
          "if_then_else(innovation_complexes_provincial >= one_complex,"
          " complex_area_standard_provincial * complex_area_factor, 0)", "meter**2",
          en="Average floor area of a provincial complex (0 where there is none)", zh="省级产业创新服务综合体场所面积",
          source=S.S004_AREA))

    # ------------------------------------------------------------ pilot-scale bases --
    # Pilot-scale (中试熟化) bases and platforms: built at the lever rate (the plans name no
    # number), they take projects from the lab to industrial scale (major achievement transfers,
    # knowledge sector).  Pilot capacity that existed before is in the calibrated transfer rates.
    E(const("init_pilot_scale_bases", 0, "platform", en="Pilot-scale bases built under the plans, end-2015",
            zh="中试熟化基地(规划新建, 2015年末)", source="definition: counted from the plans' programmes"))
    E(stock("pilot_scale_bases", "init_pilot_scale_bases", "platform", inflows=["pilot_base_builds"],
            outflows=["pilot_base_closures"], en="Pilot-scale (中试) bases and platforms built under the plans",
            zh="中试熟化基地(平台)", source=S.S001_PILOT))
    E(const("pilot_base_build_rate", 0, "platform/year", bounds=(0, 10),
            en="Lever: pilot-scale bases and platforms built per year", zh="杠杆: 年新建中试熟化基地(平台)数",
            source=S.S001_PILOT + "; the plans name no number: default 0"))
    E(flow("pilot_base_builds", "pilot_base_build_rate", "platform/year", en="Pilot-scale bases built",
           zh="新建中试熟化基地", source=S.S001_PILOT))
    E(flow("pilot_base_closures", "pilot_scale_bases * platform_obsolescence_rate", "platform/year",
           en="Pilot-scale bases closed", zh="中试熟化基地撤销", source="assumption: as other platforms"))
    return with_sector(els, "platforms")
