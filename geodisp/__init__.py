"""geodisp."""
