"""Knowledge: invention patents, high-value patents, key projects, achievement transfers, awards.

Mechanisms
----------
* **Invention-patent applications** follow a knowledge production function of R&D capital
  and R&D personnel (elasticities: capital 0.5–1.0 from the literature, personnel smaller
  as Chinese KPF studies find), both relative to 2015, and of the innovation-platform index.
* **Grants** arrive after examination: a third-order delay of 1.5 years (pendency ≈16
  months) on the granted share of applications.  **Valid invention patents** lapse at a
  yearly rate (non-payment of fees, expiry); the "patent elimination rate" is flagged as
  the most influential parameter in comparable SD models.
* **High-value invention patents** (每万人口高价值发明专利) are the part of grants that
  meets the high-value definition (strategic industries, PCT, pledged, long-maintained);
  they lapse more slowly.  Per-10k-resident ratios divide by population.
* **Key core-technology projects** (关键核心技术攻关项目) are counted from the 2023
  programme launch (001): funded by the lever ``key_project_funding`` at a cost per
  project, scaled by research capacity (R&D personnel).  **Major achievement transfers**
  (重大科技成果转化) come from the same funding line and from the technology market.
* **Provincial and national S&T awards** scale with the R&D capital stock.
* **Major S&T tasks** (001) are the headings of core-technology projects: tasks in hand =
  launched projects / projects per task.  **Key new products, technologies and processes**
  accumulate in proportion to real enterprise R&D.
* **IP finance** (patent pledge loans, IP equity, IP insurance): firms using it per year grow
  with science-tech lending (lever ``science_finance_growth``) and with valid invention
  patents, the collateral.

Feedback loops
--------------
* R1 (with industry): R&D capital → patents → high-value patents → high-tech share →
  attractiveness → R&D staff → patents.
* B1: patent lapse.
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append

    # -------------------------------------------------------------- invention patents --
    E(const("patent_applications_2015", 420, "patent/year", bounds=(200, 900), en="Invention-patent applications at 2015 inputs",
            zh="发明专利申请量(2015年投入水平)",
            source="assumption: no Xingtai series; calibrated on 0.53 high-value patents per 10k (2020)"))
    E(const("patent_rd_elasticity", 0.7, "dimensionless", bounds=(0.5, 1.0),
            en="Elasticity of invention-patent applications to R&D capital", zh="发明专利对研发资本的弹性",
            source=S.L_PATENT_ELAST))
    E(const("patent_personnel_elasticity", 0.3, "dimensionless", bounds=(0.15, 0.45), en="Elasticity of applications to R&D personnel",
            zh="发明专利对研发人员的弹性", source=S.L_PATENT_KPF))
    E(const("patent_platform_elasticity", 0.1, "dimensionless", bounds=(0.05, 0.15), en="Elasticity of applications to the platform index",
            zh="发明专利对创新平台的弹性", source="assumption: platforms concentrate patenting teams"))
    # Knowledge production function (Cobb-Douglas in inputs relative to 2015).
    E(aux("invention_patent_applications",
          "patent_applications_2015 * rd_capital_index ** patent_rd_elasticity"
          " * rd_personnel_index ** patent_personnel_elasticity"
          " * platform_index ** patent_platform_elasticity",
          "patent/year", en="Invention-patent applications", zh="发明专利申请量", source=S.L_PATENT_ELAST))
    E(const("invention_grant_share", 0.4, "dimensionless", bounds=(0.2, 0.6), en="Share of invention applications eventually granted",
            zh="发明专利授权率", source="assumption: Chinese invention grant rates run 40–55%"))
    E(const("patent_grant_lag", 1.5, "year", bounds=(1.1, 1.6), en="Average time from application to grant", zh="发明专利审查周期",
            source=S.L_PATENT_LAG))
    # Examination is a pipeline: an Erlang-3 delay with mean 1.5 years.
    E(flow("invention_patent_grants", "delay3(invention_patent_applications * invention_grant_share, patent_grant_lag)",
           "patent/year", en="Invention patents granted", zh="发明专利授权量", source=S.L_PATENT_LAG))
    E(const("init_valid_invention_patents", 500, "patent", bounds=(250, 750), en="Valid invention patents, end-2015", zh="有效发明专利(2015年末)",
            source="assumption: ≈0.7 per 10k residents; the 2018 plan targeted 1.5 per 10k for 2020"))
    E(stock("valid_invention_patents", "init_valid_invention_patents", "patent", inflows=["invention_patent_grants"],
            outflows=["invention_patent_lapses"], en="Valid invention patents", zh="有效发明专利", source=S.L_PATENT_LAPSE))
    E(const("patent_lapse_rate", 0.08, "1/year", bounds=(0.04, 0.15), en="Yearly lapse rate of valid invention patents",
            zh="有效发明专利年失效率", source=S.L_PATENT_LAPSE + "; rate an assumption"))
    E(flow("invention_patent_lapses", "valid_invention_patents * patent_lapse_rate", "patent/year",
           en="Invention patents lapsing", zh="发明专利失效", source=S.L_PATENT_LAPSE))
    E(aux("valid_patent_index", "max(valid_invention_patents, 1) / max(init_valid_invention_patents, 1)",
          "dimensionless", en="Valid invention patents relative to the start (floor of one patent)",
          zh="有效发明专利指数(起始=1)", source="definition"))
    E(aux("invention_patents_per_10k", "valid_invention_patents / max(population, 0.01)", "patent/ten_thousand_person",
          en="Valid invention patents per 10,000 residents", zh="每万人口发明专利拥有量",
          source="003 五(三)11: 万人有效发明专利拥有量 A类县12件, B类县4件"))

    E(const("init_hv_invention_patents", 140, "patent", bounds=(70, 210), en="High-value invention patents, end-2015",
            zh="高价值发明专利(2015年末)", source="assumption: calibrated on 0.53 per 10k in 2020 (002 指标表)"))
    E(stock("hv_invention_patents", "init_hv_invention_patents", "patent", inflows=["hv_patent_additions"],
            outflows=["hv_patent_lapses"], en="High-value invention patents", zh="高价值发明专利", source=S.S002_TABLE))
    E(const("hv_share_of_grants", 0.3, "dimensionless", bounds=(0.1, 0.6),
            en="Share of granted invention patents that count as high-value", zh="授权发明专利中高价值比例",
            source="assumption: calibrated on 0.53 per 10k (2020)"))
    E(flow("hv_patent_additions", "invention_patent_grants * hv_share_of_grants", "patent/year",
           en="New high-value invention patents", zh="新增高价值发明专利", source=S.S002_TABLE))
    E(const("hv_patent_lapse_rate", 0.04, "1/year", bounds=(0.02, 0.06), en="Yearly lapse rate of high-value patents",
            zh="高价值发明专利年失效率", source="assumption: valuable patents are maintained longer"))
    E(flow("hv_patent_lapses", "hv_invention_patents * hv_patent_lapse_rate", "patent/year",
           en="High-value patents lapsing", zh="高价值发明专利失效", source="assumption"))
    E(aux("hv_invention_patents_per_10k", "hv_invention_patents / max(population, 0.01)", "patent/ten_thousand_person",
          en="High-value invention patents per 10,000 residents", zh="每万人口高价值发明专利拥有量",
          source=S.S002_TABLE + ": 0.53 (2020), 0.83 (2022), 1.3 (2025)"))

    # ------------------------------------------------------------------ key projects --
    E(const("init_key_core_tech_projects", 0, "project", en="Key core-technology projects before the programme",
            zh="关键核心技术攻关项目(起始)", source=S.S001_KEY_PROJECTS))
    E(stock("key_core_tech_projects", "init_key_core_tech_projects", "project", inflows=["key_core_project_launches"],
            en="Key core-technology projects launched, cumulative", zh="关键核心技术攻关项目(累计)", source=S.S001_KEY_PROJECTS))
    E(const("key_core_programme_start", 2022, "year",
            en="Model time of the key core-technology programme launch: start of calendar 2023 (t is the end of year t)",
            zh="关键核心技术攻关机制启动年", source=S.S001_KEY_PROJECTS))
    E(const("key_core_funding_share", 0.5, "dimensionless", bounds=(0.25, 0.75),
            en="Share of key-project funding going to core-technology projects", zh="重点项目资金用于关键核心技术攻关比例",
            source="assumption: the rest funds achievement transfers"))
    E(const("cost_per_key_core_project", 0.02, "hundred_million_CNY/project", bounds=(0.01, 0.03),
            en="Municipal funding per key core-technology project", zh="每个关键核心技术攻关项目市级资金",
            source="assumption: ~2 M CNY per project (municipal key R&D scale)"))
    E(const("project_capacity_elasticity", 0.5, "dimensionless", bounds=(0.25, 0.75),
            en="Elasticity of project launches to research capacity (R&D personnel)", zh="项目数对研发人员的弹性",
            source="assumption"))
    E(aux("research_capacity_index", "rd_personnel_index ** project_capacity_elasticity",
          "dimensionless", en="Research capacity relative to 2015", zh="研发能力指数", source="assumption"))
    E(flow("key_core_project_launches",
           "if_then_else(time >= key_core_programme_start,"
           " key_project_funding * key_core_funding_share / cost_per_key_core_project * research_capacity_index, 0)",
           "project/year", en="Key core-technology projects launched", zh="新启动关键核心技术攻关项目",
           source=S.S001_KEY_PROJECTS))

    E(const("init_major_achievement_transfers", 0, "project", en="Major achievement transfers counted from 2016",
            zh="重大科技成果转化(2016年起累计)", source=S.S002_TRANSFERS))
    E(stock("major_achievement_transfers", "init_major_achievement_transfers", "project", inflows=["major_transfer_projects"],
            en="Major S&T achievement transfers, cumulative since 2016", zh="重大科技成果转化项目(累计)",
            source=S.S002_TRANSFERS + "; " + S.S001_TRANSFERS))
    E(const("cost_per_transfer_project", 0.025, "hundred_million_CNY/project", bounds=(0.0125, 0.0375),
            en="Municipal funding per major achievement-transfer project", zh="每个重大成果转化项目市级资金",
            source="assumption"))
    E(const("transfers_per_deal_value", 1.0, "project/hundred_million_CNY", bounds=(0.5, 1.5),
            en="Market-driven major transfers per 亿 of technology-contract turnover", zh="每亿元技术合同带动的重大成果转化",
            source="assumption: calibrated on 105 transfers in 2016–2020 (002 一(一))"))
    E(const("transfers_per_pilot_base", 1.0, "project/platform/year", bounds=(0.2, 3.0),
            en="Major achievement transfers a pilot-scale (中试) base brings to production per year",
            zh="每个中试熟化基地年带动重大成果转化数",
            source="assumption: a shared pilot line takes a few projects a year to industrial scale; no Xingtai figure"))
    E(aux("transfer_funding", "key_project_funding * (1 - key_core_funding_share)", "hundred_million_CNY/year",
          en="Municipal funding of major achievement-transfer projects", zh="市级重大科技成果转化项目资金",
          source=S.S001_TRANSFERS))
    E(flow("major_transfer_projects",
           "transfer_funding / cost_per_transfer_project + tech_contract_turnover * transfers_per_deal_value"
           " + pilot_scale_bases * transfers_per_pilot_base",
           "project/year", en="Major achievement-transfer projects implemented", zh="新实施重大科技成果转化项目",
           source=S.S002_TRANSFERS + "; " + S.S001_PILOT))

    # 001's special transfer programme (重大科技成果转化专项) counts its own projects from 2023, and
    # the new processes and products they bring to industrial standard: the programme's R&D
    # (municipal money and the firms' match, as staffing allows) yields them at the city's rate
    # per 亿 of enterprise R&D.
    E(const("transfer_programme_start", 2022, "year",
            en="Model time at which 001's transfer programme starts counting: start of calendar 2023 (t is the end of year t)",
            zh="重大科技成果转化专项计数起点", source=S.S001_TRANSFERS))
    E(const("init_transfer_programme_projects", 0, "project", en="Transfer-programme projects before 2023",
            zh="成果转化专项项目(起始)", source=S.S001_TRANSFERS))
    E(stock("transfer_programme_projects", "init_transfer_programme_projects", "project",
            inflows=["transfer_programme_project_starts"],
            en="Projects supported by 001's major achievement-transfer programme, cumulative since 2023",
            zh="重大科技成果转化专项支持项目(2023年起累计)", source=S.S001_TRANSFERS))
    E(flow("transfer_programme_project_starts",
           "if_then_else(time >= transfer_programme_start, transfer_funding / cost_per_transfer_project, 0)",
           "project/year", en="Projects newly supported by the transfer programme", zh="成果转化专项新支持项目",
           source=S.S001_TRANSFERS))
    E(const("init_transfer_programme_new_products", 0, "project",
            en="New processes and products of the transfer programme before 2023", zh="成果转化专项新工艺新产品(起始)",
            source=S.S001_TRANSFERS))
    E(stock("transfer_programme_new_products", "init_transfer_programme_new_products", "project",
            inflows=["transfer_programme_product_developments"],
            en="New processes and products of the transfer programme reaching industrial standard, cumulative since 2023",
            zh="成果转化专项形成的达到产业化标准的新工艺、新产品(2023年起累计)", source=S.S001_TRANSFERS))
    E(flow("transfer_programme_product_developments",
           "if_then_else(time >= transfer_programme_start,"
           " transfer_funding * (1 + key_project_matching_ratio) * rd_staffing_effect * new_products_per_business_rd, 0)",
           "project/year", en="New processes and products developed in the transfer programme's projects",
           zh="成果转化专项新研发的新工艺新产品",
           source=S.S001_TRANSFERS + "; yield per 亿 as new_products_per_business_rd"))

    # ------------------------------------------------------------------------ awards --
    E(const("awards_per_rd_capital", 0.1, "project/hundred_million_CNY/year", bounds=(0.05, 0.15),
            en="Provincial S&T awards won per 亿 of R&D capital", zh="每亿元研发资本获省科技奖数",
            source="assumption: calibrated between 21 awards in 2016–2020 (002) and 14 in 2020 (" + S.OBS_BUREAU_2020 + ")"))
    E(aux("provincial_st_awards", "rd_capital * awards_per_rd_capital", "project/year",
          en="Hebei provincial S&T awards won per year", zh="获河北省科学技术奖数",
          source=S.OBS_BUREAU_2020 + ": 获得河北省科学技术进步奖14项 (2020)"))
    E(const("init_provincial_st_awards_cum", 0, "project", en="Provincial S&T awards counted from 2016",
            zh="获省科学技术奖(2016年起累计)", source="002 一(一): 获 ... 河北省科学技术奖 21 项 (十三五)"))
    E(stock("provincial_st_awards_cum", "init_provincial_st_awards_cum", "project", inflows=["provincial_st_awards_won"],
            en="Hebei provincial S&T awards won, cumulative since 2016", zh="获河北省科学技术奖(累计)",
            source="002 一(一): 获国家科学技术奖 4 项、河北省科学技术奖 21 项"))
    E(flow("provincial_st_awards_won", "provincial_st_awards", "project/year", en="Provincial S&T awards won",
           zh="获省科学技术奖", source=S.OBS_BUREAU_2020))

    E(const("init_key_rd_projects", 0, "project", en="Key R&D projects counted from 2016", zh="重点研发项目(2016年起累计)",
            source=S.S002_BASE.split(":")[0] + ": 组织实施重点创新项目 528 个 (十三五)"))
    E(stock("key_rd_projects", "init_key_rd_projects", "project", inflows=["key_rd_project_starts"],
            en="Key R&D / innovation projects implemented (national, provincial, municipal), cumulative since 2016",
            zh="重点研发项目(累计)", source="002 三: 到2025年，实施国家、省、市重点研发项目 250 项以上; 附件第1项: 50项以上 (2022)"))
    E(const("cost_per_key_rd_project", 0.005, "hundred_million_CNY/project", bounds=(0.0025, 0.0075),
            en="Municipal funding per key R&D project (with provincial/national co-funding)", zh="每个重点研发项目市级资金",
            source="assumption: calibrated on 528 key innovation projects in 2016–2020 (002 一(一))"))
    E(flow("key_rd_project_starts", "key_project_funding / cost_per_key_rd_project * research_capacity_index",
           "project/year", en="Key R&D projects started", zh="新实施重点研发项目", source=S.S001_KEY_PROJECTS))
    # The city's own programmes (京津冀合作、揭榜挂帅、青年科技人才专项, 001 二(四)2) fund the key
    # R&D projects the province does not: the rest of the starts.
    E(aux("municipal_key_rd_project_starts", "key_rd_project_starts * (1 - provincial_project_share)", "project/year",
          en="Key R&D projects started under the city's own programmes (not provincial projects)",
          zh="市级专项支持的重点研发项目", source=S.S001_KEY_RD_YEARLY))
    # ------------------------------------------------------------------ awards, products --
    E(const("national_awards_per_rd_capital", 0.012, "project/hundred_million_CNY/year", bounds=(0.006, 0.018),
            en="National S&T awards won per 亿 of R&D capital", zh="每亿元研发资本获国家科技奖数",
            source="assumption: calibrated on 4 awards in 2016–2020 (" + S.S002_AWARDS + ")"))
    E(const("init_national_st_awards_cum", 0, "project", en="National S&T awards counted from 2016",
            zh="获国家科学技术奖(2016年起累计)", source=S.S002_AWARDS))
    E(stock("national_st_awards_cum", "init_national_st_awards_cum", "project", inflows=["national_st_awards_won"],
            en="National S&T awards won, cumulative since 2016", zh="获国家科学技术奖(累计)", source=S.S002_AWARDS))
    E(flow("national_st_awards_won", "rd_capital * national_awards_per_rd_capital", "project/year",
           en="National S&T awards won", zh="获国家科学技术奖", source=S.S002_AWARDS))
    E(const("new_products_per_business_rd", 10.9, "project/hundred_million_CNY", bounds=(5, 15),
            en="Key new products, technologies and processes per 亿 of real enterprise R&D",
            zh="每亿元企业研发产出重点新产品新技术新工艺数",
            source="assumption: calibrated on 820 in 2016–2020 (" + S.S002_NEW_PRODUCTS + ")"))
    E(const("init_new_products_processes", 0, "project", en="Key new products and processes counted from 2016",
            zh="重点新产品、新技术、新工艺(2016年起累计)", source=S.S002_NEW_PRODUCTS))
    E(stock("new_products_processes", "init_new_products_processes", "project", inflows=["new_product_developments"],
            en="Key new products, technologies and processes developed, cumulative since 2016",
            zh="研发重点新产品、新技术、新工艺(累计)", source=S.S002_NEW_PRODUCTS))
    E(flow("new_product_developments", "business_rd_real * new_products_per_business_rd", "project/year",
           en="Key new products, technologies and processes developed", zh="新研发重点新产品新技术新工艺",
           source=S.S002_NEW_PRODUCTS))

    # ----------------------------------------------------------------- IP finance --
    # IP pledge loans, IP equity and IP insurance need lenders (science-tech lending) and
    # collateral (valid invention patents).
    E(const("ip_finance_firms_2015", 3, "firm/year", bounds=(1.5, 4.5), en="Firms using IP finance services in 2015",
            zh="开展知识产权质押融资等服务的企业(2015年)", source="assumption: IP pledge lending was rare in Xingtai in 2015"))
    E(const("ip_finance_lending_elasticity", 1, "dimensionless", bounds=(0.5, 1.5), en="Elasticity of IP-finance firms to science-tech lending",
            zh="知识产权金融企业数对科技信贷的弹性", source="assumption: IP pledge loans are a product of the same lenders"))
    E(const("ip_finance_patent_elasticity", 0.5, "dimensionless", bounds=(0.25, 0.75), en="Elasticity of IP-finance firms to valid invention patents",
            zh="知识产权金融企业数对有效发明专利的弹性", source="assumption: patents are the collateral"))
    E(aux("ip_finance_firms",
          "ip_finance_firms_2015 * science_finance_index ** ip_finance_lending_elasticity"
          " * valid_patent_index ** ip_finance_patent_elasticity",
          "firm/year", en="Firms using IP pledge loans, IP equity or IP insurance during the year",
          zh="开展专利权质押贷款、作价入股、保险等知识产权服务的企业", source=S.S002_IP_FINANCE + "; " + S.S001_FINANCE))
    return with_sector(els, "knowledge")
