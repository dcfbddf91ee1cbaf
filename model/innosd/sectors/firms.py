"""Firms: the tech-SME → high-tech enterprise → tech-leader pipeline.

Mechanisms
----------
* **Tech-based SMEs (科技型中小企业), Hebei provincial registry.**  Registration is valid for
  the calendar year only (当年有效), so the whole pool expires every year
  (``tech_sme_expiry = pool / 1 year``) and re-registers at the pass share
  ``sme_reregistration_share`` (``tech_sme_reregistrations``).  New registrations come from
  (a) ordinary firm formation, growing with the economy and with R&D intensity, (b) firms
  graduating from incubators and maker spaces, (c) SMEs served by innovation complexes,
  (d) firms served by S&T commissioners, (e) the tiered-cultivation programme, and are
  helped by science-tech finance.  HTEs whose certificate lapses come back to the pool.
* **National registry.**  ``tech_sme_national`` is the part of the provincial pool that
  meets the national standard: one share parameter, because no Xingtai series exists
  (the only anchors are the 001 targets: 1100 national in 2023 vs ~8000 provincial).
* **High-tech enterprises (高新技术企业)** are a three-cohort certificate aging chain (the
  certificate is valid three years).  At the end of year three a share renews and
  re-enters cohort 1 (``hte_renewals``); the rest lapse (``hte_lapses``), most of them back
  into the SME pool.  A small yearly revocation (missed annual reports) leaves every cohort.
  Certification draws on the SME pool: firms in the HTE cultivation pool (后备培育库) are
  certified at a much higher rate than other SMEs, and both rates rise with R&D intensity.
* **Tech leaders (科技领军企业)** are selected from HTEs and **专精特新 SMEs** are designated
  from the SME pool and the cultivation programme, with a three-year re-review (aging
  chain with renewal, like HTEs).
* **HTEs in development zones** are a co-flow of the HTE chain: new HTEs locate in zones at
  a given share, renewals and exits carry the current share, and firms relocate into zones.

Feedback loops
--------------
* R4 (pipeline): SME pool → certifications → HTE count → enterprise R&D (rd_funding) → R&D
  capital intensity → more certifications and more SME registrations.
* B2 (re-certification attrition): annual SME re-evaluation; HTE lapse at year three.
* R (recycling): lapsed HTEs return to the SME pool and can be certified again.
"""
from __future__ import annotations

from dataclasses import replace

