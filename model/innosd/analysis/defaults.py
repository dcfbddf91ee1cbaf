"""Defaults of the analyses that the command line states in its help: kept here, apart from the
analyses themselves, so that building the parser imports none of their libraries."""

DEFAULT_SEED = 20240101       # calibration
DEFAULT_STEPS = 8000          # emcee steps per walker: about 6-7 minutes for Xingtai on the 2-core machine
METHODS = ("sobol", "morris")  # sensitivity
POLICY_YEAR = 2021            # levers under analysis take their sampled value from this year on
DEFAULT_YEARS = (2025, 2027)
MAX_DEFAULT_INDICATORS = 8
