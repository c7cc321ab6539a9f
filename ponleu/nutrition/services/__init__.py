"""Writes of growth monitoring: measurements (services.measurements), what a severe or moderate
finding starts (services.alerts) and the referral of a severe case (services.referral)."""
