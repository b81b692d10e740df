"""A build step: the exhibit list's filter data, for filtering in the
browser (static/js/static-filters.js). Takes the Build without importing
publish.build, which imports this module."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from exhibits.filter_data import filter_data


def _compact_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_filter_data(build) -> None:
    """The exhibit list's filter data beside its page, in each language:
    static/js/static-filters.js filters over it, several filters at once,
    where the pages the build renders hold one filter each."""
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            folder = reverse("exhibits:list").lstrip("/")
            index, row_files = filter_data()
        build.write(folder + "filter-data.json", _compact_json(index))
        for name, rows in zip(index["row_files"], row_files, strict=True):
            # A quote inside the rows' HTML written \u0022, not \": the
            # check reads a JSON string starting with / as a link, and would
            # take `href=\"/exhibits/x/\"` for one ending in a backslash.
            # The rows' links are the list pages' own, checked there.
            build.write(folder + name, _compact_json(rows).replace(b'\\"', b"\\u0022"))
