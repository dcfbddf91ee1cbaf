"""Model error: autocorrelated noise on the main rates (issue 11.2).

Mechanisms
----------
* Each noisy rate is multiplied by ``exp(x)``, where ``x`` is an Ornstein-Uhlenbeck process
  (Vensim's pink noise, Sterman 2000 ch. 11): mean 0, stationary standard deviation
  ``<rate>_noise_sd``, correlation time ``model_error_correlation_time``. The median of
  ``exp(x)`` is 1, so the median rate is the deterministic one (its mean is higher by
  ``exp(sd²/2)``, under 1 % for sd ≤ 0.14).
* ``x`` is a stock updated with the exact discretisation of the OU process at the model's time
  step, ``x(t+dt) = φ x(t) + sd √(1-φ²) ε``, ``φ = exp(-dt/τ)``: with Euler integration (the
  shipped setting) its stationary sd and autocorrelation ``exp(-lag/τ)`` hold exactly for any
  dt. It starts stationary, ``x(start) = sd · ε₀``.
* ``ε`` (``<rate>_noise_shock``, one standard-normal value per run and time step) and ``ε₀``
  (``<rate>_noise_start``) are exogenous inputs the runs layer draws from the run seed
  (``innosd.runs.ensemble.model_error_inputs``). Their defaults are 0: without them, or with
  sd 0, ``x`` stays 0 and every number is the deterministic model's.
* Enterprise R&D takes the noise on its **growth**: the OU process is a growth-rate deviation
  (1/year) integrated into a log-level deviation that starts at 0 in the start year, so the
  enterprise R&D band widens with the horizon as data on year-to-year R&D growth suggest.

Feedback loops
--------------
None of its own: the noise is exogenous. It enters the other sectors' loops through the rates it
multiplies (R4 pipeline through certifications and enterprise R&D, the tech market through
deals), so a run's error in one rate propagates along them.

The OU states are stocks whose initial value is derived (``sd × ε₀``), not an ``init_`` constant.

Why the noise and how large: ``docs/model-error.md``; the sds' priors come from the
year-to-year variation of the historical series (``innosd.analysis.model_error``).
"""
from __future__ import annotations

from ..core.equations import aux, const, flow, stock, with_sector

#: noisy rate -> (units of the OU state, what the noise multiplies)
NOISY_RATES = {
    "firm_formation": ("dimensionless", "first-time tech-SME registrations (tech_sme_new_registrations)"),
    "hte_certification": ("dimensionless", "first HTE certifications (hte_new_certifications)"),
    "enterprise_rd_growth": ("1/year", "growth of private enterprise R&D (private_rd_real), integrated"),
    "rd_coverage": ("dimensionless", "the rise of R&D statistical coverage (rd_coverage_gain)"),
    "tech_deals": ("dimensionless", "technology deal volume (tech_deal_volume)"),
    "platform_building": ("dimensionless", "municipal and provincial platform builds"),
    "county_score": ("dimensionless", "the mean county capability score (county_capability_score)"),
}
ZH = {
    "firm_formation": "科技型中小企业新入库", "hte_certification": "高企认定", "enterprise_rd_growth": "企业研发增长",
    "rd_coverage": "研发统计覆盖率提高", "tech_deals": "技术交易额", "platform_building": "创新平台建设",
    "county_score": "县域科技创新能力得分",
}
#: the model default of each sd (= the prior's default in calibration/priors.csv) and its upper bound
SD_DEFAULTS = {
    "firm_formation": (0.129, 1.0), "hte_certification": (0.129, 1.0), "enterprise_rd_growth": (0.0616, 0.3),
    "rd_coverage": (0.129, 1.0), "tech_deals": (0.129, 1.0), "platform_building": (0.129, 1.0),
    "county_score": (0.0278, 0.2),
}
CORRELATION_TIME = "model_error_correlation_time"


def sd_name(rate: str) -> str:
    return f"{rate}_noise_sd"


#: the parameters of the model error: its sizes and correlation time (they matter only with noise inputs)
MODEL_ERROR_PARAMETERS = (CORRELATION_TIME,) + tuple(sd_name(rate) for rate in NOISY_RATES)


