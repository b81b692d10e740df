import django_filters
from django.db.models import Exists, OuterRef, Q
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from craftsmen.models import Tier
from exhibits.models import Exhibit, ExhibitionArea, ExhibitKind, Sector
from portal.filtering import FastSelect
from portal.models import Organisation
from portal.text import MAX_QUERY_LENGTH
from search.query import matching_ids, parse


def display_name(record) -> str:
    return record.display_name


class ExhibitFilter(django_filters.FilterSet):
    """The exhibit list's filters. Values are slugs, so a filtered list's URL
    reads well and can be shared."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_search", max_length=MAX_QUERY_LENGTH)

    sector = django_filters.ModelChoiceFilter(
        label=_("领域"),
        empty_label=_("全部"),
        widget=FastSelect,
        field_name="sectors",
        to_field_name="slug",
        queryset=Sector.objects.published(),
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("类别"),
        empty_label=_("全部"),
        widget=FastSelect,
        to_field_name="slug",
        queryset=ExhibitKind.objects.published(),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("展示区域"),
        empty_label=_("全部"),
        widget=FastSelect,
        to_field_name="slug",
        queryset=ExhibitionArea.objects.published(),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("单位"),
        empty_label=_("全部"),
        widget=FastSelect,
        to_field_name="slug",
        # EXISTS probes the exhibit table's organisation index once per
        # organisation; a join with DISTINCT reads every exhibit.
        queryset=Organisation.objects.published().filter(
            Exists(Exhibit.objects.published().filter(organisation=OuterRef("pk")))
        ),
    )
    tier = django_filters.ModelChoiceFilter(
        label=_("研发者梯队"),
        empty_label=_("全部"),
        widget=FastSelect,
        method="filter_maker_tier",
        to_field_name="slug",
        queryset=Tier.objects.published(),
    )
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("order", "report"), ("name", "name")),
        # The descending labels are ours: django-filter's "%s (descending)"
        # has no Chinese and would read half English on a Chinese page.
        field_labels={
            "order": _("报道中的顺序"),
            "-report": _("报道中的顺序（倒序）"),
            "name": _("名称"),
            "-name": _("名称（倒序）"),
        },
        empty_label=None,
        widget=FastSelect,
    )

    # How a tier's exhibits are counted for its menu (the most used tiers
    # first; portal.filtering.counted_options): as filter_maker_tier finds
    # them, through published makers.
    counted_through = {"tier": ("makers__tier", Q(makers__is_published=True))}

    class Meta:
        model = Exhibit
        fields = ["q", "sector", "kind", "area", "organisation", "tier"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Options named in the page's language (a record's __str__ is its Chinese name).
        for field in self.form.fields.values():
            if isinstance(field, ModelChoiceField):
                field.label_from_instance = display_name

    def filter_maker_tier(self, queryset, name, value):
        # Only makers the public may see: a hidden maker's tier would
        # otherwise find the exhibit.
        makers = Exhibit.makers.through.objects.filter(
            exhibit=OuterRef("pk"), person__tier=value, person__is_published=True
        )
        return queryset.filter(Exists(makers))

    def filter_search(self, queryset, name, value):
        parsed = parse(value)
        if parsed.is_empty:
            return queryset
        return queryset.filter(pk__in=matching_ids(parsed, Exhibit))
