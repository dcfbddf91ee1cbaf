"""
Python model 'step_pulse.py'
Translated using PySD
"""

from pathlib import Path

from pysd.py_backend.functions import step, ramp, pulse
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
    "final_time": lambda: 24,
    "time_step": lambda: 0.5,
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
    name="pulse_size", units="widget", comp_type="Constant", comp_subtype="Normal"
)
def pulse_size():
    return 10


@component.add(
    name="ramp_slope",
    units="widget/year/year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def ramp_slope():
    return 0.5


@component.add(
    name="drain_time", units="year", comp_type="Constant", comp_subtype="Normal"
)
def drain_time():
    return 4


@component.add(
    name="input",
    units="widget/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"time": 4, "pulse_size": 1, "ramp_slope": 2},
)
def input_1():
    return (
        step(__data["time"], 2, 3)
        + pulse(__data["time"], 6, magnitude=pulse_size())
        + ramp(__data["time"], ramp_slope(), 10, 14)
        + ramp(__data["time"], -ramp_slope() / 5, 18)
    )


@component.add(
    name="drain",
    units="widget/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"level": 1, "drain_time": 1},
)
def drain():
    return level() / drain_time()


@component.add(
    name="level",
    units="widget",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_level": 1},
    other_deps={"_integ_level": {"initial": {}, "step": {"input_1": 1, "drain": 1}}},
)
def level():
    return _integ_level()


_integ_level = Integ(lambda: input_1() - drain(), lambda: 5, "_integ_level")
