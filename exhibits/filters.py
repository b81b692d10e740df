import django_filters
from django.utils.translation import gettext_lazy as _

from craftsmen.models import Tier
from exhibits.models import Exhibit, ExhibitionArea, ExhibitKind, Sector
from portal.models import Organisation


class ExhibitFilter(django_filters.FilterSet):
    """The exhibit list's filters. Values are slugs, so a filtered list's URL
    reads well and can be shared."""

    sector = django_filters.ModelChoiceFilter(
        label=_("领域"),
        empty_label=_("全部"),
        field_name="sectors",
        to_field_name="slug",
        queryset=Sector.objects.published(),
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("类别"), empty_label=_("全部"), to_field_name="slug", queryset=ExhibitKind.objects.published()
    )
    area = django_filters.ModelChoiceFilter(
        label=_("展示区域"), empty_label=_("全部"), to_field_name="slug", queryset=ExhibitionArea.objects.published()
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("单位"),
        empty_label=_("全部"),
        to_field_name="slug",
        queryset=Organisation.objects.published().filter(exhibits__isnull=False).distinct(),
    )
    tier = django_filters.ModelChoiceFilter(
        label=_("研发者梯队"),
        empty_label=_("全部"),
        field_name="makers__tier",
        to_field_name="slug",
        queryset=Tier.objects.published(),
        distinct=True,
    )
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("order", "report"), ("name", "name")),
        field_labels={"order": _("报道中的顺序"), "name": _("名称")},
        empty_label=None,
    )

    class Meta:
        model = Exhibit
        fields = ["sector", "kind", "area", "organisation", "tier"]
