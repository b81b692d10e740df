"""portal's own kinds of record in the search (each other app declares its
kinds in its own `kinds` module)."""

from django.utils.translation import gettext_lazy as _

from portal.models import Event, Figure, Organisation, Programme
from search.kinds import Kind, Source, declare

declare(
    Kind(
        "event",
        _("活动"),
        6,
        (Source(Event, texts=("theme", "date_as_written"), names=("place", "parent", "hosts")),),
        pinyin=True,
    ),
    Kind(
        "organisation",
        _("组织机构"),
        7,
        (Source(Organisation, texts=("short_names",), names=("parent", "place")),),
        pinyin=True,
    ),
    Kind("programme", _("工作举措"), 8, (Source(Programme, names=("organisations",)),), pinyin=True),
    Kind("figure", _("数字"), 9, (Source(Figure, texts=("phrase", "unit"), names=("event", "organisation")),)),
)
