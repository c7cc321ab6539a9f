"""Every write to scholarships: schemes, applications and awards, payments."""
