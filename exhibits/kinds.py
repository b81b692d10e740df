"""The exhibits app's kind of record in the search (search.kinds says what
a kind is)."""

from django.utils.translation import gettext_lazy as _

from exhibits.models import Exhibit
from search.kinds import Kind, Source, declare

declare(
    Kind(
        "exhibit",
        _("展品"),
        1,
        (
            Source(
                Exhibit,
                texts=("makers_as_written", "problem", "how_it_works"),
                names=("makers", "sectors", "organisation", "kind", "area"),
            ),
        ),
        pinyin=True,
    ),
)
