"""Test model for the benchmark: 12 stocks, 21 flows, 2016-2030 at dt 0.25.

A small innovation system: incubated startups graduate into tech SMEs, SMEs with enough
patents are certified as high-tech enterprises (HTE, a three-cohort certificate chain),
researchers come out of a graduate pipeline and produce patents with R&D capital
(Cobb-Douglas), venture capital follows the HTE base, and a perceived attractiveness (a
first-order smooth written as a stock) feeds back on enrolment, hiring and technology
contracts.  The same equations are written twice: ``ELEMENTS`` (our equation language) and
:func:`hand_loop` (NumPy by hand), the speed limit for the engine. The comparison with PySD
uses the shipped model itself, exported to XMILE (benchmarks/xmile.py).
"""
from __future__ import annotations

import numpy as np

from innosd.core.equations import aging_chain, aux, const, flow, lookup, stock

START, STOP, DT = 2016, 2030, 0.25

#: constants: name -> (value, units); the ensemble varies the first five
CONSTANTS = {
    "rd_intensity": (0.03, "dmnl"), "gdp_growth": (0.06, "1/year"), "startup_rate": (0.09, "firm/person/year"),
    "upgrade_rate": (0.06, "1/year"), "hire_share": (0.4, "dmnl"),
    "gdp_2016": (20000, "hundred_million_CNY/year"), "rd_boost": (0.005, "dmnl"), "rd_life": (8, "year"),
    "study_time": (3, "year"), "enrol_base": (20000, "person/year"), "enrol_gain": (0.5, "dmnl"),
    "attrition_rate": (0.05, "1/year"), "base_grants": (5000, "patent/year"),
    "researchers_ref": (60000, "person"), "rd_ref": (4000, "hundred_million_CNY"), "patent_life": (12, "year"),
    "incubation_time": (2, "year"), "success_share": (0.6, "dmnl"), "sme_exit_rate": (0.05, "1/year"),
    "patents_per_hte": (1, "patent/firm"), "cohort_time": (1, "year"), "hte_ref": (5400, "firm"),
    "vc_base": (50, "hundred_million_CNY/year"), "vc_ref": (150, "hundred_million_CNY"),
    "deploy_time": (3, "year"), "contract_rate": (0.025, "contract/patent/year"),
    "contract_time": (2, "year"), "perception_time": (1.5, "year"),
}
VARIED = ["rd_intensity", "gdp_growth", "startup_rate", "upgrade_rate", "hire_share"]
VC_EFFECT = [(0, 0.3), (0.5, 0.7), (1, 1), (2, 1.4), (4, 1.6)]
UNITS = ["CNY = [currency]", "hundred_million_CNY = 1e8 * CNY", "firm = [firm]", "patent = [patent]",
         "person = [person]", "contract = [contract]"]

STOCKS = ["startups", "smes", "hte_1", "hte_2", "hte_3", "patents", "rd_capital", "researchers",
          "students", "vc_pool", "contracts", "perceived_attractiveness"]

ELEMENTS = [const(n, v, u) for n, (v, u) in CONSTANTS.items()] + [
    lookup("vc_effect", VC_EFFECT, "dmnl", "dmnl"),
    aux("gdp", "gdp_2016 * exp(gdp_growth * (time - 2016))", "hundred_million_CNY/year"),
    aux("indicated_attractiveness", "min(max(hte_total / hte_ref, 0.2), 2)", "dmnl"),
    stock("startups", 11000, "firm", inflows=["startup_creation"], outflows=["startup_graduation", "startup_failure"]),
    flow("startup_creation", "startup_rate * researchers * lookup(vc_effect, vc_pool / vc_ref)", "firm/year"),
    flow("startup_graduation", "startups / incubation_time * success_share", "firm/year"),
    flow("startup_failure", "startups / incubation_time * (1 - success_share)", "firm/year"),
    stock("smes", 30000, "firm", inflows=["startup_graduation"], outflows=["sme_upgrade", "sme_exit"]),
    flow("sme_upgrade", "smes * upgrade_rate * min(1, patents / (patents_per_hte * smes))", "firm/year"),
    flow("sme_exit", "smes * sme_exit_rate", "firm/year"),
    *aging_chain("hte", 3, inflow="sme_upgrade", cohort_time="cohort_time", initial=5400, units="firm",
                 final_outflow="hte_expiry"),
    stock("patents", 40000, "patent", inflows=["patent_grants"], outflows=["patent_expiry"]),
    flow("patent_grants", "base_grants * (researchers / researchers_ref) ** 0.6 * (rd_capital / rd_ref) ** 0.4",
         "patent/year"),
    flow("patent_expiry", "patents / patent_life", "patent/year"),
    stock("rd_capital", 4000, "hundred_million_CNY", inflows=["rd_investment"], outflows=["rd_depreciation"]),
    flow("rd_investment", "(rd_intensity + step(rd_boost, 2020)) * gdp", "hundred_million_CNY/year"),
    flow("rd_depreciation", "rd_capital / rd_life", "hundred_million_CNY/year"),
    stock("researchers", 60000, "person", inflows=["researcher_hiring"], outflows=["researcher_attrition"]),
    flow("researcher_hiring", "graduation * hire_share * min(perceived_attractiveness, 1.5)", "person/year"),
    flow("researcher_attrition", "researchers * attrition_rate", "person/year"),
    stock("students", 60000, "person", inflows=["enrolment"], outflows=["graduation"]),
    flow("enrolment", "enrol_base * (1 + enrol_gain * (perceived_attractiveness - 1))", "person/year"),
    flow("graduation", "students / study_time", "person/year"),
    stock("vc_pool", 150, "hundred_million_CNY", inflows=["vc_inflow"], outflows=["vc_deployment"]),
    flow("vc_inflow", "vc_base * sqrt(hte_total / hte_ref)", "hundred_million_CNY/year"),
    flow("vc_deployment", "vc_pool / deploy_time", "hundred_million_CNY/year"),
    stock("contracts", 2000, "contract", inflows=["contract_signing"], outflows=["contract_completion"]),
    flow("contract_signing", "contract_rate * patents * perceived_attractiveness", "contract/year"),
    flow("contract_completion", "contracts / contract_time", "contract/year"),
    stock("perceived_attractiveness", 1, "dmnl", inflows=["attractiveness_adjustment"]),
    flow("attractiveness_adjustment", "(indicated_attractiveness - perceived_attractiveness) / perception_time",
         "1/year"),
]


