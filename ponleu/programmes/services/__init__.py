"""Writes of programme work, one module per topic; each is one transaction with its audit row."""
