"""``innosd explore``: move a lever, see the future change.

:mod:`.session` holds what stays in memory between changes (the compiled model, the posterior
parameter sets, the merged inputs, the baseline) and recomputes an ensemble through the one
ensemble path; :mod:`.app` is the Bokeh page and server (the ``explore`` extra), bound to 127.0.0.1.
"""