def shock_name(rate: str) -> str:
    return f"{rate}_noise_shock"


def start_name(rate: str) -> str:
    return f"{rate}_noise_start"


def state_name(rate: str) -> str:
    return f"{rate}_noise"


def multiplier_name(rate: str) -> str:
    return f"{rate}_error_multiplier"


def ou_process(rate: str, units: str, what: str) -> list:
    """The declarations of one OU noise process: sd, inputs, state stock and its update."""
    x, sd, eps = state_name(rate), sd_name(rate), shock_name(rate)
    default, hi = SD_DEFAULTS[rate]
    return [
        const(sd, default, units, bounds=(0.0, hi),
              en=f"Standard deviation of the model error on {what}", zh=f"{ZH[rate]}模型误差标准差",
              source="calibration/priors.csv: estimated from year-to-year variation of the historical series "
                     "(docs/model-error.md)"),
        const(eps, 0, "dimensionless", en=f"Standard-normal innovation of the model error on {what} (per time step)",
              zh=f"{ZH[rate]}模型误差随机扰动", source="definition: drawn by the runs layer from the run seed; 0 = no error"),
        const(start_name(rate), 0, "dimensionless",
              en=f"Standard-normal start value of the model error on {what}", zh=f"{ZH[rate]}模型误差初值扰动",
              source="definition: drawn by the runs layer from the run seed; 0 = no error"),
        stock(x, f"{sd} * {start_name(rate)}", units, inflows=[f"{x}_change"], bounds=(None, None),
              en=f"Model error (OU state) on {what}", zh=f"{ZH[rate]}模型误差", source="Sterman (2000) ch. 11, pink noise"),
        flow(f"{x}_change",
             f"({sd} * sqrt(1 - exp(-2 * time_step / {CORRELATION_TIME})) * {eps}"
             f" - (1 - exp(-time_step / {CORRELATION_TIME})) * {x}) / time_step",
             f"{units}/year", en=f"Update of the model error on {what} (exact OU step)", zh=f"{ZH[rate]}模型误差更新",
             source="exact discretisation of the Ornstein-Uhlenbeck process at the time step"),
    ]


def elements():
    els = [const(CORRELATION_TIME, 1.0, "year", bounds=(0.25, 5.0),
                 en="Correlation time of the model-error processes", zh="模型误差相关时间",
                 source="assumption (docs/model-error.md): about one budget and certification cycle; no series "
                        "has three consecutive yearly points to estimate it")]
    for rate, (units, what) in NOISY_RATES.items():
        els += ou_process(rate, units, what)
        if rate != "enterprise_rd_growth":
            els.append(aux(multiplier_name(rate), f"exp({state_name(rate)})", "dimensionless",
                           en=f"Multiplier of {what} from model error (median 1)", zh=f"{ZH[rate]}模型误差乘数",
                           source="docs/model-error.md"))
    # enterprise R&D: the growth deviation accumulates into a log-level deviation, 0 at the start
    els += [
        const("init_enterprise_rd_level_error", 0, "dimensionless",
              en="Log deviation of private enterprise R&D from the model, start year", zh="企业研发模型误差(初值)",
              source="definition: the start year's R&D is observed"),
        stock("enterprise_rd_level_error", "init_enterprise_rd_level_error", "dimensionless",
              inflows=["enterprise_rd_level_error_change"], bounds=(None, None),
              en="Log deviation of private enterprise R&D from the model (integrated growth error)",
              zh="企业研发模型误差(对数偏离)", source="docs/model-error.md"),
        flow("enterprise_rd_level_error_change", state_name("enterprise_rd_growth"), "1/year",
             en="Growth error of private enterprise R&D", zh="企业研发增长误差", source="docs/model-error.md"),
        aux(multiplier_name("enterprise_rd_growth"), "exp(enterprise_rd_level_error)", "dimensionless",
            en="Multiplier of private enterprise R&D from model error (median 1)", zh="企业研发模型误差乘数",
            source="docs/model-error.md"),
    ]
    return with_sector(els, "model_error")
