"""Outputs: results to files people read (tables, charts, reports, docs), atomically, with manifests."""
