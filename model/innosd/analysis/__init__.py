"""Analysis: forecasts and attainment, calibration, sensitivity, reach, behaviour checks.
Each returns a result object and writes nothing."""
