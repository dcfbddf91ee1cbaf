"""Agriculture: agricultural S&T projects and the crop-breeding pipeline (乡村振兴科技支撑).

Mechanisms
----------
* **Agricultural S&T funding** is the share ``agri_st_fiscal_share`` (lever) of local fiscal
  S&T spending (rd).  It is split over three lines of 002 四(四): key generic agricultural
  technology projects, breeding, and the introduction and demonstration of varieties.
* **Key generic agricultural technology projects** (农业关键共性技术研发) are started at a
  cost per project and counted cumulatively from 2016.
* **Breeding pipeline.**  Breeding money produces promising lines (苗头品系) after a
  breeding time (third-order delay); lines then sit in national/provincial variety trials
  (``crop_lines_in_trials``, a stock) for the trial duration; a share of the lines leaving
  the trials is approved as new varieties (审定新品种, counted cumulatively), the rest are
  dropped.  Entries are also counted cumulatively (``crop_lines_entered_trials``): 002 counts
  lines that enter trials.
* **What is forecast.**  Approvals and trial entries are outcomes of breeding; the projects
  and introduced varieties the city funds are its own decisions, so their targets are set by
  policy.  No Xingtai history exists: costs per line and approval shares are assumptions.
* **Introduced varieties** (引进示范新品种) are demonstrated at a cost per variety and
  counted cumulatively.

Feedback loops
--------------
* None: the sector is driven by fiscal S&T spending and does not feed back into the
  innovation system (its outputs are counts the plans target).  Balancing within the
  pipeline: lines leave the trials at a rate proportional to the lines in trial.
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector
from . import _sources as S


def elements():
    els = []
    E = els.append

    E(const("agri_st_fiscal_share", 0.05, "dimensionless", bounds=(0, 0.2),
            en="Lever: share of local fiscal S&T spending on agricultural S&T", zh="杠杆: 财政科技支出中农业科技比例",
            source="002 四(四) 加强乡村振兴科技支撑; default 5% an assumption"))
    E(aux("agri_st_funding", "fiscal_st_spending * agri_st_fiscal_share", "hundred_million_CNY/year",
          en="Fiscal funding of agricultural S&T", zh="农业科技财政投入", source=S.S002_FISCAL))

    # ------------------------------------------------ key generic agricultural projects --
    E(const("agri_key_tech_funding_share", 0.4, "dimensionless", bounds=(0.2, 0.6),
            en="Share of agricultural S&T funding for key generic technology projects", zh="农业科技投入中关键共性技术研发比例",
            source="assumption"))
    E(const("cost_per_agri_key_project", 0.02, "hundred_million_CNY/project", bounds=(0.01, 0.03),
            en="Funding per key generic agricultural technology project", zh="每项农业关键共性技术研发项目经费",
            source="assumption: ≈2 M CNY per municipal project"))
    E(const("init_agri_key_tech_projects", 0, "project", en="Key generic agricultural technology projects counted from 2016",
            zh="农业关键共性技术研发项目(2016年起累计)", source=S.S002_AGRI_TECH))
    E(stock("agri_key_tech_projects", "init_agri_key_tech_projects", "project", inflows=["agri_key_project_starts"],
            en="Key generic agricultural technology R&D projects, cumulative since 2016", zh="农业关键共性技术研发(累计)",
            source=S.S002_AGRI_TECH))
    E(flow("agri_key_project_starts", "agri_st_funding * agri_key_tech_funding_share / cost_per_agri_key_project",
           "project/year", en="Key generic agricultural technology projects started", zh="新开展农业关键共性技术研发",
           source=S.S002_AGRI_TECH))

    # ------------------------------------------------------------ breeding pipeline --
    E(const("breeding_funding_share", 0.25, "dimensionless", bounds=(0.125, 0.375), en="Share of agricultural S&T funding for breeding",
            zh="农业科技投入中育种比例", source="assumption"))
    E(const("cost_per_breeding_line", 0.015, "hundred_million_CNY/project", bounds=(0.0075, 0.0225),
            en="Breeding funding per promising line brought to variety trials", zh="每个进入试验的苗头品系育种经费",
            source="assumption: ≈1.5 M CNY per line"))
    E(const("breeding_time", 3, "year", bounds=(1.5, 4.5), en="Time from breeding funding to a line entering variety trials",
            zh="育种至进入区域试验的时间", source="assumption: several generations of selection"))
    E(aux("agri_breeding_funding", "agri_st_funding * breeding_funding_share", "hundred_million_CNY/year",
          en="Fiscal funding of crop breeding", zh="育种财政投入", source=S.S002_SEEDS))
    E(flow("crop_trial_entries", "delay3(agri_breeding_funding / cost_per_breeding_line, breeding_time)", "project/year",
           en="Promising lines entering national or provincial variety trials", zh="苗头品系进入国家和省级试验",
           source=S.S002_SEEDS))
    E(const("variety_trial_duration", 2.5, "year", bounds=(1.25, 3.75), en="Average time a line spends in variety trials",
            zh="品种试验平均周期", source="assumption: two years of regional trials plus a production trial"))
    E(const("init_crop_lines_in_trials", 4, "project", bounds=(2, 6), en="Promising lines in variety trials, end-2015",
            zh="进入国家和省级试验的苗头品系(2015年末)",
            source="assumption: 2015 entries (≈1.7 a year at 2015 funding) × trial duration"))
    E(stock("crop_lines_in_trials", "init_crop_lines_in_trials", "project", inflows=["crop_trial_entries"],
            outflows=["crop_trial_completions"], en="Promising breeding lines in national or provincial variety trials",
            zh="进入国家和省级试验的苗头品系", source=S.S002_SEEDS))
    # 002 asks for lines *entering* trials ("有10个以上苗头品系进入国家和省级试验"): a count of
    # entries, not of the lines in trial at one moment.
    E(const("init_crop_lines_entered_trials", 0, "project", en="Promising lines that entered variety trials, counted from 2016",
            zh="进入国家和省级试验的苗头品系(2016年起累计)", source=S.S002_SEEDS))
    E(stock("crop_lines_entered_trials", "init_crop_lines_entered_trials", "project", inflows=["crop_trial_entries_counted"],
            en="Promising lines that entered national or provincial variety trials, cumulative since 2016",
            zh="进入国家和省级试验的苗头品系(累计)", source=S.S002_SEEDS))
    E(flow("crop_trial_entries_counted", "crop_trial_entries", "project/year", en="Trial entries counted",
           zh="进入试验的苗头品系计数", source=S.S002_SEEDS))
    E(flow("crop_trial_completions", "crop_lines_in_trials / variety_trial_duration", "project/year",
           en="Lines completing variety trials", zh="完成品种试验的品系", source="assumption"))
    E(const("variety_approval_share", 0.35, "dimensionless", bounds=(0.175, 0.525), en="Share of lines completing trials that are approved",
            zh="完成试验品系的审定通过比例", source="assumption"))
    E(const("init_crop_varieties_approved", 0, "project", en="New crop varieties approved, counted from 2016",
            zh="审定新品种(2016年起累计)", source=S.S002_SEEDS))
    E(stock("crop_varieties_approved", "init_crop_varieties_approved", "project", inflows=["variety_approvals"],
            en="New crop varieties officially approved, cumulative since 2016", zh="审定新品种(累计)", source=S.S002_SEEDS))
    E(flow("variety_approvals", "crop_trial_completions * variety_approval_share", "project/year",
           en="New crop varieties approved", zh="新审定品种", source=S.S002_SEEDS))

    # ----------------------------------------------------- introduced varieties --
    E(const("demonstration_funding_share", 0.3, "dimensionless", bounds=(0.15, 0.45),
            en="Share of agricultural S&T funding for introducing and demonstrating varieties", zh="农业科技投入中新品种引进示范比例",
            source="assumption"))
    E(const("cost_per_variety_demonstration", 0.02, "hundred_million_CNY/project", bounds=(0.01, 0.03),
            en="Funding per variety introduced and demonstrated", zh="每个引进示范新品种经费", source="assumption"))
    E(const("init_crop_varieties_introduced", 0, "project", en="Varieties introduced and demonstrated, counted from 2016",
            zh="引进示范新品种(2016年起累计)", source=S.S002_SEEDS))
    E(stock("crop_varieties_introduced", "init_crop_varieties_introduced", "project", inflows=["variety_introductions"],
            en="New crop varieties introduced and demonstrated, cumulative since 2016", zh="引进示范新品种(累计)",
            source=S.S002_SEEDS))
    E(flow("variety_introductions", "agri_st_funding * demonstration_funding_share / cost_per_variety_demonstration",
           "project/year", en="Varieties introduced and demonstrated", zh="新引进示范品种", source=S.S002_SEEDS))
    return with_sector(els, "agriculture")
