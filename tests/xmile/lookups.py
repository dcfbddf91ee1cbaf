"""
Python model 'lookups.py'
Translated using PySD
"""

from pathlib import Path
import numpy as np

from pysd.py_backend.statefuls import Integ
from pysd.py_backend.lookups import HardcodedLookups
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
    "final_time": lambda: 20,
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
    name="capacity", units="widget/year", comp_type="Constant", comp_subtype="Normal"
)
def capacity():
    return 10


@component.add(
    name="target_inventory",
    units="widget",
    comp_type="Auxiliary",
    comp_subtype="with Lookup",
    depends_on={"inventory_gap_basis": 1},
)
def target_inventory():
    return np.interp(
        inventory_gap_basis(), [0.0, 50.0, 100.0, 200.0], [80.0, 90.0, 100.0, 150.0]
    )


@component.add(
    name="Inventory gap basis",
    units="widget",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"inventory": 1},
)
def inventory_gap_basis():
    return inventory()


@component.add(
    name="production",
    units="widget/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "capacity": 1,
        "inventory": 1,
        "target_inventory": 1,
        "utilisation_effect": 1,
    },
)
def production():
    return capacity() * utilisation_effect(inventory() / target_inventory())


@component.add(
    name="shipments",
    units="widget/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"time": 2, "demand_curve": 1, "price_schedule": 1},
)
def shipments():
    return demand_curve(time()) * price_schedule(time())


@component.add(
    name="utilisation effect",
    units="dmnl",
    comp_type="Lookup",
    comp_subtype="Normal",
    depends_on={"__lookup__": "_hardcodedlookup_utilisation_effect"},
)
def utilisation_effect(x, final_subs=None):
    return _hardcodedlookup_utilisation_effect(x, final_subs)


_hardcodedlookup_utilisation_effect = HardcodedLookups(
    [0.0, 0.5, 1.0, 1.5, 2.0],
    [1.2, 1.1, 1.0, 0.6, 0.2],
    {},
    "interpolate",
    {},
    "_hardcodedlookup_utilisation_effect",
)


@component.add(
    name="demand_curve",
    units="widget/year",
    comp_type="Lookup",
    comp_subtype="Normal",
    depends_on={"__lookup__": "_hardcodedlookup_demand_curve"},
)
def demand_curve(x, final_subs=None):
    return _hardcodedlookup_demand_curve(x, final_subs)


_hardcodedlookup_demand_curve = HardcodedLookups(
    [0.0, 5.0, 10.0, 15.0, 20.0],
    [8.0, 12.0, 15.0, 11.0, 9.0],
    {},
    "interpolate",
    {},
    "_hardcodedlookup_demand_curve",
)


@component.add(
    name="price_schedule",
    units="dmnl",
    comp_type="Lookup",
    comp_subtype="Normal",
    depends_on={"__lookup__": "_hardcodedlookup_price_schedule"},
)
def price_schedule(x, final_subs=None):
    return _hardcodedlookup_price_schedule(x, final_subs)


_hardcodedlookup_price_schedule = HardcodedLookups(
    [0.0, 5.0, 10.0, 12.5],
    [1.0, 0.8, 1.3, 1.0],
    {},
    "hold_backward",
    {},
    "_hardcodedlookup_price_schedule",
)


@component.add(
    name="Inventory",
    units="widget",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_inventory": 1},
    other_deps={
        "_integ_inventory": {"initial": {}, "step": {"production": 1, "shipments": 1}}
    },
)
def inventory():
    """
    Widgets in the warehouse
    """
    return _integ_inventory()


_integ_inventory = Integ(
    lambda: production() - shipments(), lambda: 100, "_integ_inventory"
)
