"""R&D money: who spends it, what moves it, and what the statistics see.

Mechanisms
----------
* **Government.**  Local fiscal S&T spending is a stock growing at the lever
  ``fiscal_st_share_growth``.  Shares of it fund university/institute R&D, grants to enterprise
  R&D (which crowd in some own R&D, ``grant_leverage``) and basic research.
* **Private enterprise R&D** is built from the firm pipeline: HTE R&D grows with the HTE
  count (elasticity below one: new HTEs are smaller) and other private R&D with the
  tech-SME pool, both scaled by the size of the economy.  It responds
  to the **user cost of R&D**: a Hall–Jorgenson B-index with the national super-deduction
  schedule (a weighted rate: 50% to 2017, 75% from 2018, 100% for manufacturing from 2021
  and for all firms from 2023, plus ``super_deduction_extra``, a national-policy assumption a
  scenario may change: a city cannot add to national tax), the 25% standard and the HTE
  income-tax rate (national law, likewise an assumption; the HTE "notch" lowers the user cost
  of firms at the threshold), and the local R&D post-subsidy.  Real R&D responds with the user-cost
  elasticity 1.14, reported R&D with 2 (Chen et al. 2021): the difference is relabelling,
  ≈43% of the reported response (literature 30–45%).  Budgets adjust over a year (smooth).
  Science-tech lending eases finance (small elasticity).
* **Post-subsidies cost money.**  The city pays the post-subsidy rate on the R&D firms
  declared the year before, out of the enterprise-R&D line of its S&T budget
  (``fiscal_share_to_business_rd``); project grants get what the post-subsidies leave.  A rate
  the budget cannot pay is cut to the rate it can (``rd_post_subsidy_effective_rate``): a 20 %
  post-subsidy would cost more than the whole S&T budget.
* **SOE R&D** (city SASAC firms) grows at the lever ``soe_rd_growth`` (001: ≥20%/yr to 2025).
* **Innovation vouchers** fund SME purchases of R&D services (additionality 0.8) and
  **key-project funding** is matched by the performing firms.
* **Real vs reported.**  Statistical coverage of enterprise R&D is its own stock and rises
  toward 1 under the 应统尽统 lever ``rd_statistical_capture``; reported R&D = coverage ×
  (real + relabelled) for enterprises, plus university/institute R&D (always covered).
* **R&D capital** is a perpetual-inventory stock (depreciation 0.15) that drives knowledge
  production, certification and the technology market.
* **Provincial S&T funds won** are an output: a share of the key R&D projects are
  provincial projects, each with an average provincial grant.
* **The province's R&D** is an exogenous series (growth ``province_rd_growth_rate``, a prior
  from Hebei's 2012-2020 history) so the city's share of it can be compared (001: R&D growth
  above the provincial average).
* **Growth of reported R&D** is estimated the way a statistician would: for a series
  growing at rate g, its first-order smooth with time constant τ lags it so that
  (x − smooth(x, τ)) / (τ · smooth(x, τ)) = g exactly in steady growth.

Feedback loops
--------------
* R2 (tax incentive): more HTEs → larger HTE share of R&D → lower average user cost → more R&D.
* R4 (pipeline, with firms): R&D capital intensity raises HTE certification, more HTEs spend more R&D.
* B1: R&D capital depreciation.
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, lookup, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append

    # ------------------------------------------------------------ fiscal S&T spending --
    # S&T money comes out of the city's general public budget, which moves with the economy:
    # spending = budget x the S&T share of the budget.  Planners set the share's growth (002
    # tracks the share as a lagging indicator); a recession shrinks the budget and the spending.
    E(const("budget_to_gdp_ratio", 0.2, "dimensionless", bounds=(0.12, 0.3),
            en="General public budget expenditure of the city and its counties per unit of GDP",
            zh="一般公共预算支出与地区生产总值之比",
            source="assumption: not in the shared data; Hebei cities spend roughly a fifth of GDP through the "
                   "general public budget (transfers included)"))
    E(aux("public_budget_expenditure", "gdp * budget_to_gdp_ratio", "hundred_million_CNY/year",
          en="General public budget expenditure (city and counties)", zh="一般公共预算支出(市县合计)",
          source=S.S002_FISCAL_SHARE))
    E(const("init_fiscal_st_spending", 2.0, "hundred_million_CNY/year", bounds=(1, 3),
            en="Local fiscal S&T expenditure, 2015", zh="地方财政科技支出(2015年)",
            source="assumption: not published in the shared data; ≈0.5% of the public budget (002 一(二): 长期处于全省落后地位)"))
    E(stock("fiscal_st_share", "init_fiscal_st_spending / max(init_gdp * budget_to_gdp_ratio, 0.01)", "dimensionless",
            inflows=["fiscal_st_share_change"], en="Share of fiscal S&T spending in the general public budget",
            zh="地方财政科技支出占一般公共预算支出比重", source=S.S002_FISCAL_SHARE))
    E(const("fiscal_st_share_growth", 0.055, "1/year", bounds=(-0.15, 0.3),
            en="Lever: yearly relative growth of the S&T share of the public budget",
            zh="杠杆: 财政科技支出占一般公共预算支出比重年增长率",
            source=S.S002_FISCAL + "; " + S.S003_FISCAL + "; default 5.5 %/yr an assumption (spending ≈ +10 %/yr "
                   "with the budget growing with GDP)"))
    E(const("fiscal_st_share_ceiling", 0.06, "dimensionless", bounds=(0.03, 0.09),
            en="Highest S&T share of the public budget a Hebei city reaches", zh="财政科技支出占比上限",
            source="assumption: leading Chinese cities spend 5-8 % of the budget on S&T; 003 asks A counties for 1.9 %"))
    E(flow("fiscal_st_share_change",
           "fiscal_st_share * fiscal_st_share_growth * if_then_else(fiscal_st_share_growth > 0,"
           " max(0, 1 - fiscal_st_share / fiscal_st_share_ceiling), 1)", "1/year",
           en="Yearly change of the S&T share of the budget (growth slows near the ceiling)",
           zh="财政科技支出占比年变化", source=S.S002_FISCAL_SHARE))
    E(aux("fiscal_st_spending", "public_budget_expenditure * fiscal_st_share", "hundred_million_CNY/year",
          en="Local fiscal S&T expenditure", zh="地方财政科技支出", source=S.S002_FISCAL))
    E(const("fiscal_share_to_public_rd", 0.2, "dimensionless", bounds=(0.1, 0.3),
            en="Share of fiscal S&T spending funding university and institute R&D", zh="财政科技支出用于高校院所研发比例",
            source="assumption: most local S&T money funds enterprise programmes, platforms and services"))
    E(const("fiscal_share_to_business_rd", 0.25, "dimensionless", bounds=(0.125, 0.375),
            en="Share of fiscal S&T spending granted to enterprise R&D projects", zh="财政科技支出用于企业研发项目比例",
            source="assumption: 002 四(三)1 企业研发投入后补助 and project grants"))
    E(const("grant_leverage", 0.5, "dimensionless", bounds=(0, 1.5),
            en="Own enterprise R&D induced per CNY of government R&D grant (net of later crowding-out)",
            zh="政府研发资助撬动企业自有研发的倍数", source=S.L_GRANT))
    # The enterprise-R&D line of the S&T budget pays both the post-subsidies (on R&D declared the
    # year before) and project grants: grants are what the post-subsidies leave.
    E(aux("enterprise_rd_support_budget", "fiscal_st_spending * fiscal_share_to_business_rd", "hundred_million_CNY/year",
          en="Fiscal S&T money for enterprise R&D (post-subsidies and project grants)", zh="财政科技支出中支持企业研发的资金",
          source=S.S002_SUBSIDY + "; " + S.S001_TAX))
    E(aux("business_rd_grants", "enterprise_rd_support_budget - post_subsidy_payments", "hundred_million_CNY/year",
          en="Government project grants to enterprise R&D", zh="政府资助企业研发项目", source=S.S001_TAX))
    E(const("university_rd_base", 0.6, "hundred_million_CNY/year", bounds=(0.3, 0.9),
            en="Universities' and institutes' own-funded R&D, 2015", zh="高校院所自有资金研发(2015年)",
            source="assumption: Xingtai has a few teaching universities (邢台学院 etc., 002 四(二)4); small R&D"))
    E(aux("university_institute_rd", "university_rd_base * firm_scale_index + fiscal_st_spending * fiscal_share_to_public_rd",
          "hundred_million_CNY/year", en="R&D performed by universities and research institutes",
          zh="高校和科研院所研发经费", source=S.S001_UNIV))

    # ------------------------------------------------------------ private enterprise R&D --
    E(const("hte_rd_2015", 2.5, "hundred_million_CNY/year", bounds=(1.0, 4.5),
            en="R&D of high-tech enterprises in 2015 (2015 policy)", zh="高企研发支出(2015年)",
            source="assumption: HTEs must spend 3–5% of sales on R&D (" + S.L_HTE_RULES + "); ~2 M CNY per HTE"))
    E(const("rd_hte_elasticity", 0.4, "dimensionless", bounds=(0.1, 1.0),
            en="Elasticity of HTE R&D to the HTE count", zh="高企研发对高企数量的弹性",
            source=("assumption: newly certified HTEs are smaller than incumbents, so HTE R&D grows less than "
                    "proportionally; calibrated on ≈19 亿 reported R&D in 2020 with HTEs ×4")))
    E(const("other_private_rd_2015", 6.0, "hundred_million_CNY/year", bounds=(3.0, 8.0),
            en="R&D of other private enterprises (tech SMEs and non-HTE above-scale firms), 2015", zh="其他民营企业研发(2015年)",
            source="assumption: steel, chemicals and glass firms outside the HTE list; calibrated on ≈19 亿 in 2020"))
    E(const("rd_sme_elasticity", 0.2, "dimensionless", bounds=(0.1, 0.3), en="Elasticity of other private R&D to the tech-SME pool",
            zh="其他企业研发对科技型中小企业数量的弹性",
            source="assumption: registered SMEs spend little; most of this R&D is in larger firms"))
    E(aux("hte_private_rd", "hte_rd_2015 * firm_scale_index * hte_index ** rd_hte_elasticity",
          "hundred_million_CNY/year", en="R&D capacity of HTEs at 2015 policy", zh="高企研发(基准政策)", source=S.L_HTE_RULES))
    E(aux("other_private_rd",
          "other_private_rd_2015 * firm_scale_index * (max(tech_sme_provincial, 1) / max(init_tech_sme_provincial, 1)) ** rd_sme_elasticity",
          "hundred_million_CNY/year", en="R&D capacity of other private firms at 2015 policy", zh="其他民营企业研发(基准政策)",
          source="assumption: see other_private_rd_2015"))
    E(aux("private_rd_base", "hte_private_rd + other_private_rd", "hundred_million_CNY/year",
          en="Private enterprise R&D before tax-policy response", zh="民营企业研发(政策响应前)",
          source="assumption: firm pipeline × size of the economy"))
    E(aux("hte_rd_share", "hte_private_rd / max(private_rd_base, 1e-6)", "dimensionless",
          en="Share of private R&D performed by HTEs", zh="高企研发占企业研发比重", source="assumption: bottom-up"))

    # --- user cost of R&D (B-index) ---
    E(lookup("super_deduction_manufacturing", [(2007, 0.5), (2016.99, 0.5), (2017, 0.75), (2019.99, 0.75),
                                               (2020, 1.0), (2040, 1.0)], "dimensionless", "year",
             en="National additional R&D deduction rate, manufacturing firms (x: model time, t = end of year t, so tax year Y spans t ∈ (Y−1, Y])", zh="研发费用加计扣除比例(制造业)",
             source=S.L_SUPER))
    E(lookup("super_deduction_other", [(2007, 0.5), (2016.99, 0.5), (2017, 0.75), (2021.99, 0.75),
                                       (2022, 1.0), (2040, 1.0)], "dimensionless", "year",
             en="National additional R&D deduction rate, other firms (x: model time, tax year Y spans t ∈ (Y−1, Y])", zh="研发费用加计扣除比例(非制造业)",
             source=S.L_SUPER))
    E(const("manufacturing_rd_share", 0.8, "dimensionless", bounds=(0.4, 1),
            en="Share of enterprise R&D done by manufacturing firms", zh="制造业企业研发占比",
            source="assumption: Xingtai's R&D is concentrated in steel, equipment, glass, chemicals (002 三)"))
    # The deduction is national tax law: a city cannot add to it.  A scenario may assume the
    # nation changes the enacted schedule (a national policy assumption, not a city lever).
    E(const("super_deduction_extra", 0.0, "dimensionless", bounds=(0, 1),
            en="National policy assumption: additional deduction beyond the enacted national schedule",
            zh="国家政策假设: 超出现行国家加计扣除政策的额外比例",
            source=S.L_SUPER + "; default 0: the enacted schedule (001 二(一)2 only publicises and implements it)"))
    E(aux("super_deduction_rate",
          "manufacturing_rd_share * lookup(super_deduction_manufacturing, time)"
          " + (1 - manufacturing_rd_share) * lookup(super_deduction_other, time) + super_deduction_extra",
          "dimensionless", en="Weighted additional deduction rate on R&D", zh="加权研发费用加计扣除比例", source=S.L_SUPER))
    E(const("standard_cit_rate", 0.25, "dimensionless", en="Standard corporate income-tax rate", zh="企业所得税基本税率",
            source=S.L_HTE_RULES))
    E(const("hte_income_tax_rate", 0.15, "dimensionless", bounds=(0.10, 0.25),
            en="National policy assumption: income-tax rate of high-tech enterprises", zh="国家政策假设: 高新技术企业所得税税率",
            source=S.L_HTE_RULES + "; national tax law, not a city lever"))
    E(const("hte_profit_to_rd_ratio", 2.0, "dimensionless", bounds=(1.2, 3.3),
            en="Taxable profit per CNY of R&D for firms at the HTE threshold", zh="门槛高企利润与研发之比",
            source="assumption: R&D 3–5% of sales and 6–10% margins; " + S.L_CHEN))
    E(const("rd_post_subsidy_rate", 0.03, "dimensionless", bounds=(0, 0.2),
            en="Lever: local R&D post-subsidy as a share of enterprise R&D declared", zh="杠杆: 企业研发投入后补助比例",
            source=S.S002_SUBSIDY + "; 002 一(一) 《邢台市促进全社会加大研发投入激励办法》; rate an assumption"))
    # Post-subsidies are paid after the fact on the R&D firms declared the year before, out of the
    # enterprise-R&D line of the S&T budget: the rate the budget can pay is the effective rate.
    E(const("rd_declaration_lag", 1, "year", en="Time from R&D spent to its post-subsidy", zh="研发投入后补助的滞后",
          source=S.S002_SUBSIDY + " (后补助: paid on the previous year's declared R&D)"))
    E(aux("rd_declared_previous_year", "smooth(private_rd_real * rd_relabelling_factor, rd_declaration_lag, private_rd_base)",
          "hundred_million_CNY/year", en="Private enterprise R&D declared for post-subsidy (the year before)",
          zh="申报后补助的企业研发投入(上年)", source=S.S002_SUBSIDY))
    E(aux("rd_post_subsidy_effective_rate",
          "min(rd_post_subsidy_rate, enterprise_rd_support_budget / max(1e-9, rd_declared_previous_year))",
          "dimensionless", en="Post-subsidy rate the S&T budget can pay", zh="财政可支付的研发后补助比例",
          source=S.S002_SUBSIDY + "; capped by fiscal_st_spending × fiscal_share_to_business_rd"))
    E(aux("post_subsidy_payments", "rd_post_subsidy_effective_rate * rd_declared_previous_year", "hundred_million_CNY/year",
          en="R&D post-subsidies paid", zh="研发投入后补助支出", source=S.S002_SUBSIDY))
    # B-index of a firm paying the standard rate: 1 CNY of R&D costs (1 - t(1+d))/(1 - t).
    E(aux("user_cost_standard", "(1 - standard_cit_rate * (1 + super_deduction_rate)) / (1 - standard_cit_rate)",
          "dimensionless", en="R&D user cost (B-index) at the standard tax rate", zh="研发使用成本(标准税率)",
          source=S.L_SUPER))
    # At the HTE notch, the tax cut on profits is earned by doing the threshold R&D, which
    # acts as a subsidy of (0.25 - t_HTE) × profit / R&D on that R&D.
    E(aux("hte_notch_subsidy", "(standard_cit_rate - hte_income_tax_rate) * hte_profit_to_rd_ratio", "dimensionless",
          en="Implicit R&D subsidy of the HTE tax notch", zh="高企税收门槛的隐性研发补贴", source=S.L_CHEN))
    E(aux("user_cost_hte",
          "(1 - hte_income_tax_rate * (1 + super_deduction_rate)) / (1 - hte_income_tax_rate) * (1 - hte_notch_subsidy)",
          "dimensionless", en="R&D user cost of high-tech enterprises", zh="高企研发使用成本", source=S.L_CHEN))
    E(aux("rd_user_cost",
          "max(0.05, (hte_rd_share * user_cost_hte + (1 - hte_rd_share) * user_cost_standard)"
          " * (1 - rd_post_subsidy_effective_rate))",
          "dimensionless", en="Average user cost of enterprise R&D", zh="企业研发平均使用成本", source=S.L_CHEN))
    # The same B-index under 2015 policy; the ratio isolates policy changes since 2015.
    E(const("reference_deduction_rate", 0.5, "dimensionless", en="Additional deduction rate in 2015 (reference)",
            zh="2015年加计扣除比例(参照)", source=S.L_SUPER))
    E(const("reference_hte_income_tax_rate", 0.15, "dimensionless", en="HTE income-tax rate in 2015 (reference)",
            zh="2015年高企税率(参照)", source=S.L_HTE_RULES))
    E(const("reference_post_subsidy_rate", 0.03, "dimensionless",
            en="Post-subsidy rate under the calibration-period policy (reference)", zh="后补助比例(参照)",
            source="assumption: equals the lever default; do not change in scenarios"))
    E(aux("rd_user_cost_reference",
          "(hte_rd_share * (1 - reference_hte_income_tax_rate * (1 + reference_deduction_rate))"
          " / (1 - reference_hte_income_tax_rate)"
          " * (1 - (standard_cit_rate - reference_hte_income_tax_rate) * hte_profit_to_rd_ratio)"
          " + (1 - hte_rd_share) * (1 - standard_cit_rate * (1 + reference_deduction_rate)) / (1 - standard_cit_rate))"
          " * (1 - reference_post_subsidy_rate)",
          "dimensionless", en="User cost of R&D under 2015 policy", zh="2015年政策下的研发使用成本", source=S.L_CHEN))
    E(aux("rd_user_cost_ratio", "rd_user_cost / rd_user_cost_reference", "dimensionless",
          en="User cost of R&D relative to 2015 policy", zh="研发使用成本相对2015年", source=S.L_CHEN))
    E(const("rd_user_cost_elasticity_real", 1.14, "dimensionless", bounds=(0.34, 2.0),
            en="User-cost elasticity of real R&D", zh="真实研发的使用成本弹性", source=S.L_CHEN))
    E(const("rd_user_cost_elasticity_reported", 2.0, "dimensionless", bounds=(1, 3),
            en="User-cost elasticity of reported R&D (includes relabelling)", zh="统计研发的使用成本弹性", source=S.L_CHEN))
    E(const("rd_budget_adjustment_time", 1, "year", en="Time firms take to adjust R&D budgets to tax changes",
            zh="企业研发预算调整时间", source="assumption: annual budgeting and tax filing"))
    E(aux("rd_tax_response_real", "smooth(rd_user_cost_ratio ** (-rd_user_cost_elasticity_real), rd_budget_adjustment_time)",
          "dimensionless", en="Real R&D multiplier from tax incentives since 2015", zh="税收激励对真实研发的乘数",
          source=S.L_CHEN))
    E(aux("rd_tax_response_reported",
          "smooth(rd_user_cost_ratio ** (-rd_user_cost_elasticity_reported), rd_budget_adjustment_time)",
          "dimensionless", en="Reported R&D multiplier from tax incentives since 2015", zh="税收激励对统计研发的乘数",
          source=S.L_CHEN))
    E(aux("rd_relabelling_factor", "rd_tax_response_reported / rd_tax_response_real", "dimensionless",
          en="Reported over real private R&D: relabelling induced by tax incentives", zh="研发费用归集(重新分类)系数",
          source=S.L_CHEN + "; " + S.L_CHEN_NBER))

    # --- science-tech finance ---
    E(const("init_science_tech_loans", 20, "hundred_million_CNY", en="Outstanding science-tech loans, end-2015",
            zh="科技企业贷款余额(2015年末)", source="assumption: only its growth matters (index)"))
    E(stock("science_tech_loans", "init_science_tech_loans", "hundred_million_CNY", inflows=["science_loan_growth"],
            en="Outstanding loans to science-tech firms (credit, IP pledge)", zh="科技企业贷款余额", source=S.S001_FINANCE))
    E(const("science_finance_growth", 0.10, "1/year", bounds=(0, 0.3),
            en="Lever: yearly growth of science-tech lending", zh="杠杆: 科技企业贷款年增长率",
            source=S.S001_FINANCE + "; " + S.S002_FINANCE))
    E(flow("science_loan_growth", "science_tech_loans * science_finance_growth", "hundred_million_CNY/year",
           en="Yearly growth of science-tech loans", zh="科技企业贷款增加", source=S.S001_FINANCE))
    E(aux("science_loans", "science_loan_growth", "hundred_million_CNY/year",
          en="New lending to science-tech firms during the year (net increase of outstanding loans)",
          zh="新增科技企业贷款规模", source=S.S001_FINANCE))
    E(aux("science_finance_index", "max(science_tech_loans, 0.01) / max(init_science_tech_loans, 0.01)", "dimensionless",
          en="Science-tech lending relative to 2015", zh="科技信贷指数", source=S.S001_FINANCE))
    E(const("science_finance_rd_elasticity", 0.1, "dimensionless", bounds=(0.05, 0.15), en="Elasticity of private R&D to science-tech lending",
            zh="企业研发对科技信贷的弹性", source="assumption: finance eases constraints for a minority of firms"))

    # --- vouchers, key projects, SOEs ---
    E(const("innovation_voucher_budget", 0.05, "hundred_million_CNY/year", bounds=(0, 0.5),
            en="Lever: innovation-voucher (科技创新券) budget", zh="杠杆: 科技创新券年度额度",
            source=S.S001_VOUCHER + "; 000 三(四)2 大力推广科技创新券制度; 5 M CNY default an assumption"))
    E(const("voucher_additionality", 0.8, "dimensionless", bounds=(0, 1), en="Share of vouchers funding projects that would not happen otherwise",
            zh="创新券的额外性比例", source=S.L_VOUCHER))
    E(const("voucher_copay_ratio", 1.0, "dimensionless", bounds=(0.5, 1.5), en="Firm co-payment per CNY of voucher",
            zh="企业配套资金与创新券之比", source="assumption: vouchers typically cover half of the service price"))
    E(aux("voucher_rd", "innovation_voucher_budget * voucher_additionality * (1 + voucher_copay_ratio)",
          "hundred_million_CNY/year", en="Additional R&D services bought with innovation vouchers", zh="创新券带动的研发服务",
          source=S.L_VOUCHER))
    E(const("key_project_funding", 0.5, "hundred_million_CNY/year", bounds=(0, 3),
            en="Lever: municipal funding of key R&D, core-technology and achievement-transfer projects",
            zh="杠杆: 市级重点研发、关键核心技术攻关和成果转化项目资金",
            source=S.S001_KEY_PROJECTS + "; 50 M CNY default an assumption"))
    E(const("key_project_matching_ratio", 1.0, "dimensionless", bounds=(0.5, 1.5), en="Enterprise matching funds per CNY of project funding",
            zh="企业对项目资金的配套比例", source="assumption: 1:1 matching is the usual requirement"))
    E(aux("key_project_rd", "key_project_funding * (1 + key_project_matching_ratio)", "hundred_million_CNY/year",
          en="R&D done in funded key projects (public + matching)", zh="重点项目研发投入", source=S.S001_KEY_PROJECTS))
    E(const("init_soe_rd_expenditure", 0.8, "hundred_million_CNY/year", bounds=(0.4, 1.2), en="R&D of city-owned SOEs, 2015",
            zh="市属国有企业研发投入(2015年)", source="assumption: no published series; small city SASAC portfolio"))
    E(stock("soe_rd_expenditure", "init_soe_rd_expenditure", "hundred_million_CNY/year", inflows=["soe_rd_change"],
            en="R&D expenditure of city-owned SOEs", zh="市国资委监管企业研发投入", source=S.S001_SOE))
    E(const("soe_rd_growth", 0.08, "1/year", bounds=(0, 0.3), en="Lever: yearly growth of SOE R&D",
            zh="杠杆: 国有企业研发投入年增长率",
            source=S.S001_SOE + "; 2020 default 8% an assumption (the 20% rule dates from 2023)"))
    E(flow("soe_rd_change", "soe_rd_expenditure * soe_rd_growth", "hundred_million_CNY/year/year",
           en="Yearly change of SOE R&D", zh="国有企业研发投入年变化", source=S.S001_SOE))

    # --- totals: the budget, and what the staff can perform of it ---
    E(aux("private_rd_real", "private_rd_base * rd_tax_response_real * science_finance_index ** science_finance_rd_elasticity"
          " * enterprise_rd_growth_error_multiplier",
          "hundred_million_CNY/year", en="Real private enterprise R&D budget", zh="民营企业真实研发预算", source=S.L_CHEN))
    E(aux("business_rd_budget",
          "private_rd_real + soe_rd_expenditure + business_rd_grants * (1 + grant_leverage) + voucher_rd + key_project_rd",
          "hundred_million_CNY/year", en="Enterprise R&D budget (what firms would spend with the staff to do it)",
          zh="企业研发预算", source="assumption: sum of components"))
    E(aux("rd_budget", "business_rd_budget + university_institute_rd", "hundred_million_CNY/year",
          en="Total R&D budget of all performers", zh="全社会研发预算", source="assumption: sum of performers"))
    # R&D is done by people: with fewer researchers than the budget can pay, part of it is not spent.
    E(const("rd_staffing_elasticity", 0.7, "dimensionless", bounds=(0.3, 1.0),
            en="Elasticity of R&D performed to the staffing ratio when staff are short",
            zh="研发人员短缺时研发执行对配备率的弹性",
            source="assumption: R&D is labour-intensive and researchers are hard to substitute in the short run; "
                   + S.L_PATENT_KPF + " (labour a major input of knowledge production)"))
    E(aux("rd_staffing_ratio", "rd_personnel / max(1e-9, desired_rd_personnel)", "dimensionless",
          en="R&D staff relative to the staff the R&D budget can pay", zh="研发人员配备率",
          source=S.S002_TALENT_SHORTAGE))
    E(aux("rd_staffing_effect", "min(1, rd_staffing_ratio) ** rd_staffing_elasticity", "dimensionless",
          en="Share of the R&D budget the available staff can perform", zh="研发人员对研发执行的约束",
          source=S.S002_TALENT_SHORTAGE))
    E(aux("business_rd_real", "business_rd_budget * rd_staffing_effect",
          "hundred_million_CNY/year", en="Real enterprise R&D performed", zh="企业真实研发经费",
          source="assumption: budget × staffing"))
    E(aux("rd_expenditure_real", "rd_budget * rd_staffing_effect", "hundred_million_CNY/year",
          en="Real total R&D expenditure performed", zh="全社会真实研发经费", source="assumption: budget × staffing"))
    E(const("init_rd_statistical_coverage", 0.8, "dimensionless", bounds=(0.6, 0.95),
            en="Share of enterprise R&D captured by statistics, 2015", zh="企业研发统计覆盖率(2015年)",
            source="assumption: 002 asks 数据“应统尽统”, implying incomplete capture"))
    E(stock("rd_statistical_coverage", "init_rd_statistical_coverage", "dimensionless", inflows=["rd_coverage_gain"],
            en="Share of enterprise R&D captured by statistics", zh="企业研发统计覆盖率", source=S.S002_STATS))
    E(const("rd_statistical_capture", 0.1, "1/year", bounds=(0, 0.6),
            en="Lever: yearly share of the uncaptured R&D brought into statistics (应统尽统)",
            zh="杠杆: 研发统计应统尽统力度(年补漏比例)", source=S.S002_STATS + "; default an assumption"))
    E(flow("rd_coverage_gain", "(1 - rd_statistical_coverage) * rd_statistical_capture * rd_coverage_error_multiplier", "1/year",
           en="Rise of statistical coverage", zh="统计覆盖率提高", source=S.S002_STATS))
    E(aux("business_rd_reported",
          "rd_statistical_coverage * rd_staffing_effect * (private_rd_real * rd_relabelling_factor + soe_rd_expenditure"
          " + business_rd_grants * (1 + grant_leverage) + voucher_rd + key_project_rd)",
          "hundred_million_CNY/year", en="Reported enterprise R&D", zh="统计的企业研发经费", source=S.S002_STATS))
    E(aux("enterprise_rd_expenditure", "business_rd_reported", "hundred_million_CNY/year",
          en="Reported R&D expenditure of enterprises", zh="企业研发资金投入",
          source="003 五(二)5: 引导企业不断提高研发资金投入，年增长达到15%以上"))
    E(aux("rd_expenditure_reported", "business_rd_reported + university_institute_rd * rd_staffing_effect",
          "hundred_million_CNY/year",
          en="Reported total R&D expenditure (全社会研发经费)", zh="全社会研发经费(统计值)",
          source="observations_to_2020.csv: ≈19 亿 in 2020 (derived from 001 38亿 2025 = 2× 2020, 002)"))
    E(const("growth_estimation_time", 1, "year", en="Averaging time of the growth-rate estimate", zh="增长率估计平滑时间",
            source="assumption: year-on-year growth"))
    E(const("rd_growth_initial_estimate", 0.10, "1/year", bounds=(0.05, 0.15), en="Growth of reported R&D assumed before 2015",
            zh="2015年前研发经费增长率(初始化)",
            source="assumption: Hebei R&D grew ~12%/yr 2012–2016 (observations_to_2020.csv, 310.78 → 494.19 亿)"))
    E(aux("rd_reported_trailing",
          "smooth(rd_expenditure_reported, growth_estimation_time,"
          " rd_expenditure_reported / (1 + rd_growth_initial_estimate * growth_estimation_time))",
          "hundred_million_CNY/year", en="Reported R&D smoothed over a year (trailing value)", zh="研发经费(一年平滑)",
          source="assumption: growth estimator, see module docstring"))
    # In steady growth at rate g a first-order smooth lags x by x·gτ/(1+gτ), so this is g.
    E(aux("rd_growth_reported", "(rd_expenditure_reported - rd_reported_trailing) / (growth_estimation_time * max(rd_reported_trailing, 1e-6))",
          "1/year", en="Growth rate of reported total R&D", zh="全社会研发经费增长率",
          source=S.S002_TABLE + ": 4.43% (2020), 年均增长15% (2022, 2025)"))
    E(aux("rd_intensity", "rd_expenditure_reported / max(gdp, 1)", "dimensionless", en="R&D intensity (reported R&D / GDP)",
          zh="研发投入强度", source=S.S001_TARGETS + ": 研发投入强度达到2.5% (2027)"))

    # --- basic research ---
    E(const("public_basic_research_share_2015", 0.010, "dimensionless", bounds=(0.005, 0.015),
            en="Basic-research share of university/institute R&D, 2015", zh="高校院所研发中基础研究比重(2015年)",
            source="assumption: calibrated on the basic-research share 0.13% (2020, 002 指标表)"))
    E(const("basic_research_drift", 0.05, "1/year", bounds=(0.025, 0.075), en="Yearly drift of the basic-research share of public R&D",
            zh="高校院所基础研究比重年漂移", source="assumption: national push for basic research"))
    E(const("drift_base_year", 2015, "year", en="Base year of exogenous drifts", zh="外生趋势基年",
            source="assumption: model start year"))
    E(const("basic_research_fiscal_share", 0.002, "dimensionless", bounds=(0, 0.05),
            en="Lever: share of fiscal S&T spending earmarked for basic research", zh="杠杆: 财政科技支出中基础研究比例",
            source="002 五(三): 加大对基础研究、关键核心技术攻关 ... 的支持; default an assumption"))
    E(aux("public_basic_research_share",
          "min(0.5, public_basic_research_share_2015 * exp(basic_research_drift * (time - drift_base_year)))",
          "dimensionless", en="Basic-research share of university/institute R&D", zh="高校院所研发中基础研究比重",
          source="assumption: see basic_research_drift"))
    E(aux("basic_research_spending",
          "university_institute_rd * public_basic_research_share + fiscal_st_spending * basic_research_fiscal_share",
          "hundred_million_CNY/year", en="Basic-research expenditure", zh="基础研究经费", source=S.S002_TABLE))
    E(aux("basic_research_share", "basic_research_spending / max(rd_expenditure_reported, 1e-6)", "dimensionless",
          en="Basic-research share of total R&D", zh="基础研究经费占全社会研发经费比重",
          source=S.S002_TABLE + ": 0.13% (2020), 0.2% (2022), 0.3% (2025)"))

    # ------------------------------------------------------------------ R&D capital --
    E(const("init_rd_capital", 48, "hundred_million_CNY", bounds=(24, 72), en="R&D capital stock, end-2015", zh="研发资本存量(2015年末)",
            source="assumption: perpetual-inventory steady state ≈ R&D_2015/(g+δ) ≈ 11/(0.08+0.15); " + S.L_PIM))
    E(stock("rd_capital", "init_rd_capital", "hundred_million_CNY", inflows=["rd_investment"], outflows=["rd_depreciation"],
            en="R&D capital stock (perpetual inventory)", zh="研发资本存量", source=S.L_PIM))
    E(flow("rd_investment", "rd_expenditure_real", "hundred_million_CNY/year", en="Real R&D added to the R&D capital stock",
           zh="研发投入形成资本", source=S.L_PIM))
    E(const("rd_depreciation_rate", 0.15, "1/year", bounds=(0.1, 0.3), en="Depreciation rate of R&D capital",
            zh="研发资本折旧率", source=S.L_HALL_DEP))
    E(flow("rd_depreciation", "rd_capital * rd_depreciation_rate", "hundred_million_CNY/year",
           en="Depreciation of R&D capital", zh="研发资本折旧", source=S.L_HALL_DEP))
    E(aux("rd_capital_index", "max(rd_capital, 0.01) / max(init_rd_capital, 0.01)", "dimensionless",
          en="R&D capital relative to the start (floor of 1 M CNY)", zh="研发资本指数(起始=1)", source="definition"))
    E(aux("rd_capital_intensity_index", "rd_capital_index / firm_scale_index", "dimensionless",
          en="R&D capital per unit of GDP relative to 2015", zh="研发资本强度指数(2015=1)",
          source="assumption: intensity measure used by certification and formation"))
    # ------------------------------------------------------------- the province's R&D --
    # 001 asks the city's R&D to grow faster than the province's: the province's R&D is an
    # exogenous series (Hebei by default), growing at an assumed rate with a prior built from
    # Hebei's history; the city's share of it rises exactly when the city grows faster.
    E(const("init_province_rd_expenditure", 440, "hundred_million_CNY/year",
            en="R&D expenditure of the province (Hebei), 2015", zh="全省研发经费(2015年)",
            source=S.OBS_HEBEI_RD + "; derived: the 2012-2016 growth (12.3 %/yr) applied from 2012 to 2015"))
    E(const("province_rd_growth_rate", 0.093, "1/year", bounds=(-0.05, 0.25),
            en="Exogenous assumption: yearly growth of the province's R&D expenditure", zh="外生假设: 全省研发经费年增长率",
            source="assumption: Hebei grew 12.3 %/yr in 2012-2016 and 6.4 %/yr in 2016-2020, 9.3 %/yr over 2012-2020 ("
                   + S.OBS_HEBEI_RD + "); a prior in calibration/priors.csv, a scenario may set a path (exogenous)"))
    E(stock("province_rd_expenditure", "init_province_rd_expenditure", "hundred_million_CNY/year",
            inflows=["province_rd_change"], en="R&D expenditure of the province (exogenous)", zh="全省研发经费(外生)",
            source=S.OBS_HEBEI_RD))
    E(flow("province_rd_change", "province_rd_expenditure * province_rd_growth_rate", "hundred_million_CNY/year/year",
           en="Yearly change of the province's R&D", zh="全省研发经费年变化", source="assumption: exogenous growth"))
    # measured against at least 1 亿 so a province without R&D gives a finite share
    E(aux("rd_share_of_province", "rd_expenditure_reported / max(province_rd_expenditure, 1)", "dimensionless",
          en="The city's reported R&D as a share of the province's", zh="全市研发经费占全省比重",
          source=S.S001_RD_ABOVE_PROVINCE))

    # ----------------------------------------------------------- provincial S&T funds --
    # Part of the key R&D projects the city runs are provincial projects, each bringing a
    # provincial grant.  An output only: the money is not added to R&D separately (it is
    # part of the project R&D already counted).
    E(const("provincial_project_share", 0.63, "dimensionless", bounds=(0.315, 0.945),
            en="Share of key R&D projects funded by the province", zh="重点研发项目中获省科技资金支持比例",
            source="assumption: 72 provincial projects in 2020 (" + S.OBS_ST_FUNDS + ") against ≈110 key projects a year"))
    E(const("provincial_grant_per_project", 0.0136, "hundred_million_CNY/project",
            en="Provincial S&T funds per provincial project", zh="每个省级项目获省科技资金",
            source=S.OBS_ST_FUNDS + " (9826万 / 72 ≈ 136万 per project)"))
    E(aux("provincial_st_funds_obtained", "key_rd_project_starts * provincial_project_share * provincial_grant_per_project",
          "hundred_million_CNY/year", en="Provincial S&T funds won by local projects (not local fiscal S&T spending)",
          zh="争取省科技资金", source=S.OBS_ST_FUNDS))
    return with_sector(els, "rd")
