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
  Their SME-service capacity feeds tech-SME registrations.

Feedback loops
--------------
* HTEs → enterprise technology centres; platforms → patents and attractiveness → R&D staff.
* Balancing: obsolescence and closures in every chain.
"""
from __future__ import annotations

from ..equations import aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append

    # -------------------------------------------------------------- R&D platforms --
    E(const("init_platforms_municipal", 650, "platform", en="Municipal innovation platforms, end-2015", zh="市级创新平台(2015年末)",
            source="assumption: back-cast from 935 in 2020 (002 一(一)) at the 2022-ledger build rate"))
    E(const("init_platforms_provincial", 72, "platform", en="Provincial innovation platforms, end-2015", zh="省级创新平台(2015年末)",
            source="assumption: back-cast from 137 in 2020 (002 一(一))"))
    E(const("init_platforms_national", 16, "platform", en="National innovation platforms, end-2015", zh="国家级创新平台(2015年末)",
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
    E(const("platform_promotion_rate_municipal", 0.006, "1/year", en="Yearly promotion of municipal platforms to provincial",
            zh="市级平台年晋升省级比例", source="assumption: 001 二(六)1(3) 国家、省、市三级梯次培育"))
    E(const("platform_promotion_rate_provincial", 0.018, "1/year", en="Yearly promotion of provincial platforms to national",
            zh="省级平台年晋升国家级比例", source="assumption: calibrated on 23 national platforms in 2020"))
    E(const("platform_obsolescence_rate", 0.01, "1/year", en="Yearly share of platforms closed or de-listed",
            zh="平台年撤销(淘汰)比例", source="assumption: periodic evaluation removes a few"))
    E(flow("municipal_platform_builds", "platform_build_rate_municipal", "platform/year",
           en="Municipal platforms recognised", zh="新建市级创新平台", source=S.S002_LEDGER_PLATFORMS))
    E(flow("municipal_platform_promotions", "platforms_municipal * platform_promotion_rate_municipal", "platform/year",
           en="Municipal platforms promoted to provincial", zh="市级平台晋升省级", source="assumption"))
    E(flow("municipal_platform_closures", "platforms_municipal * platform_obsolescence_rate", "platform/year",
           en="Municipal platforms closed", zh="市级平台撤销", source="assumption"))
    E(flow("provincial_platform_builds", "platform_build_rate_provincial", "platform/year",
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
    E(const("tech_innovation_centre_share", 0.55, "dimensionless",
            en="Share of provincial platforms that are technology-innovation centres", zh="省级平台中技术创新中心比例",
            source="assumption: 002 targets 120 provincial technology-innovation centres by 2025"))
    E(aux("provincial_tech_innovation_centres", "platforms_provincial * tech_innovation_centre_share", "platform",
          en="Provincial technology-innovation centres", zh="省级技术创新中心", source=S.S002_PLATFORM_TARGETS))
    E(const("platform_weight_municipal", 0.1, "dimensionless", en="Weight of a municipal platform in the platform index",
            zh="市级平台权重", source="assumption"))
    E(const("platform_weight_national", 5, "dimensionless", en="Weight of a national platform in the platform index",
            zh="国家级平台权重", source="assumption"))
    E(aux("platform_index",
          "(platforms_municipal * platform_weight_municipal + platforms_provincial + platforms_national * platform_weight_national)"
          " / (init_platforms_municipal * platform_weight_municipal + init_platforms_provincial"
          " + init_platforms_national * platform_weight_national)",
          "dimensionless", en="Weighted innovation-platform capacity relative to 2015", zh="创新平台能力指数(2015=1)",
          source="assumption: weights by level"))

    E(const("init_provincial_enterprise_tech_centres", 35, "platform", en="Provincial-or-higher enterprise technology centres, end-2015",
            zh="省级以上企业技术中心(2015年末)", source="assumption: 002 targets 80 by 2025"))
    E(stock("provincial_enterprise_tech_centres", "init_provincial_enterprise_tech_centres", "platform",
            inflows=["enterprise_centre_recognitions"], outflows=["enterprise_centre_revocations"],
            en="Provincial-or-higher enterprise technology centres", zh="省级以上企业技术中心", source=S.S002_PLATFORM_TARGETS))
    E(const("centres_per_firm", 1, "platform/firm", en="Enterprise technology centres per recognised firm",
            zh="每家企业技术中心数", source="assumption: one recognised centre per firm (counting rule)"))
    E(const("enterprise_centre_recognition_rate", 0.012, "1/year", en="Yearly share of HTEs gaining a provincial enterprise technology centre",
            zh="高企年获批省级企业技术中心比例", source="assumption"))
    E(flow("enterprise_centre_recognitions", "hte_count * enterprise_centre_recognition_rate * centres_per_firm", "platform/year",
           en="Enterprise technology centres recognised", zh="新认定企业技术中心", source="assumption"))
    E(const("enterprise_centre_revocation_rate", 0.04, "1/year", en="Yearly revocation of enterprise technology centres",
            zh="企业技术中心年撤销率", source="assumption: periodic evaluation"))
    E(flow("enterprise_centre_revocations", "provincial_enterprise_tech_centres * enterprise_centre_revocation_rate",
           "platform/year", en="Enterprise technology centres revoked", zh="企业技术中心撤销", source="assumption"))

    # ---------------------------------------------------- incubators and maker spaces --
    E(const("init_incubators_maker_spaces_local", 80, "platform", en="Local (sub-provincial) incubators and maker spaces, end-2015",
            zh="市县级孵化器和众创空间(2015年末)", source="assumption: 105 ≥3000 m² maker spaces were added in 2020 alone"))
    E(const("init_provincial_incubators_maker_spaces", 22, "platform", en="Provincial incubators and maker spaces, end-2015",
            zh="省级孵化器和众创空间(2015年末)", source="assumption: 002 targets 100 provincial-or-higher by 2025"))
    E(const("init_national_maker_spaces", 2, "platform", en="National maker spaces, end-2015", zh="国家级众创空间(2015年末)",
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
    E(const("incubator_closure_rate", 0.15, "1/year", en="Yearly closure of local incubators and maker spaces",
            zh="市县级孵化载体年关闭率", source="assumption: many small maker spaces are short-lived"))
    E(const("incubator_promotion_rate", 0.03, "1/year", en="Yearly recognition of local incubators as provincial",
            zh="孵化载体年晋升省级比例", source="assumption"))
    E(const("provincial_incubator_exit_rate", 0.03, "1/year", en="Yearly de-listing of provincial incubators",
            zh="省级孵化载体年撤销率", source="assumption"))
    E(const("national_incubator_promotion_rate", 0.035, "1/year", en="Yearly recognition of provincial incubators as national",
            zh="省级孵化载体年晋升国家级比例", source="assumption: calibrated on 7 national maker spaces and 1 incubator in 2020"))
    E(const("national_maker_space_share", 0.8, "dimensionless", en="Share of national recognitions that are maker spaces",
            zh="国家级认定中众创空间比例", source="assumption: 7 maker spaces vs 1 incubator in 2020"))
    E(const("national_incubator_exit_rate", 0.02, "1/year", en="Yearly de-listing of national incubators and maker spaces",
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
    E(const("complex_construction_time", 0.25, "year", en="Time to set up a complex (mostly upgrading existing platforms)",
            zh="综合体建设周期", source="000 三(二): 以新建、改建、扩建等途径 ... 在统筹整合现有 ... 平台基础上; time an assumption"))
    E(flow("complex_completions", "complexes_under_construction / complex_construction_time", "complex/year",
           en="Innovation complexes completed", zh="建成科技创新综合体", source=S.S000_COMPLEX))
    E(stock("innovation_complexes", "init_innovation_complexes", "complex", inflows=["complex_completions"],
            outflows=["complex_closures"], en="Operating innovation complexes (科技创新综合体)", zh="科技创新综合体",
            source=S.S000_COMPLEX))
    E(const("complex_closure_rate", 0.02, "1/year", en="Yearly closure of complexes", zh="综合体年关闭率", source="assumption"))
    E(flow("complex_closures", "innovation_complexes * complex_closure_rate", "complex/year", en="Complexes closing",
           zh="综合体关闭", source="assumption"))
    E(const("complex_reward_per_pass", 50, "ten_thousand_CNY/complex", bounds=(0, 200),
            en="Lever: reward to the host of a complex that passes evaluation", zh="杠杆: 综合体考核通过奖励(万元/家)",
            source=S.S000_REWARD))
    E(const("complex_base_pass_share", 0.5, "dimensionless", en="Evaluation pass share of complexes without a reward",
            zh="无奖励时综合体考核通过比例", source="assumption"))
    E(const("complex_reward_half_effect", 50, "ten_thousand_CNY/complex",
            en="Reward at which half of the remaining complexes are induced to pass", zh="奖励的半饱和额度", source="assumption"))
    # The reward makes hosts invest in meeting the evaluation criteria, with diminishing returns.
    E(aux("complex_evaluation_pass_share",
          "complex_base_pass_share + (1 - complex_base_pass_share) * complex_reward_per_pass"
          " / (complex_reward_per_pass + complex_reward_half_effect)",
          "dimensionless", en="Share of complexes passing the evaluation", zh="综合体考核通过比例", source=S.S000_REWARD))
    E(const("smes_served_per_complex", 40, "firm/complex/year", en="SMEs served per fully functioning complex per year",
            zh="每家合格综合体年服务中小企业数", source="assumption: 000 三(四) full-chain services to SMEs"))
    E(const("unqualified_service_factor", 0.5, "dimensionless", en="Service capacity of a complex failing evaluation, relative",
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
    E(const("complex_provincial_designation_rate", 0.05, "1/year",
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
    return with_sector(els, "platforms")
