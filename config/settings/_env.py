"""Typed readers for the environment.

Settings vary only by environment variables; every reader fails with a one-line
``ImproperlyConfigured`` naming the variable, so that ``ponleu`` can print it
without a traceback.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"{name} must be set in the environment.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    value = env_str(name, required=required)
    if value is None:
        return list(default or [])
    items = [item.strip() for item in value.split(",") if item.strip()]
    if required and not items:
        raise ImproperlyConfigured(f"{name} must list at least one value.")
    return items


def env_networks(name: str) -> list[str]:
    """Comma-separated addresses or networks (``10.0.0.5``, ``10.0.0.0/8``, ``2001:db8::/32``)."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks separated by commas, not {item!r}."
            ) from None
    return networks


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


SUPPORTED_DATABASE_SCHEMES = ("postgres", "postgresql", "sqlite")


def database_from_url(name: str, url: str) -> dict:
    """Parse a database URL into Django's DATABASES entry, or explain what is wrong."""
    import dj_database_url

    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with postgres:// or sqlite:///, not {url.split(':', 1)[0]!r}."
        )
    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is malformed: {exc}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database (expected postgres://user@host:5432/name).")
    try:
        config.get("PORT") and int(config["PORT"])
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
    return config
