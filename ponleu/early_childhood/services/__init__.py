"""Writes of early childhood work: factories, nurseries and their days, the development
instrument and the checks taken with it."""
