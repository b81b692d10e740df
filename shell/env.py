"""Typed readers for settings taken from the environment.

Each raises ImproperlyConfigured, naming the variable, on a missing required
value or on a value that cannot mean what the setting needs.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, required: bool) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} is required (DEBUG is false).")
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, required: bool = False) -> str | None:
    value = _raw(name, required)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name, required=False)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = _raw(name, required=False)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str] | None = None, required: bool = False) -> list[str]:
    value = _raw(name, required)
    if value is None:
        return list(default or [])
    items = [item.strip() for item in value.split(",") if item.strip()]
    if required and not items:
        raise ImproperlyConfigured(f"The environment variable {name} is required (DEBUG is false).")
    return items


def env_origin(name: str, required: bool = False) -> str | None:
    """scheme://host[:port] with nothing after it (a trailing slash is
    dropped), http or https."""
    value = _raw(name, required)
    if value is None:
        return None
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or parts.username is not None
        or parts.password is not None
    ):
        raise ImproperlyConfigured(f"{name} must be like https://portal.example.org (no path), not {value!r}.")
    try:
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port: {value!r}.") from None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def env_path(name: str, default: Path) -> Path:
    value = _raw(name, required=False)
    return default if value is None else Path(value).expanduser()
