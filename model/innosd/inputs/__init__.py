"""Inputs: the workspace, region data, scenario files, priors, targets and posteriors; read and validated."""
