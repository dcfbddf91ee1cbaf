"""
Python model 'if_then_else.py'
Translated using PySD
"""

from pathlib import Path
import numpy as np

from pysd.py_backend.functions import if_then_else
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
    "initial_time": lambda: 0,
    "final_time": lambda: 30,
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
    name="reference_capital",
    units="dollar",
    comp_type="Constant",
    comp_subtype="Normal",
)
def reference_capital():
    return 10


@component.add(
    name="unit_time", units="year", comp_type="Constant", comp_subtype="Normal"
)
def unit_time():
    return 1


@component.add(
    name="lifetime",
    units="year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"time": 2},
)
def lifetime():
    return if_then_else(
        np.logical_or(time() == 10, time() != 10), lambda: 12, lambda: 1
    )


@component.add(
    name="investment",
    units="dollar/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"capital": 5, "time": 2, "reference_capital": 1, "unit_time": 2},
)
def investment():
    return if_then_else(
        np.logical_and(capital() < 40, np.logical_not(time() >= 20)),
        lambda: 0.3
        * capital()
        * (capital() / reference_capital()) ** -0.1
        / unit_time(),
        lambda: if_then_else(
            np.logical_or(capital() >= 60, time() > 25),
            lambda: 1,
            lambda: float(
                np.minimum(float(np.maximum(2, 0.05 * capital() / unit_time())), 5)
            ),
        ),
    )


@component.add(
    name="depreciation",
    units="dollar/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "capital": 3,
        "lifetime": 1,
        "reference_capital": 3,
        "time": 1,
        "unit_time": 2,
    },
)
def depreciation():
    return (
        capital()
        / lifetime()
        * (
            1
            + 0.1
            * float(
                np.sqrt(float(np.abs(float(np.log(capital() / reference_capital())))))
            )
        )
        - float(np.exp(-time() / unit_time() / 10))
        * (capital() / reference_capital()) ** -0.5
        * reference_capital()
        / unit_time()
    )


@component.add(
    name="capital",
    units="dollar",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_capital": 1},
    other_deps={
        "_integ_capital": {"initial": {}, "step": {"investment": 1, "depreciation": 1}}
    },
)
def capital():
    return _integ_capital()


_integ_capital = Integ(
    lambda: investment() - depreciation(), lambda: 10, "_integ_capital"
)
