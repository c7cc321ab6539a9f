"""Early-warning screens: reading risk (``risk``), acting on flags (``review``), models and rules (``manage``)."""
