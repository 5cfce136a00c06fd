"""Displacement estimates: housing-based, exposure-based and Civil Protection
records, reconciled per unit with ranges and provenance. See docs/methods.md."""
