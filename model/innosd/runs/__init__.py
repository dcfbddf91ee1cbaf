"""Runs: the one ensemble path (any compiled model x parameter sets x scenario inputs), local or on Dask."""
