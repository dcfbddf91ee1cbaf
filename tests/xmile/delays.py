"""
Python model 'delays.py'
Translated using PySD
"""

from pathlib import Path

from pysd.py_backend.functions import step
from pysd.py_backend.statefuls import Smooth, Integ, Delay
from pysd import Component

__pysd_version__ = "3.14.3"

__data = {"scope": None, "time": lambda: 0}

_root = Path(__file__).parent


component = Component()

#######################################################################
#                          CONTROL VARIABLES                          #
#######################################################################

_control_vars = {
    "initial_time": lambda: 2000,
    "final_time": lambda: 2015,
    "time_step": lambda: 0.125,
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
    name="delivery_time",
    units="year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"backlog": 1, "reference_orders": 1},
)
def delivery_time():
    return 1.5 + backlog() / reference_orders()


@component.add(
    name="reference_orders",
    units="order/year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def reference_orders():
    return 100


@component.add(
    name="perceived_orders",
    units="order/year",
    comp_type="Stateful",
    comp_subtype="Smooth",
    depends_on={"_smooth_perceived_orders": 1},
    other_deps={
        "_smooth_perceived_orders": {"initial": {"orders": 1}, "step": {"orders": 1}}
    },
)
def perceived_orders():
    return _smooth_perceived_orders()


_smooth_perceived_orders = Smooth(
    lambda: orders(), lambda: 2, lambda: orders(), lambda: 1, "_smooth_perceived_orders"
)


@component.add(
    name="expected_orders",
    units="order/year",
    comp_type="Stateful",
    comp_subtype="Smooth",
    depends_on={"_smooth_expected_orders": 1},
    other_deps={"_smooth_expected_orders": {"initial": {}, "step": {"orders": 1}}},
)
def expected_orders():
    return _smooth_expected_orders()


_smooth_expected_orders = Smooth(
    lambda: orders(), lambda: 3, lambda: 25, lambda: 3, "_smooth_expected_orders"
)


@component.add(
    name="orders",
    units="order/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"time": 2},
)
def orders():
    return 20 + step(__data["time"], 10, 2003) - step(__data["time"], 15, 2009)


@component.add(
    name="deliveries",
    units="order/year",
    comp_type="Stateful",
    comp_subtype="Delay",
    depends_on={"_delay_deliveries": 1},
    other_deps={
        "_delay_deliveries": {
            "initial": {"delivery_time": 1},
            "step": {"orders": 1, "delivery_time": 1},
        }
    },
)
def deliveries():
    return _delay_deliveries()


_delay_deliveries = Delay(
    lambda: orders(),
    lambda: delivery_time(),
    lambda: 18,
    lambda: 3,
    time_step,
    "_delay_deliveries",
)


@component.add(
    name="receipts",
    units="order/year",
    comp_type="Stateful",
    comp_subtype="Delay",
    depends_on={"_delay_receipts": 1},
    other_deps={
        "_delay_receipts": {"initial": {"deliveries": 1}, "step": {"deliveries": 1}}
    },
)
def receipts():
    return _delay_receipts()


_delay_receipts = Delay(
    lambda: deliveries(),
    lambda: 0.5,
    lambda: deliveries(),
    lambda: 1,
    time_step,
    "_delay_receipts",
)


@component.add(
    name="error_accumulation",
    units="order/year",
    comp_type="Stateful",
    comp_subtype="Smooth",
    depends_on={
        "perceived_orders": 1,
        "expected_orders": 1,
        "_smooth_error_accumulation": 1,
    },
    other_deps={
        "_smooth_error_accumulation": {"initial": {}, "step": {"deliveries": 1}}
    },
)
def error_accumulation():
    return perceived_orders() - expected_orders() + _smooth_error_accumulation() - 20


_smooth_error_accumulation = Smooth(
    lambda: deliveries(), lambda: 1, lambda: 20, lambda: 1, "_smooth_error_accumulation"
)


@component.add(
    name="backlog",
    units="order",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_backlog": 1},
    other_deps={
        "_integ_backlog": {"initial": {}, "step": {"orders": 1, "deliveries": 1}}
    },
)
def backlog():
    return _integ_backlog()


_integ_backlog = Integ(lambda: orders() - deliveries(), lambda: 50, "_integ_backlog")


@component.add(
    name="delivered",
    units="order",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_delivered": 1},
    other_deps={"_integ_delivered": {"initial": {}, "step": {"receipts": 1}}},
)
def delivered():
    return _integ_delivered()


_integ_delivered = Integ(lambda: receipts(), lambda: 0, "_integ_delivered")


@component.add(
    name="forecast_error",
    units="order",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_forecast_error": 1},
    other_deps={
        "_integ_forecast_error": {"initial": {}, "step": {"error_accumulation": 1}}
    },
)
def forecast_error():
    return _integ_forecast_error()


_integ_forecast_error = Integ(
    lambda: error_accumulation(), lambda: 0, "_integ_forecast_error"
)
