"""The kinds of record whose pages are listed in the sitemap, one section
each (named by the model), declared by each app in its `facets` module
(portal's own in shell/facets.py); shell/sitemaps.py builds the sections
from them, in their declared positions, after its fixed sections."""

from __future__ import annotations

import sys

from portal.models import PublicRecord

# Filled by declare(): model → (position, declaring module).
_DECLARED: dict[type[PublicRecord], tuple[int, str]] = {}


def declare(position: int, model: type[PublicRecord]) -> None:
    """Give the model's published records a sitemap section, at `position`."""
    module = sys._getframe(1).f_globals["__name__"]
    if model in _DECLARED:
        raise ValueError(
            f"The sitemap section of {model.__name__} is declared twice (by {_DECLARED[model][1]} and {module})"
        )
    _DECLARED[model] = (position, module)


def record_page_models() -> list[type[PublicRecord]]:
    """The models with a sitemap section, in their declared positions."""
    return [model for model, _ in sorted(_DECLARED.items(), key=lambda item: item[1][0])]


def declared_by(model: type[PublicRecord]) -> str:
    return _DECLARED[model][1]
