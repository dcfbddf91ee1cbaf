"""Technology market: one deal volume, two published measures.

Mechanisms
----------
* **One underlying deal volume** (``tech_deal_volume``, 亿元/年) has four sources:
  (a) local deals, driven by the buyers (HTE count), the knowledge to sell (valid invention
  patents), technology brokers (a capacity multiplier with diminishing returns: brokers matter
  most when few) and university transfer offices; no clock drives them, so the 2016-2020
  growth has to come from these mechanisms; (b) contracts with Beijing and Tianjin parties:
  the city's links (a stock growing at the lever ``bjt_collaboration_growth``, 001: +10 %/yr)
  times what local firms can absorb (HTEs); (c) services brokered by S&T commissioners;
  (d) services bought with innovation vouchers.
* **Two measures of it.**  002 reports both the contract turnover (技术合同成交总额, 19 亿 in
  2020, indicator table) and the registered value (技术合同交易登记额, 35.9 亿 in 2020,
  section 一).  The model treats turnover as the deal volume and the registered value as a
  fixed multiple of it (``registered_to_turnover_ratio``).  The only evidence for the ratio
  is the single 2020 pair (35.9 / 19 ≈ 1.89); a plausible reading is that registrations
  count both sides (contracts bought and sold) — an assumption.  The 002/001 targets
  (39 → 42 → 50 亿) are stated as 成交总额 (turnover) and are scored on turnover, each on its
  own measure (calibration/targets.csv ``measure``); they look like a continuation of the
  registered series (+≈4 亿/yr from 35.9), which is why turnover falls far short of them.

* **The national tax rule on technology-transfer income** (exempt up to 5 M CNY a year, 2008
  law) is in force throughout: a scenario may assume another rule
  (``tech_transfer_income_tax_rate``, a national assumption), which scales local deals by the
  seller's after-tax share to the power ``deal_tax_elasticity``.
* **Transfer institutions.**  Technology-transfer service institutions are staffed by the
  brokers of the talent sector (a fixed staff per institution); the share of undergraduate
  universities with a transfer office rises toward full coverage at the lever
  ``university_tto_setup_rate``.

Feedback loops
--------------
* Knowledge → deals → major achievement transfers (knowledge sector); R&D → patents → deals.
* Brokers: balancing through saturation (diminishing returns of broker capacity).
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append
    E(const("local_deal_volume_2015", 1.4, "hundred_million_CNY/year", bounds=(0.5, 2.5),
            en="Local technology-contract turnover at 2015 inputs", zh="本地技术合同成交额(2015年投入水平)",
            source="assumption: calibrated on registered value 7.87 (2016) → 35.9 亿 (2020), 002 一(一)"))
    E(const("deal_firm_elasticity", 1.3, "dimensionless", bounds=(0.3, 1.8),
            en="Elasticity of local deals to the number of HTEs (buyers)", zh="技术交易对高企数量的弹性",
            source="assumption: calibrated; HTEs are the main buyers and sellers of technology"))
    E(const("deal_knowledge_elasticity", 0.9, "dimensionless", bounds=(0, 1.5),
            en="Elasticity of local deals to valid invention patents (knowledge to trade)", zh="技术交易对有效发明专利的弹性",
            source="assumption: patents are what is licensed and transferred; " + S.L_BROKERS))
    E(const("broker_max_uplift", 1.0, "dimensionless", bounds=(0.5, 1.5), en="Largest proportional increase of deals brokers can bring",
            zh="技术经理人最大带动倍数", source=S.L_BROKERS))
    E(const("broker_half_saturation", 100, "person", bounds=(50, 150), en="Broker count at which half of the uplift is reached",
            zh="技术经理人带动效应半饱和人数", source="assumption: 002 targets 200 transfer staff by 2025"))
    # Brokers raise deal volume with diminishing returns; normalised to 1 at the 2015 staff.
    E(aux("broker_capacity_multiplier",
          "(1 + broker_max_uplift * tech_transfer_staff / (tech_transfer_staff + broker_half_saturation))"
          " / (1 + broker_max_uplift * init_tech_transfer_staff / (init_tech_transfer_staff + broker_half_saturation))",
          "dimensionless", en="Multiplier of local deals from technology brokers (2015 = 1)", zh="技术经理人对技术交易的乘数",
          source=S.L_BROKERS))
    # University transfer offices bring university knowledge to market (002 四(六)1).
    E(const("tto_max_uplift", 0.3, "dimensionless", bounds=(0, 1),
            en="Largest proportional increase of local deals when every university has a transfer office",
            zh="高校技术转移机构全覆盖时技术交易最大增幅",
            source="assumption: Xingtai's universities are small teaching universities (" + S.S002_UNIVERSITIES + ")"))
    E(aux("transfer_office_multiplier",
          "(1 + tto_max_uplift * university_tto_coverage) / (1 + tto_max_uplift * init_university_tto_coverage)",
          "dimensionless", en="Multiplier of local deals from university transfer offices (2015 = 1)",
          zh="高校技术转移机构对技术交易的乘数", source=S.S002_TTO))
    # The national exemption of technology-transfer income from corporate income tax has been in
    # force throughout (2008 law), so the calibrated deal volume includes it; a scenario assuming
    # another national rule changes what sellers keep of a deal, and deals respond.
    E(const("tech_transfer_income_tax_rate", 0.0, "dimensionless", bounds=(0, 0.25),
            en="National policy assumption: effective corporate income-tax rate on technology-transfer income",
            zh="国家政策假设: 技术转让所得的实际企业所得税税率",
            source=S.L_TRANSFER_TAX + "; 0 = the exemption in force (a scenario may assume another national rule)"))
    E(const("reference_tech_transfer_tax_rate", 0.0, "dimensionless",
            en="Effective tax rate on technology-transfer income under the rule of the calibration period (reference)",
            zh="校准期技术转让所得实际税率(参照)",
            source=S.L_TRANSFER_TAX + "; equals the assumption's default: do not change in scenarios"))
    E(const("deal_tax_elasticity", 1.0, "dimensionless", bounds=(0.2, 2.0),
            en="Elasticity of local technology deals to the seller's after-tax share of transfer income",
            zh="技术交易对转让方税后收益比例的弹性",
            source="assumption: no estimate found; sellers of small deals (universities, SMEs) respond about one for one"))
    E(aux("transfer_tax_multiplier",
          "((1 - tech_transfer_income_tax_rate) / (1 - reference_tech_transfer_tax_rate)) ** deal_tax_elasticity",
          "dimensionless", en="Multiplier of local deals from the tax on technology-transfer income (calibration rule = 1)",
          zh="技术转让所得税对本地技术交易的乘数", source=S.L_TRANSFER_TAX))
    # Local deals: buyers (HTEs), knowledge to sell (valid invention patents), the people who
    # broker deals and the offices that bring university results to market.  No clock: the
    # 2016-2020 growth (+46 %/yr registered) must come from these drivers.
    E(aux("local_deal_volume",
          "local_deal_volume_2015 * hte_index ** deal_firm_elasticity"
          " * valid_patent_index ** deal_knowledge_elasticity"
          " * broker_capacity_multiplier * transfer_office_multiplier * transfer_tax_multiplier",
          "hundred_million_CNY/year", en="Technology contracts among local parties", zh="本地技术合同成交额",
          source="assumption: buyers × knowledge × brokers × transfer offices × the transfer-income tax rule"))

    # Beijing-Tianjin contracts: the links the city builds (a stock growing at the lever rate)
    # times what local firms can absorb (HTEs).
    E(const("init_bjt_tech_contracts", 0.5, "hundred_million_CNY/year", bounds=(0.25, 0.75), en="Beijing-Tianjin technology contracts, 2015",
            zh="吸纳京津技术合同成交额(2015年)", source="assumption: no Xingtai series; a small share of deals in 2015"))
    E(stock("bjt_collaboration_links", "init_bjt_tech_contracts", "hundred_million_CNY/year",
            inflows=["bjt_link_growth"],
            en="Beijing-Tianjin technology links of the city (contracts they would bring at 2015 absorptive capacity)",
            zh="京津技术合作渠道(按2015年吸纳能力计的合同额)", source=S.S001_BJT))
    E(const("bjt_collaboration_growth", 0.10, "1/year", bounds=(0, 0.3),
            en="Lever: yearly growth of the city's Beijing-Tianjin technology links (cooperation agreements, "
               "joint institutes, flexible talent)", zh="杠杆: 京津技术合作渠道年增长率",
            source=S.S001_BJT + "; " + S.L_BJT))
    E(flow("bjt_link_growth", "bjt_collaboration_links * bjt_collaboration_growth", "hundred_million_CNY/year/year",
           en="Yearly growth of Beijing-Tianjin links", zh="京津技术合作渠道年增加", source=S.S001_BJT))
    E(const("bjt_absorption_elasticity", 0.5, "dimensionless", bounds=(0, 1.2),
            en="Elasticity of Beijing-Tianjin contracts to the number of HTEs (absorptive capacity)",
            zh="吸纳京津技术合同对高企数量的弹性",
            source="assumption: firms able to use external technology are the buyers; " + S.L_BJT))
    E(aux("bjt_tech_contracts", "bjt_collaboration_links * hte_index ** bjt_absorption_elasticity",
          "hundred_million_CNY/year", en="Technology contracts with Beijing and Tianjin parties",
          zh="吸纳京津技术合同成交额", source=S.S001_BJT))

    E(const("st_commissioners", 600, "person", bounds=(0, 3000),
            en="Lever: active S&T commissioners (科技特派员)", zh="杠杆: 在岗科技特派员人数",
            source=S.S001_COMMISSIONERS + "; 002 一(一) 全面深入推行科技特派员制度; default 600 an assumption"))
    E(const("deal_value_per_commissioner", 0.001, "hundred_million_CNY/person/year", bounds=(0.0005, 0.0015),
            en="Technology-service contracts brokered per commissioner per year", zh="每名科技特派员年促成技术服务合同额",
            source="assumption: ~100k CNY a year of small service contracts"))
    E(aux("commissioner_deals", "st_commissioners * deal_value_per_commissioner", "hundred_million_CNY/year",
          en="Technology-service contracts brokered by S&T commissioners", zh="科技特派员促成的技术合同",
          source=S.S001_COMMISSIONERS))
    E(aux("voucher_deals", "voucher_rd", "hundred_million_CNY/year",
          en="Technology-service contracts paid with innovation vouchers (and co-payment)", zh="创新券支付的技术服务合同",
          source=S.L_VOUCHER))

    E(aux("tech_deal_volume", "(local_deal_volume + bjt_tech_contracts + commissioner_deals + voucher_deals)"
          " * tech_deals_error_multiplier",
          "hundred_million_CNY/year", en="Underlying technology-deal volume", zh="技术交易量(基础量)",
          source=S.S002_CONTRACTS + "; " + S.S002_TABLE + " (技术合同成交总额 19): one deal volume behind both measures"))
    E(aux("tech_contract_turnover", "tech_deal_volume", "hundred_million_CNY/year",
          en="Technology-contract turnover (成交总额)", zh="技术合同成交总额",
          source=S.S002_TABLE + ": 19 (2020), 39 (2022), 50 (2025)"))
    E(const("registered_to_turnover_ratio", 1.89, "dimensionless", bounds=(1.0, 3.0),
            en="Registered contract value per unit of turnover", zh="技术合同登记额与成交额之比",
            source="assumption: only evidence is 2020, 35.9 (002 一(一)) vs 19 (002 指标表) = 1.89"))
    E(aux("tech_contract_registered", "tech_deal_volume * registered_to_turnover_ratio", "hundred_million_CNY/year",
          en="Registered technology-contract value (交易登记额)", zh="技术合同交易登记额", source=S.S002_CONTRACTS))
    # ------------------------------------------------------ transfer institutions --
    # Transfer service institutions are staffed by brokers: their number follows the
    # transfer staff (talent), so broker training builds institutions.
    E(const("transfer_staff_per_institution", 8, "person/platform", bounds=(4, 12),
            en="Technology-transfer staff per transfer service institution", zh="每家技术转移服务机构技术转移人才数",
            source="assumption: small offices; 002 targets 200 staff (2025) and +1 institution (2022)"))
    E(aux("tech_transfer_institutions", "tech_transfer_staff / transfer_staff_per_institution", "platform",
          en="Technology-transfer service institutions", zh="技术转移服务机构", source=S.S002_TTO))
    # Undergraduate universities set up transfer offices at the lever rate (a share of those without one a year).
    E(const("undergraduate_universities", 2, "dimensionless", en="Undergraduate universities of the city (count)",
            zh="本科院校数", source="assumption: 邢台学院 and 河北科技工程职业技术大学 (" + S.S002_UNIVERSITIES + ")"))
    E(const("init_university_tto_coverage", 0.5, "dimensionless", bounds=(0.25, 0.75),
            en="Share of undergraduate universities with a technology-transfer office, end-2015", zh="本科院校技术转移机构覆盖率(2015年末)",
            source="assumption: one of the two"))
    E(stock("university_tto_coverage", "init_university_tto_coverage", "dimensionless", inflows=["university_tto_setups"],
            en="Share of undergraduate universities with a technology-transfer office", zh="本科院校技术转移机构覆盖率",
            source=S.S002_TTO + "; " + S.S001_BROKERS))
    E(const("university_tto_setup_rate", 0.1, "1/year", bounds=(0, 1),
            en="Lever: yearly share of universities without a transfer office that set one up", zh="杠杆: 高校年设立技术转移机构比例",
            source=S.S002_TTO + "; default an assumption"))
    E(flow("university_tto_setups", "(1 - university_tto_coverage) * university_tto_setup_rate", "1/year",
           en="Rise of university transfer-office coverage", zh="高校技术转移机构覆盖率提高", source=S.S002_TTO))
    return with_sector(els, "tech_market")
