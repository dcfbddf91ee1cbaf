"""Figures: charts drawn from tidy results (matplotlib figures, never files)."""