def hand_loop(params: dict, n: int, outputs=("patents", "hte_total", "researchers"), dt=DT):
    """The same model as a hand-written vectorised Euler loop; returns {output: (n_save, n)}."""
    p = {k: np.broadcast_to(np.asarray(params.get(k, v), float), (n,)) if k in params else v
         for k, (v, _) in CONSTANTS.items()}
    xs, ys = np.array(VC_EFFECT).T
    startups, smes = np.full(n, 11000.0), np.full(n, 30000.0)
    hte1, hte2, hte3 = np.full(n, 1800.0), np.full(n, 1800.0), np.full(n, 1800.0)
    patents, rd_capital, researchers = np.full(n, 40000.0), np.full(n, 4000.0), np.full(n, 60000.0)
    students, vc_pool, contracts, perceived = np.full(n, 60000.0), np.full(n, 150.0), np.full(n, 2000.0), np.ones(n)
    n_steps, stride = round((STOP - START) / dt), round(1 / dt)
    out = {k: np.empty((n_steps // stride + 1, n)) for k in outputs}

    def record(k):
        values = {"patents": patents, "hte_total": hte1 + hte2 + hte3, "researchers": researchers,
                  "startups": startups, "smes": smes, "rd_capital": rd_capital}
        for name in outputs:
            out[name][k] = values[name]

    record(0)
    for i in range(n_steps):
        t = START + i * dt
        hte_total = hte1 + hte2 + hte3
        gdp = p["gdp_2016"] * np.exp(p["gdp_growth"] * (t - 2016))
        indicated = np.minimum(np.maximum(hte_total / p["hte_ref"], 0.2), 2)
        startup_creation = p["startup_rate"] * researchers * np.interp(vc_pool / p["vc_ref"], xs, ys)
        startup_graduation = startups / p["incubation_time"] * p["success_share"]
        startup_failure = startups / p["incubation_time"] * (1 - p["success_share"])
        sme_upgrade = smes * p["upgrade_rate"] * np.minimum(1, patents / (p["patents_per_hte"] * smes))
        sme_exit = smes * p["sme_exit_rate"]
        aging_1, aging_2, expiry = hte1 / p["cohort_time"], hte2 / p["cohort_time"], hte3 / p["cohort_time"]
        grants = p["base_grants"] * (researchers / p["researchers_ref"]) ** 0.6 * (rd_capital / p["rd_ref"]) ** 0.4
        patent_expiry = patents / p["patent_life"]
        rd_investment = (p["rd_intensity"] + (p["rd_boost"] if t + dt / 2 > 2020 else 0.0)) * gdp
        rd_depreciation = rd_capital / p["rd_life"]
        graduation = students / p["study_time"]
        hiring = graduation * p["hire_share"] * np.minimum(perceived, 1.5)
        attrition = researchers * p["attrition_rate"]
        enrolment = p["enrol_base"] * (1 + p["enrol_gain"] * (perceived - 1))
        vc_inflow = p["vc_base"] * np.sqrt(hte_total / p["hte_ref"])
        vc_deployment = vc_pool / p["deploy_time"]
        signing = p["contract_rate"] * patents * perceived
        completion = contracts / p["contract_time"]
        adjustment = (indicated - perceived) / p["perception_time"]

        startups = startups + dt * (startup_creation - startup_graduation - startup_failure)
        smes = smes + dt * (startup_graduation - sme_upgrade - sme_exit)
        hte1, hte2, hte3 = (hte1 + dt * (sme_upgrade - aging_1), hte2 + dt * (aging_1 - aging_2),
                            hte3 + dt * (aging_2 - expiry))
        patents = patents + dt * (grants - patent_expiry)
        rd_capital = rd_capital + dt * (rd_investment - rd_depreciation)
        researchers = researchers + dt * (hiring - attrition)
        students = students + dt * (enrolment - graduation)
        vc_pool = vc_pool + dt * (vc_inflow - vc_deployment)
        contracts = contracts + dt * (signing - completion)
        perceived = perceived + dt * adjustment
        if (i + 1) % stride == 0:
            record((i + 1) // stride)
    return out
