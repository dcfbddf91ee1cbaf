"""
Python model 'aging_chain.py'
Translated using PySD
"""

from pathlib import Path
import numpy as np

from pysd.py_backend.statefuls import Integ
from pysd import Component

__pysd_version__ = "3.14.3"

__data = {"scope": None, "time": lambda: 0}

_root = Path(__file__).parent


component = Component()

#######################################################################
#                          CONTROL VARIABLES                          #
#######################################################################

_control_vars = {
    "initial_time": lambda: 2015,
    "final_time": lambda: 2030,
    "time_step": lambda: 0.25,
    "saveper": lambda: time_step(),
}


def _init_outer_references(data):
    for key in data:
        __data[key] = data[key]


@component.add(name="Time")
def time():
    """
    Current time of the model.
    """
    return __data["time"]()


@component.add(
    name="INITIAL TIME", units="year", comp_type="Constant", comp_subtype="Normal"
)
def initial_time():
    """
    The initial time for the simulation.
    """
    return __data["time"].initial_time()


@component.add(
    name="FINAL TIME", units="year", comp_type="Constant", comp_subtype="Normal"
)
def final_time():
    """
    The final time for the simulation.
    """
    return __data["time"].final_time()


@component.add(
    name="TIME STEP", units="year", comp_type="Constant", comp_subtype="Normal"
)
def time_step():
    """
    The time step for the simulation.
    """
    return __data["time"].time_step()


@component.add(
    name="SAVEPER",
    units="year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"time_step": 1},
)
def saveper():
    """
    The save time step for the simulation.
    """
    return __data["time"].saveper()


#######################################################################
#                           MODEL VARIABLES                           #
#######################################################################


@component.add(
    name="cohort_time", units="year", comp_type="Constant", comp_subtype="Normal"
)
def cohort_time():
    return 1


@component.add(
    name="attrition_rate",
    units="1/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"attrition_decline": 1, "time": 1},
)
def attrition_rate():
    return 0.05 - attrition_decline() * float(np.maximum(0, time() - 2020))


@component.add(
    name="certification_growth",
    units="firm/year/year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def certification_growth():
    return 2


@component.add(
    name="attrition_decline",
    units="1/year/year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def attrition_decline():
    return 0.01


@component.add(
    name="certified",
    units="firm",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cohort_1": 1, "cohort_2": 1, "cohort_3": 1},
)
def certified():
    return cohort_1() + cohort_2() + cohort_3()


@component.add(
    name="certifications",
    units="firm/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"certification_growth": 1, "time": 1},
)
def certifications():
    return 30 + certification_growth() * (time() - 2015)


@component.add(
    name="aging_1",
    units="firm/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cohort_1": 1, "cohort_time": 1},
)
def aging_1():
    return cohort_1() / cohort_time()


@component.add(
    name="aging_2",
    units="firm/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cohort_2": 1, "cohort_time": 1},
)
def aging_2():
    return cohort_2() / cohort_time()


@component.add(
    name="expiry",
    units="firm/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cohort_3": 1, "cohort_time": 1},
)
def expiry():
    return cohort_3() / cohort_time()


@component.add(
    name="attrition_1",
    units="firm/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cohort_1": 1, "attrition_rate": 1},
)
def attrition_1():
    return float(np.maximum(cohort_1() * attrition_rate(), 0))


@component.add(
    name="attrition_2",
    units="firm/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cohort_2": 1, "attrition_rate": 1},
)
def attrition_2():
    return float(np.maximum(cohort_2() * attrition_rate(), 0))


@component.add(
    name="attrition_3",
    units="firm/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cohort_3": 1, "attrition_rate": 1},
)
def attrition_3():
    return float(np.maximum(cohort_3() * attrition_rate(), 0))


@component.add(
    name="cohort_1",
    units="firm",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_cohort_1": 1},
    other_deps={
        "_integ_cohort_1": {
            "initial": {},
            "step": {"certifications": 1, "aging_1": 1, "attrition_1": 1},
        }
    },
)
def cohort_1():
    return _integ_cohort_1()


_integ_cohort_1 = Integ(
    lambda: certifications() - aging_1() - attrition_1(), lambda: 60, "_integ_cohort_1"
)


@component.add(
    name="cohort_2",
    units="firm",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_cohort_2": 1},
    other_deps={
        "_integ_cohort_2": {
            "initial": {},
            "step": {"aging_1": 1, "aging_2": 1, "attrition_2": 1},
        }
    },
)
def cohort_2():
    return _integ_cohort_2()


_integ_cohort_2 = Integ(
    lambda: aging_1() - aging_2() - attrition_2(), lambda: 50, "_integ_cohort_2"
)


@component.add(
    name="cohort_3",
    units="firms",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_cohort_3": 1},
    other_deps={
        "_integ_cohort_3": {
            "initial": {},
            "step": {"aging_2": 1, "expiry": 1, "attrition_3": 1},
        }
    },
)
def cohort_3():
    return _integ_cohort_3()


_integ_cohort_3 = Integ(
    lambda: aging_2() - expiry() - attrition_3(), lambda: 40, "_integ_cohort_3"
)
