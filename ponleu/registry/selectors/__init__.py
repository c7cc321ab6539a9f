"""Every read of registry data starts from ``visible_to(actor)`` and is access-audited."""
