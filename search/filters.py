"""The search as a list filter: the API's lists (and any FilterSet) find
with `q` the records the search page finds for the same words."""

import django_filters

from portal.text import MAX_QUERY_LENGTH
from search.query import matching_ids, parse


class SearchFilter(django_filters.FilterSet):
    """`q` finds the records the search page would find for the same words."""

    q = django_filters.CharFilter(method="filter_search", max_length=MAX_QUERY_LENGTH)

    def filter_search(self, queryset, name, value):
        parsed = parse(value)
        if parsed.is_empty:
            return queryset
        return queryset.filter(pk__in=matching_ids(parsed, queryset.model))