from ..core.equations import aging_chain, aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append

    # ---------------------------------------------------------------- tech-based SMEs --
    E(const("init_tech_sme_provincial", 3110, "firm", en="Tech-based SMEs in the Hebei provincial registry, end-2015",
            zh="省级科技型中小企业数(2015年末)", source=S.S002_BASE))
    E(stock("tech_sme_provincial", "init_tech_sme_provincial", "firm",
            inflows=["tech_sme_reregistrations", "tech_sme_new_registrations", "hte_lapses_to_sme"],
            outflows=["tech_sme_expiry", "hte_new_certifications"],
            en="Tech-based SMEs in the Hebei provincial registry", zh="科技型中小企业(河北省库)",
            source=S.S002_BASE))
    E(const("sme_registration_validity", 1, "year", en="Validity of a tech-SME registration",
            zh="科技型中小企业入库登记有效期", source=S.L_SME_RULES))
    E(const("sme_reregistration_share", 0.9, "dimensionless", bounds=(0.75, 0.98),
            en="Share of registered tech SMEs that pass the next annual re-evaluation",
            zh="科技型中小企业年度复评通过比例",
            source="assumption: no Hebei re-evaluation pass rate published; calibrated on 3110 (2015) → 7141 (2020)"))
    # The whole registry expires each year (当年有效) ...
    E(flow("tech_sme_expiry", "tech_sme_provincial / sme_registration_validity", "firm/year",
           en="Tech-SME registrations expiring at the end of the year", zh="科技型中小企业登记到期",
           source=S.L_SME_RULES))
    # ... and the firms that pass the re-evaluation register again.
    E(flow("tech_sme_reregistrations", "tech_sme_provincial * sme_reregistration_share / sme_registration_validity",
           "firm/year", en="Tech SMEs re-registering after the annual re-evaluation", zh="科技型中小企业年度重新入库",
           source=S.L_SME_RULES))

    E(const("sme_formation_base", 1800, "firm/year", bounds=(900, 3000),
            en="Ordinary first-time tech-SME registrations in 2015 (economy-driven part)",
            zh="一般性新入库科技型中小企业(2015年基数)",
            source="assumption: calibrated so the registry grows 3110 → ~7100 (2015–2020), 002 一(一)"))
    E(const("sme_formation_rd_elasticity", 0.5, "dimensionless", bounds=(0.25, 0.75),
            en="Elasticity of ordinary tech-SME formation to R&D capital intensity",
            zh="新入库企业对研发强度的弹性",
            source="assumption: tech-SME scoring rewards R&D share of costs (国科发政〔2017〕115号); moderate elasticity"))
    E(const("finance_formation_elasticity", 0.1, "dimensionless", bounds=(0.05, 0.15),
            en="Elasticity of tech-SME formation to science-tech lending", zh="新入库企业对科技信贷的弹性",
            source="assumption: credit and IP-pledge loans ease start-up finance (002 四(九)2); small elasticity"))
    E(aux("sme_formation_ordinary",
          "sme_formation_base * firm_scale_index * rd_capital_intensity_index ** sme_formation_rd_elasticity"
          " * science_finance_index ** finance_formation_elasticity",
          "firm/year", en="Ordinary first-time registrations: economy × R&D intensity × finance",
          zh="一般性新入库企业", source="assumption: formation scales with the economy (GDP index) and R&D intensity"))
    E(const("registrations_per_incubator", 0.8, "firm/platform/year", bounds=(0.4, 1.2),
            en="Tech-SME registrations per local incubator or maker space per year",
            zh="每家众创空间/孵化器年均新入库科技型中小企业",
            source=("assumption: 105 maker spaces ≥3000 m² were added in 2020 (" + S.OBS_BUREAU_2020
                    + "); most host teams that register ~1 firm a year")))
    E(const("provincial_incubator_weight", 2, "dimensionless", bounds=(1, 3),
            en="Firm output of a provincial incubator relative to a local one", zh="省级孵化载体孵化能力相对倍数",
            source="assumption: provincial recognition requires larger space and more tenants"))
    E(const("national_incubator_weight", 4, "dimensionless", bounds=(2, 6),
            en="Firm output of a national incubator or maker space relative to a local one", zh="国家级孵化载体孵化能力相对倍数",
            source="assumption: national recognition requires the largest scale"))
    E(aux("incubator_firm_formation",
          "(incubators_maker_spaces_local + provincial_incubators_maker_spaces * provincial_incubator_weight"
          " + (national_maker_spaces + national_incubators) * national_incubator_weight) * registrations_per_incubator",
          "firm/year", en="Tech-SME registrations from incubators and maker spaces", zh="孵化载体孵化的新入库企业",
          source="002 四(二)5: 完善“众创空间—孵化器—加速器—产业园区”全链条科技企业孵化育成体系"))
    E(const("complex_registration_yield", 0.15, "dimensionless", bounds=(0.075, 0.225),
            en="Share of SMEs served by innovation complexes that newly register as tech SMEs",
            zh="综合体服务企业中新入库科技型中小企业比例",
            source="assumption: complexes serve all SMEs (000 一), a minority of which become registrable each year"))
    E(aux("complex_firm_formation", "complex_sme_service_capacity * complex_registration_yield", "firm/year",
          en="Tech-SME registrations from innovation-complex services", zh="科技创新综合体服务带动的新入库企业",
          source=S.S000_SERVICE))
    E(const("commissioner_registration_yield", 0.1, "firm/person/year", bounds=(0.05, 0.15),
            en="Tech-SME registrations per active S&T commissioner per year", zh="每名科技特派员年均带动入库企业",
            source="assumption: commissioners serve firms and co-ops (001 二(三)); ~1 registration per 10 commissioners a year"))
    E(aux("commissioner_firm_formation", "st_commissioners * commissioner_registration_yield", "firm/year",
          en="Tech-SME registrations helped by S&T commissioners", zh="科技特派员服务带动的新入库企业",
          source=S.S001_COMMISSIONERS))
    E(const("tech_sme_cultivation", 150, "firm/year", bounds=(0, 1000),
            en="Lever: firms registered each year through tiered tech-SME cultivation",
            zh="杠杆: 科技型中小企业梯度培育年新增入库数",
            source=S.S001_SME_TIERS + "; default assumption (2020 practice, 2022 ledger asks +200/yr net)"))
    E(const("tech_sme_potential_2015", 9500, "firm", bounds=(7000, 20000),
            en="Firms that could qualify as tech SMEs, 2015 economy", zh="潜在可入库科技型中小企业数(2015年经济规模)",
            source=("assumption: registrations must slow as the pool nears the firms able to qualify; 002 targets "
                    "only 7900 (2022) and 8500 (2025) after 7141 in 2020")))
    E(aux("tech_sme_headroom",
          "max(0, 1 - tech_sme_provincial / (tech_sme_potential_2015 * firm_scale_index))", "dimensionless",
          en="Share of potential tech SMEs not yet registered", zh="尚未入库的潜在科技型中小企业比例",
          source="assumption: see tech_sme_potential_2015"))
    # First-time registrations: the five channels add up, limited by the firms left to register.
    E(flow("tech_sme_new_registrations",
           "(sme_formation_ordinary + incubator_firm_formation + complex_firm_formation"
           " + commissioner_firm_formation + tech_sme_cultivation) * tech_sme_headroom * firm_formation_error_multiplier",
           "firm/year", en="First-time registrations in the provincial tech-SME registry (gross)",
           zh="科技型中小企业新入库(毛增量)",
           source=(S.S001_SME_TIERS + "; " + S.S000_SERVICE + "; the 2020 bureau report's 新增526家 is the net "
                   "addition (tech_sme_net_additions), " + S.OBS_BUREAU_2020)))
    E(aux("tech_sme_net_additions",
          "tech_sme_reregistrations + tech_sme_new_registrations + hte_lapses_to_sme - tech_sme_expiry"
          " - hte_new_certifications",
          "firm/year", en="Net yearly change of the provincial tech-SME registry", zh="科技型中小企业净增加",
          source=S.OBS_BUREAU_2020 + " (新增科技型中小企业526家 in 2020)"))
    E(const("tech_sme_national_share", 0.14, "dimensionless", bounds=(0.05, 0.3),
            en="Share of the provincial tech-SME pool meeting the national standard",
            zh="达到国家科技型中小企业标准的比例",
            source=("assumption: no Xingtai national-registry series; 001 targets 1100 national (2023) vs "
                    "002's ~8000 provincial imply ≈0.14")))
    E(aux("tech_sme_national", "tech_sme_provincial * tech_sme_national_share", "firm",
          en="Tech SMEs in the national registry (国家科技型中小企业)", zh="国家科技型中小企业",
          source=S.S001_TARGETS + ": 培育国家科技型中小企业1100家 (2023), 超过1200家 (2025)"))

    # ------------------------------------------------------- high-tech enterprises --
    E(const("init_hte_count", 131, "firm", en="High-tech enterprises, end-2015", zh="高新技术企业数(2015年末)",
            source=S.S002_BASE))
    E(const("hte_cohort_time", 1, "year", en="Time an HTE certificate spends in each of its three yearly cohorts",
            zh="高企证书每个年度队列停留时间", source=S.L_HTE_RULES))
    E(const("hte_revocation_rate", 0.015, "1/year", bounds=(0.0075, 0.0225),
            en="Yearly revocation of HTE status (missed reports, material change)", zh="高企资格年撤销率",
            source=S.L_HTE_REVOKE + "; rate itself an assumption"))
    # Cohort 1 holds certificates issued this year, cohort 3 those expiring.  The initial
    # split is tilted to young cohorts because certifications grew fast before 2015
    # (Xingtai had 25 HTEs in 2012): 45 / 33 / 22 %.
    chain = aging_chain(
        "hte", 3, inflow="hte_new_certifications", cohort_time="hte_cohort_time",
        initial=["init_hte_count * 0.45", "init_hte_count * 0.33", "init_hte_count * 0.22"],
        units="firm", attrition="hte_revocation_rate", final_outflow="hte_expiry",
        en="High-tech enterprises by certificate year", zh="高新技术企业", source=S.L_HTE_RULES)
    # Renewed certificates re-enter cohort 1 alongside first certifications.
    chain = [replace(e, inflows=("hte_new_certifications", "hte_renewals")) if e.name == "hte_1" else e
             for e in chain]
    els.extend(chain)
    E(aux("hte_count", "hte_total", "firm", en="High-tech enterprises holding a valid certificate",
          zh="高新技术企业数", source=S.S002_BASE))
    # Drivers elsewhere scale with HTEs relative to 2015; a floor of one firm keeps the index
    # finite when a region starts with none.
    E(aux("hte_index", "max(hte_count, 1) / max(init_hte_count, 1)", "dimensionless",
          en="High-tech enterprises relative to the start (floor of one firm)", zh="高新技术企业指数(起始=1)",
          source="definition"))
    E(const("hte_renewal_share", 0.7, "dimensionless", bounds=(0.4, 0.95),
            en="Share of expiring HTE certificates renewed", zh="高企到期重新认定比例", source=S.L_NOT_FOUND))
    E(flow("hte_renewals", "hte_expiry * hte_renewal_share", "firm/year",
           en="Expiring HTEs re-certified (back to cohort 1)", zh="高企到期重新认定", source=S.L_HTE_RULES))
    E(aux("hte_lapses", "hte_expiry * (1 - hte_renewal_share)", "firm/year",
          en="Expiring HTEs that do not renew", zh="高企到期未重新认定", source=S.L_HTE_RULES))
    E(const("hte_lapse_return_share", 0.8, "dimensionless", bounds=(0.4, 1),
            en="Share of lapsed HTEs that re-register as tech SMEs", zh="失效高企回流科技型中小企业比例",
            source="assumption: most lapsed HTEs stay small tech firms; some are too large (>500 staff) or exit"))
    E(flow("hte_lapses_to_sme", "hte_lapses * hte_lapse_return_share", "firm/year",
           en="Lapsed HTEs returning to the tech-SME registry", zh="失效高企回流科技型中小企业", source=S.L_HTE_RULES))
    E(aux("hte_revocations", "hte_attrition_1 + hte_attrition_2 + hte_attrition_3", "firm/year",
          en="HTE certificates revoked during their validity", zh="高企资格撤销", source=S.L_HTE_REVOKE))
    # What reports and plans call 新增: the net change of the stock, not first certifications.
    E(aux("hte_net_additions", "hte_new_certifications - hte_lapses - hte_revocations", "firm/year",
          en="Net yearly change of the HTE stock (新增)", zh="高新技术企业净增加",
          source=S.OBS_BUREAU_2020 + " (新增高新技术企业125家以上, 总数达到450家, 2020)"))

    E(const("hte_cultivation_pool_size", 200, "firm", bounds=(0, 1500),
            en="Lever: firms in the HTE reserve cultivation pool (后备培育库)", zh="杠杆: 高企后备培育库入库企业数",
            source=S.S002_HTE_POOL + "; " + S.S001_HTE_POOL + "; default 200 an assumption"))
    E(const("max_cultivation_pool_share", 0.5, "dimensionless", bounds=(0.25, 0.75),
            en="Largest share of the tech-SME pool a cultivation pool can hold", zh="培育库占科技型中小企业上限",
            source="assumption: the pool only takes firms close to HTE criteria"))
    E(aux("hte_cultivated_candidates", "min(hte_cultivation_pool_size, tech_sme_provincial * max_cultivation_pool_share)",
          "firm", en="Tech SMEs actually in the HTE cultivation pool", zh="在库培育高企后备企业", source=S.S002_HTE_POOL))
    E(const("cultivated_certification_rate", 0.2, "1/year", bounds=(0.1, 0.3),
            en="Yearly HTE certification rate of firms in the cultivation pool", zh="培育库企业年认定率",
            source="assumption: the pool targets firms ready within a few years; 001 asks +50 HTE a year"))
    E(const("base_hte_certification_rate", 0.0095, "1/year", bounds=(0.004, 0.02),
            en="Yearly HTE certification rate of other tech SMEs (2015 R&D intensity)", zh="一般科技型中小企业年认定率",
            source=S.L_NOT_FOUND + "; " + S.L_ANHUI + "; calibrated on 131 (2015) → 450–530 (2020)"))
    E(const("hte_certification_rd_elasticity", 0.5, "dimensionless", bounds=(0.0, 1.2),
            en="Elasticity of HTE certification to R&D capital intensity", zh="高企认定对研发强度的弹性",
            source="assumption: certification needs R&D ≥3–5% of sales (" + S.L_HTE_RULES + ")"))
    E(aux("hte_rd_effect", "rd_capital_intensity_index ** hte_certification_rd_elasticity", "dimensionless",
          en="Multiplier of certification rates from R&D intensity", zh="研发强度对高企认定的影响",
          source="assumption: see hte_certification_rd_elasticity"))
    # Certification: cultivated firms at the high rate, the rest at the base rate, both
    # scaled by R&D intensity.  The flow leaves the SME pool.
    E(flow("hte_new_certifications",
           "(hte_cultivated_candidates * cultivated_certification_rate"
           " + (tech_sme_provincial - hte_cultivated_candidates) * base_hte_certification_rate) * hte_rd_effect"
           " * hte_certification_error_multiplier",
           "firm/year", en="First certifications of high-tech enterprises", zh="新认定高新技术企业",
           source=S.S001_FIRMS + "; reports' 新增 is the net change, hte_net_additions"))

    # ------------------------------------------------------------- tech leaders --
    E(const("init_tech_leaders", 0, "firm", en="Tech leader enterprises, end-2015", zh="科技领军企业数(2015年末)",
            source="assumption: Xingtai had 2 in 2020 (002 指标表); the designation is recent"))
    E(stock("tech_leaders", "init_tech_leaders", "firm", inflows=["tech_leader_selections"],
            outflows=["tech_leader_exits"], en="Tech leader enterprises (科技领军企业)", zh="科技领军企业",
            source=S.S002_TABLE + ": 科技领军企业 2 (2020), 3 (2022), 8 (2025)"))
    E(const("tech_leader_selection_rate", 0.0015, "1/year", bounds=(0.00075, 0.00225),
            en="Yearly share of HTEs selected as tech leaders", zh="高企年均遴选为科技领军企业比例",
            source="assumption: calibrated to 2 leaders in 2020; 001 asks +1 a year from ~800 HTEs"))
    E(flow("tech_leader_selections", "hte_count * tech_leader_selection_rate", "firm/year",
           en="HTEs selected as tech leaders", zh="新遴选科技领军企业", source=S.S001_FIRMS))
    E(const("tech_leader_exit_rate", 0.05, "1/year", bounds=(0.025, 0.075), en="Yearly loss of tech-leader status", zh="科技领军企业年退出率",
            source="assumption: leaders are reviewed; few lose status"))
    E(flow("tech_leader_exits", "tech_leaders * tech_leader_exit_rate", "firm/year",
           en="Tech leaders losing the designation", zh="科技领军企业退出", source="assumption: see tech_leader_exit_rate"))

    # ------------------------------------------------------------- 专精特新 SMEs --
    E(const("init_srdi_smes", 80, "firm", bounds=(40, 120), en="Provincial-or-above 专精特新 SMEs, end-2015",
            zh="省级以上专精特新中小企业(2015年末)",
            source="assumption: no Xingtai series; set so the count nears 002's 440 target by 2025 under 2020 policy"))
    E(const("srdi_cohort_time", 1, "year", en="Time a 专精特新 designation spends in each yearly cohort",
            zh="专精特新认定每个年度队列停留时间", source=S.L_SRDI))
    chain = aging_chain(
        "srdi", 3, inflow="srdi_designations", cohort_time="srdi_cohort_time", initial="init_srdi_smes",
        units="firm", final_outflow="srdi_expiry", en="专精特新 SMEs by designation year", zh="专精特新中小企业",
        source=S.L_SRDI)
    chain = [replace(e, inflows=("srdi_designations", "srdi_renewals")) if e.name == "srdi_1" else e for e in chain]
    els.extend(chain)
    E(aux("srdi_smes", "srdi_total", "firm", en="Provincial-or-above 专精特新 SMEs with a valid designation",
          zh="省级以上专精特新中小企业", source=S.S002_SRDI))
    E(const("srdi_renewal_share", 0.8, "dimensionless", bounds=(0.4, 1), en="Share of 专精特新 designations passing the 3-year re-review",
            zh="专精特新复核通过比例", source="assumption: re-review rule from " + S.L_SRDI + "; pass rate not published"))
    E(flow("srdi_renewals", "srdi_expiry * srdi_renewal_share", "firm/year",
           en="专精特新 designations renewed after re-review", zh="专精特新复核通过", source=S.L_SRDI))
    E(const("srdi_base_designation_rate", 0.002, "1/year", bounds=(0.001, 0.003),
            en="Yearly 专精特新 designation rate of tech SMEs outside the cultivation programme",
            zh="一般科技型中小企业年认定专精特新比例", source="assumption: small organic rate"))
    E(const("srdi_cultivation", 40, "firm/year", bounds=(0, 200),
            en="Lever: firms entered each year into the 专精特新 cultivation pool", zh="杠杆: 专精特新年培育入库企业数",
            source=S.S001_SRDI + "; " + S.S001_FIRMS + " (50/yr is the 2023 plan; 2020 default 40 an assumption)"))
    E(const("srdi_cultivation_success", 0.6, "dimensionless", bounds=(0.3, 0.9), en="Share of cultivated firms designated 专精特新",
            zh="专精特新培育成功率", source="assumption: cultivation pools are selective"))
    E(flow("srdi_designations",
           "tech_sme_provincial * srdi_base_designation_rate * hte_rd_effect + srdi_cultivation * srdi_cultivation_success",
           "firm/year", en="New 专精特新 designations", zh="新认定专精特新中小企业", source=S.S002_SRDI))

    # ------------------------------------------------------- HTEs in development zones --
    E(const("init_hte_share_in_dev_zones", 0.35, "dimensionless", bounds=(0.175, 0.525),
            en="Share of HTEs located in development zones, end-2015", zh="开发区高企占比(2015年末)",
            source="assumption: 002 附件 asks ≥50% for 2022, so the 2015 share was lower"))
    E(stock("hte_in_dev_zones", "init_hte_count * init_hte_share_in_dev_zones", "firm",
            inflows=["hte_zone_entries"], outflows=["hte_zone_exits"],
            en="HTEs located in development and high-tech zones (co-flow of the HTE chain)",
            zh="开发区内高新技术企业", source=S.S002_ZONES))
    E(const("new_hte_dev_zone_share", 0.5, "dimensionless", bounds=(0.25, 0.75),
            en="Share of newly certified HTEs located in development zones", zh="新认定高企位于开发区比例",
            source="assumption: zones host the best-equipped firms"))
    E(const("dev_zone_relocation_rate", 0.03, "1/year", bounds=(0.015, 0.045),
            en="Yearly share of HTEs outside zones relocating into them", zh="区外高企年迁入开发区比例",
            source="assumption: 002 四(一)4 开发区提档升级 attracts firms"))
    E(flow("hte_zone_entries",
           "hte_new_certifications * new_hte_dev_zone_share + hte_renewals * hte_share_in_dev_zones"
           " + (hte_count - hte_in_dev_zones) * dev_zone_relocation_rate",
           "firm/year", en="HTEs entering the zone count (new, renewed, relocated)", zh="开发区高企增加",
           source=S.S002_ZONES))
    E(flow("hte_zone_exits", "(hte_expiry + hte_revocations) * hte_share_in_dev_zones", "firm/year",
           en="Zone HTEs whose certificate expires or is revoked", zh="开发区高企证书到期或撤销", source=S.S002_ZONES))
    E(aux("hte_share_in_dev_zones",
          "if_then_else(hte_count > 0, hte_in_dev_zones / hte_count, init_hte_share_in_dev_zones)", "dimensionless",
          en="Share of HTEs located in development zones", zh="开发区高新技术企业占比", source=S.S002_ZONES))
    return with_sector(els, "firms")
