"""What every app shares: the two source reports, the citations that tie each
fact to a paragraph of them, and the records that several apps point at
(places, organisations, events, programmes, headline figures)."""

from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Coalesce, NullIf
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal import amounts


class TrackedQuerySet(models.QuerySet):
    """For models whose every edit keeps a history record: bulk updates
    would change rows without one, so they are refused. Save each record
    instead (or use simple_history.utils.bulk_update_with_history)."""

    def update(self, **kwargs):
        raise TypeError(
            f"{self.model.__name__}: bulk update() would bypass the edit history; save each record instead."
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(
            f"{self.model.__name__}: bulk_update() would bypass the edit history; save each record instead."
        )


class HistoryUsername(models.Model):
    """Who made a change, by name: kept even after the account is deleted
    (the user id column has no foreign key, so nothing cascades)."""

    history_username = models.CharField("操作人", max_length=150, blank=True)

    class Meta:
        abstract = True


class EditHistory(HistoricalRecords):
    """simple-history's records, versioning every many-to-many field of the
    model too (an exhibit's makers, an event's hosts…), so a version holds
    the relations as they were and reverting to it restores them. Taken
    from the model itself, so a new many-to-many field is versioned without
    anyone remembering to list it (simple-history's `m2m_fields`)."""

    def get_m2m_fields_from_model(self, model):
        return list(model._meta.many_to_many)


def edit_history(**kwargs) -> HistoricalRecords:
    """The history every content model keeps: who (id and name) and when,
    with the many-to-many relations, never deleted with the user."""
    return EditHistory(
        bases=[HistoryUsername],
        history_user_id_field=models.IntegerField("操作人编号", null=True, blank=True),
        **kwargs,
    )


def may_show(record) -> bool:
    """The one rule for whether the public may see a record, on its own page
    or as a name or link on another record's page, export, dataset or
    search document: it is published, and so is every record it needs to
    make sense (its model's `shown_with`: a count's tier, a role's event).
    Records without the flag (reports) always may. Its SQL twin is
    PublicQuerySet.published()."""
    if record is None or not getattr(record, "is_published", True):
        return False
    return all(may_show(getattr(record, name)) for name in getattr(record, "shown_with", ()))


def shown_related(record: models.Model, name: str):
    """record.<name> when the public may see it, else None; also for a
    required relation that published() has hidden (which raises on access)."""
    try:
        related = getattr(record, name)
    except ObjectDoesNotExist:
        return None
    return related if may_show(related) else None


def hide_unshown_relations(record: models.Model, select_related: dict | bool) -> None:
    """Forget, on a record just read, every related record reached through
    select_related that may not be shown (and so all beyond it): the
    attribute then reads as None, so a template's `{% if exhibit.area %}`,
    a dataset column and a search document all treat it as absent, and
    nothing queries for it again. A required (non-null) relation that is
    hidden raises RelatedObjectDoesNotExist on access, which templates show
    as nothing; Python code reads such records only where the relation
    is filtered as published in SQL (a tier's count, an event's roles)."""
    if select_related is True:
        names = {f.name: True for f in record._meta.concrete_fields if f.is_relation}
    else:
        names = select_related
    for name, deeper in names.items():
        field = record._meta.get_field(name)
        if not field.concrete or not field.is_cached(record):
            continue
        related = field.get_cached_value(record)
        if related is None:
            continue
        if not may_show(related):
            field.set_cached_value(record, None)
        elif deeper:
            hide_unshown_relations(related, deeper)


class PublishedIterable(ModelIterable):
    """The rows of a published() queryset, with hidden relations forgotten,
    and blank the texts that name a hidden record (`text_naming`)."""

    def __iter__(self):
        select_related = self.queryset.query.select_related
        naming = getattr(self.queryset.model, "text_naming", {})
        for record in super().__iter__():
            if select_related:
                hide_unshown_relations(record, select_related)
            for text in naming:
                if getattr(record, f"_names_hidden_{text}", False):
                    setattr(record, text, "")
                    if hasattr(record, f"{text}_en"):  # its English twin names the same records
                        setattr(record, f"{text}_en", "")
            yield record


class PublicQuerySet(TrackedQuerySet):
    def published(self):
        """What the public may see: published records, and of the records
        they reach through select_related only those that may_show().
        Defined once, used by every page, export, dataset, sitemap and search
        document (many-to-many and reverse relations are prefetched through
        published_prefetch, which is this again)."""
        needed = {f"{name}__is_published": True for name in self.model.shown_with}
        queryset = self.filter(is_published=True, **needed)
        for text, relation in self.model.text_naming.items():
            hidden = self.model._base_manager.filter(pk=models.OuterRef("pk"), **{f"{relation}__is_published": False})
            queryset = queryset.annotate(**{f"_names_hidden_{text}": models.Exists(hidden)})
        return queryset.hiding_unshown_relations()

    def hiding_unshown_relations(self):
        """Forget the related records that may not be shown, as published()
        does, for a queryset already limited to published rows by other
        means (ids picked from a published queryset)."""
        queryset = self._chain()
        queryset._iterable_class = PublishedIterable
        return queryset


def citations_prefetch(lookup: str = "citations") -> Prefetch:
    """Citations with their report, in one query, for any record kind."""
    return Prefetch(lookup, queryset=Citation.objects.select_related("report"))


def english_requested() -> bool:
    return (get_language() or "").startswith("en")


def published_prefetch(lookup: str, model_path: str, *related: str, cited: bool = False) -> Prefetch:
    """Prefetch only the published rows of a relation (with their own
    select_related, and their citations when the page shows them), so a
    page never shows an unpublished record nor queries once per row."""
    from django.apps import apps

    queryset = apps.get_model(model_path).objects.published()
    if related:
        queryset = queryset.select_related(*related)
    if cited:
        queryset = queryset.prefetch_related(citations_prefetch())
    return Prefetch(lookup, queryset=queryset)


class FigureQuerySet(PublicQuerySet):
    def for_home_page(self):
        return self.published().filter(is_headline=True).prefetch_related(citations_prefetch())

    def for_figures_page(self):
        return (
            self.published()
            .select_related("event", "organisation")
            .prefetch_related(citations_prefetch())
            .order_by("topic", "order", "slug")
        )


class EventQuerySet(PublicQuerySet):
    def for_list_page(self):
        # The top-level events, their parts listed under each; an event
        # whose parent is hidden stands on its own.
        return (
            self.published()
            .filter(models.Q(parent=None) | models.Q(parent__is_published=False))
            .select_related("place")
            .prefetch_related(published_prefetch("parts", "portal.Event"))
            .order_by("order", "slug")
        )

    def for_detail_page(self):
        return (
            self.published()
            .select_related("place", "parent")
            .prefetch_related(
                citations_prefetch(),
                published_prefetch("hosts", "portal.Organisation"),
                published_prefetch("parts", "portal.Event"),
                published_prefetch("roles", "craftsmen.EventRole", "person", "organisation", cited=True),
                published_prefetch("figures", "portal.Figure", cited=True),
                published_prefetch("tier_counts", "craftsmen.TierCount", "tier"),
                published_prefetch("exhibitions", "exhibits.Exhibition"),
                published_prefetch("academy_groups", "craftsmen.AcademyGroup"),
            )
        )


class OrganisationQuerySet(PublicQuerySet):
    def for_list_page(self, english: bool = False):
        """By kind in the order of its choices, then by name in the page's
        language (records without an English name sort by their Chinese one)."""
        kind_order = models.Case(
            *(models.When(kind=value, then=position) for position, value in enumerate(Organisation.Kind.values)),
            default=len(Organisation.Kind.values),
        )
        name = Coalesce(NullIf("name_en", models.Value("")), "name") if english else models.F("name")
        return self.published().order_by(kind_order, name, "pk")

    def for_detail_page(self):
        return (
            self.published()
            .select_related("parent", "place")
            .prefetch_related(
                citations_prefetch(),
                published_prefetch("units", "portal.Organisation"),
                published_prefetch("people", "craftsmen.Person", "tier"),
                published_prefetch("event_roles", "craftsmen.EventRole", "event", "person", cited=True),
                published_prefetch("hosted_events", "portal.Event"),
                published_prefetch("exhibits", "exhibits.Exhibit", "kind"),
                published_prefetch("academies", "craftsmen.Academy"),
                published_prefetch("recognised_academies", "craftsmen.Academy"),
                published_prefetch("programmes", "portal.Programme"),
                published_prefetch("figures", "portal.Figure", cited=True),
            )
        )


class ProgrammeQuerySet(PublicQuerySet):
    def for_list_page(self):
        return self.published().prefetch_related(
            citations_prefetch(), published_prefetch("organisations", "portal.Organisation")
        )


def public_citations(path: str = "") -> models.Q:
    """The citations of records the public may see, as a condition on
    Citation, or on what reaches it through `path` ("citations__" from a
    report): the records behind a generic relation are of every kind."""
    from django.apps import apps

    condition = models.Q(**{f"{path}pk__in": []})
    for model in apps.get_models():
        if issubclass(model, PublicRecord):
            condition |= models.Q(
                **{
                    f"{path}content_type__app_label": model._meta.app_label,
                    f"{path}content_type__model": model._meta.model_name,
                    f"{path}object_id__in": model.objects.published().values("pk"),
                }
            )
    return condition


class Report(models.Model):
    """One of the source reports in REPORTS_DIR."""

    slug = models.SlugField("网址标识", max_length=80, unique=True)
    file_name = models.CharField("文件名", max_length=120, unique=True)
    title = models.CharField("标题", max_length=200)
    title_is_ours = models.BooleanField(
        "标题为本站所拟", default=False, help_text="报道未印标题时，由本站拟定的描述性标题。"
    )
    subtitle = models.CharField("副标题", max_length=200, blank=True)
    title_en = models.CharField("英文标题", max_length=250, blank=True)
    short_title = models.CharField(
        "简称", max_length=60, blank=True, help_text="引用时在行内使用的短标题，如“匠心铸北疆”；不填则用全标题。"
    )
    short_title_en = models.CharField("英文简称", max_length=100, blank=True)
    publisher = models.CharField("发布者", max_length=200, blank=True, help_text="仅填写报道中写明的。")
    credits = models.JSONField(
        "署名（原文）",
        default=list,
        blank=True,
        help_text="报道文末的署名，按印出的次序，"
        '如 [{"role": "文", "names": [{"name": "王瑞波", "name_en": "Wang Ruibo"}]}]。署名者不另建人物记录。',
    )
    date_as_written = models.CharField("日期（原文）", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    year_is_inferred = models.BooleanField("年份为推断", default=False)
    date_as_written_en = models.CharField("日期（英文）", max_length=100, blank=True)
    year_reasoning = models.TextField("年份推断依据", blank=True)
    year_reasoning_en = models.TextField("英文年份推断依据", blank=True)
    description = models.TextField("简介（本站撰写）", blank=True)
    description_en = models.TextField("英文简介", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = TrackedQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = "来源报道"
        verbose_name_plural = "来源报道"
        ordering = ["order", "file_name"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sources:detail", args=[self.slug])

    @property
    def display_title(self) -> str:
        return self.title_en if english_requested() and self.title_en else self.title

    @property
    def short_label(self) -> str:
        """How a citation names the report inline: 《匠心铸北疆》 /
        “Craftsmanship for the Northern Frontier”. Readers never see the file
        name or its number; a title the portal wrote itself gets no title
        marks, since the report does not print it."""
        if english_requested() and (self.short_title_en or self.title_en):
            short = self.short_title_en or self.title_en
            return short if self.title_is_ours else f"“{short}”"
        short = self.short_title or self.title
        return short if self.title_is_ours else f"《{short}》"

    @property
    def full_label(self) -> str:
        """The full title as a citation gives it: 《匠心铸北疆 创新向未来》."""
        if english_requested() and self.title_en:
            return self.title_en if self.title_is_ours else f"“{self.title_en}”"
        return self.title if self.title_is_ours else f"《{self.title}》"

    @property
    def year_label(self) -> str:
        """The report's year, marked when it is inferred: no report prints
        a year, and a date it gives is an event's, not its publication's."""
        if not self.year:
            return ""
        if english_requested():
            return f"{self.year} (year inferred)" if self.year_is_inferred else str(self.year)
        return f"{self.year}年（年份为推断）" if self.year_is_inferred else f"{self.year}年"

    def clean(self):
        if self.year_is_inferred and not self.year_reasoning.strip():
            raise ValidationError({"year_reasoning": "推断的年份必须写明依据。"})
        if credits_problem := _credits_problem(self.credits):
            raise ValidationError({"credits": credits_problem})


# The roles a report's credit lines print, in the order a page lists them.
CREDIT_ROLES = ("文", "图", "责任编辑", "审稿", "终审", "编辑")


def _credits_problem(credits) -> str:
    if not isinstance(credits, list):
        return "署名须为列表。"
    for line in credits:
        if not isinstance(line, dict) or set(line) != {"role", "names"}:
            return "每条署名须有且只有 role 和 names。"
        if line["role"] not in CREDIT_ROLES:
            return f"未知的署名角色：{line['role']!r}。"
        names = line["names"]
        if not isinstance(names, list) or not names:
            return "每条署名至少有一个署名者。"
        for name in names:
            if not isinstance(name, dict) or set(name) != {"name", "name_en"}:
                return "每个署名者须有且只有 name 和 name_en。"
            if not all(isinstance(value, str) and value.strip() for value in name.values()):
                return "署名者的 name 和 name_en 都不能为空。"
    return ""


class Citation(models.Model):
    """A fact's proof: a report, the paragraph (non-blank lines counted from 1)
    and a short verbatim excerpt of it."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="citations", verbose_name="报道")
    paragraph = models.PositiveIntegerField("段落号")
    excerpt = models.CharField("原文摘录", max_length=200, help_text="该段原文中的一句以内，逐字照录。")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="记录类型")
    object_id = models.PositiveBigIntegerField("记录编号")
    record = GenericForeignKey("content_type", "object_id")
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = TrackedQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = "引用"
        verbose_name_plural = "引用"
        ordering = ["report__order", "paragraph", "order", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [models.CheckConstraint(condition=models.Q(paragraph__gte=1), name="citation_paragraph_gte_1")]

    def __str__(self) -> str:
        return f"{self.report.file_name} ¶{self.paragraph}"  # the admin's name: staff may see file names

    def get_absolute_url(self) -> str:
        """The paragraph's anchor on its report's page."""
        return f"{self.report.get_absolute_url()}#p{self.paragraph}"

    def reading_order(self) -> tuple:
        """Meta.ordering in Python, for citations already prefetched."""
        return (self.report.order, self.paragraph, self.order, self.pk)


@dataclass
class CitedParagraph:
    """One paragraph of a report as a record cites it (PublicRecord.cited_paragraphs)."""

    report: Report
    paragraph: int
    url: str
    excerpts: list[str]


class PublicRecord(models.Model):
    """The fields every public, citable record has."""

    slug = models.SlugField("网址标识", max_length=120, unique=True, help_text="稳定的 ASCII 标识，通常为拼音。")
    name = models.CharField("名称", max_length=200)
    name_en = models.CharField("英文名称", max_length=250, blank=True, help_text="本站译名；人名、地名用拼音。")
    description = models.TextField("简介（本站撰写）", blank=True)
    description_en = models.TextField("英文简介", blank=True)
    inferred_note = models.TextField(
        "推断说明",
        blank=True,
        help_text="记录中凡属推断（而非报道明言）的内容：第一句是简短结论（如“年份为推断。”），"
        "页面直接显示；其后写推断了什么、依据是什么，页面收在“展开”里。",
    )
    inferred_note_en = models.TextField(
        "英文推断说明", blank=True, help_text="推断说明的英文，同样以一句简短结论开头（如“Year inferred.”）。"
    )
    is_published = models.BooleanField("公开", default=True)
    order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    citations = GenericRelation(Citation, verbose_name="引用")
    # Relations without which a record says nothing (a count without its
    # tier): while the related record is hidden, so is this one (may_show).
    shown_with: tuple[str, ...] = ()
    # Texts that name the records of a relation in words (an exhibit's
    # makers as the report wrote them): shown only while none of those
    # records is hidden (published() blanks them, and their `<text>_en`).
    text_naming: dict[str, str] = {}

    objects = PublicQuerySet.as_manager()
    history = edit_history(inherit=True)

    class Meta:
        abstract = True
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The English name on English pages where we have one; the Chinese
        name otherwise (and always shown beside it by the templates)."""
        return self.name_en if english_requested() and self.name_en else self.name

    @property
    def display_description(self) -> str:
        return self.description_en if english_requested() and self.description_en else self.description

    @property
    def sorted_citations(self) -> list["Citation"]:
        """Citations in reading order; uses the prefetched ones when present."""
        return sorted(self.citations.all(), key=Citation.reading_order)

    @property
    def cited_paragraphs(self) -> list["CitedParagraph"]:
        """The paragraphs the record rests on, each once, in reading order,
        with the excerpts quoted from it: a paragraph cited for two facts is
        still one source to the reader."""
        paragraphs: dict[tuple[int, int], CitedParagraph] = {}
        for citation in self.sorted_citations:
            key = (citation.report_id, citation.paragraph)
            if key not in paragraphs:
                paragraphs[key] = CitedParagraph(citation.report, citation.paragraph, citation.get_absolute_url(), [])
            if citation.excerpt not in paragraphs[key].excerpts:
                paragraphs[key].excerpts.append(citation.excerpt)
        return list(paragraphs.values())

    def get_absolute_url(self) -> str | None:
        return None

    # The schema.org type of the record's page (portal.seo), and what it adds
    # to the common description; `link` makes an absolute URL, or None.
    jsonld_type = "Thing"

    def jsonld_details(self, link) -> dict:
        return {}


class Place(PublicRecord):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("省级行政区")
        CITY = "city", _("市")
        LEAGUE = "league", _("盟")
        DISTRICT = "district", _("新区、区")
        REGION = "region", _("地区")

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )

    class Meta(PublicRecord.Meta):
        verbose_name = "地点"
        verbose_name_plural = "地点"


class Organisation(PublicRecord):
    class Kind(models.TextChoices):
        UNION = "union", _("工会组织")
        PARTY_GOVERNMENT = "party_government", _("党政机关、人大")
        ENTERPRISE = "enterprise", _("企业及其部门")
        EDUCATION = "education", _("院校、工匠学院")
        MEDIA = "media", _("媒体")
        FACILITY = "facility", _("场馆、中心")

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    short_names = models.CharField(
        "报道中的简称", max_length=200, blank=True, help_text="报道中出现的其他写法，以顿号分隔。"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name="上级单位"
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations", verbose_name="所在地"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"

    def get_absolute_url(self) -> str:
        return reverse("organisation-detail", args=[self.slug])

    jsonld_type = "Organization"

    def jsonld_reference(self, link) -> dict:
        """As named by another record's description."""
        return {
            "@type": "Organization",
            "name": self.name,
            "alternateName": self.name_en or None,
            "url": link(self.get_absolute_url()),
        }


class Event(PublicRecord):
    """A dated happening (conference, camp, seminar, drive) or one of a
    series of actions; sub-events point at the event they were part of."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("大会")
        TRAINING = "training", _("训练营、培训")
        MEETING = "meeting", _("座谈会、推进会")
        ACTIVITY = "activity", _("现场活动")
        SERIES = "series", _("系列行动")
        ACTION = "action", _("行动、竞赛")

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="parts", verbose_name="所属活动"
    )
    date_as_written = models.CharField("日期（原文）", max_length=100, blank=True)
    date_as_written_en = models.CharField("日期（英文）", max_length=100, blank=True)
    start_date = models.DateField("开始日期", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True)
    date_is_inferred = models.BooleanField(
        "日期中有推断", default=False, help_text="报道只写月日时，年份为推断，依据见推断说明。"
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name="地点"
    )
    theme = models.CharField("主题（原文）", max_length=200, blank=True)
    theme_en = models.CharField("英文主题", max_length=250, blank=True)
    hosts = models.ManyToManyField(Organisation, blank=True, related_name="hosted_events", verbose_name="主办单位")

    objects = EventQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "活动"
        verbose_name_plural = "活动"

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    jsonld_type = "Event"

    def jsonld_details(self, link) -> dict:
        return {
            "startDate": self.start_date.isoformat() if self.start_date else None,
            "endDate": self.end_date.isoformat() if self.end_date else None,
            "location": {"@type": "Place", "name": self.place.name} if self.place else None,
            "organizer": [o.jsonld_reference(link) for o in self.hosts.all()] or None,
        }

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期早于开始日期。"})
        if self.date_is_inferred and not self.inferred_note.strip():
            raise ValidationError({"inferred_note": "日期有推断时必须写明依据。"})


class Programme(PublicRecord):
    """A standing initiative, reform, campaign or policy document the reports
    name (产改, 科技突围工程, 劳模工匠助企行…)."""

    class Kind(models.TextChoices):
        REFORM = "reform", _("改革")
        INITIATIVE = "initiative", _("工程、行动")
        POLICY = "policy", _("文件、措施")
        SYSTEM = "system", _("体系、格局")

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="programmes", verbose_name="相关组织机构"
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "工作举措"
        verbose_name_plural = "工作举措"

    def get_absolute_url(self) -> str:
        return reverse("events:list") + f"#{self.slug}"


class Figure(PublicRecord):
    """A number the reports state: its value, unit, how exact it is, and the
    phrase exactly as printed."""

    class Topic(models.TextChoices):
        EXHIBITION = "exhibition", _("展区与成果")
        CRAFTSMEN = "craftsmen", _("工匠队伍")
        PILOT_UNITS = "pilot_units", _("产改试点单位")
        ACADEMIES = "academies", _("工匠学院")
        TRAINING = "training", _("培训")
        INVESTMENT = "investment", _("投入")
        EVENTS = "events", _("活动")

    class Precision(models.TextChoices):
        # Set by the number as printed (portal.amounts.precision_of); the
        # labels say which words of the report give each one.
        EXACT = amounts.EXACT, _("确数")
        MORE_THAN = amounts.MORE_THAN, _("多于（余、超）")
        ABOUT = amounts.ABOUT, _("近似（约）")
        SEVERAL = amounts.SEVERAL, _("概数（数千等）")
        RANGE = amounts.RANGE, _("区间（至）")

    topic = models.CharField("主题", max_length=20, choices=Topic.choices)
    value = models.DecimalField(
        "数值", max_digits=14, decimal_places=2, null=True, blank=True, help_text="概数（数千等）不填。"
    )
    value_max = models.DecimalField("区间上限", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    unit_en = models.CharField(
        "英文单位",
        max_length=40,
        blank=True,
        help_text="复数形式，如 innovations、person-times、yuan；百分数填 %。数值按单位中的“万”“亿”换算。",
    )
    precision = models.CharField("精确程度", max_length=20, choices=Precision.choices, default=Precision.EXACT)
    printed = models.CharField(
        "数字原文", max_length=40, help_text="数字在报道中的写法，逐字照录，如“40余项”“超万人次”“数千人次”。"
    )
    phrase = models.CharField("原文表述", max_length=200, help_text="报道中的原话，逐字照录。")
    former_slugs = models.JSONField(
        "曾用网址标识",
        default=list,
        blank=True,
        help_text="并入本记录的重复记录的旧标识；旧链接（页内锚点、API 地址）仍指向这里。",
    )
    is_headline = models.BooleanField("首页重点数字", default=False)
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="figures", verbose_name="相关活动"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name="相关组织机构",
    )

    objects = FigureQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "数字"
        verbose_name_plural = "数字"

    def get_absolute_url(self) -> str:
        return reverse("figures") + f"#{self.slug}"

    def amount_parts(self) -> list[tuple[str, bool]]:
        """The number in the page's language as (text, is_the_number) pieces:
        as printed on Chinese pages, its English wording on English ones."""
        if english_requested():
            return amounts.english_parts(
                precision=self.precision,
                value=self.value,
                value_max=self.value_max,
                unit=self.unit,
                unit_en=self.unit_en,
                printed=self.printed,
            )
        return amounts.chinese_parts(self.printed)

    @property
    def amount(self) -> str:
        """The number as a reader reads it: "40余项" / "more than 40 innovations"."""
        return amounts.plain(self.amount_parts())

    def clean(self):
        errors = {}
        if self.printed and self.printed not in self.phrase:
            errors["printed"] = "数字原文须出自原文表述。"
        if self.printed and amounts.precision_of(self.printed) != self.precision:
            errors["precision"] = (
                f"按数字原文，精确程度应为“{self.Precision(amounts.precision_of(self.printed)).label}”。"
            )
        if self.precision == self.Precision.RANGE and (self.value is None or self.value_max is None):
            errors["value_max"] = "区间须有上下限。"
        if self.precision != self.Precision.SEVERAL and self.value is None:
            errors["value"] = "除概数外，数值必填。"
        if errors:
            raise ValidationError(errors)


class FixtureLoad(models.Model):
    """The digest of the fixtures last loaded, so `load_portal_data
    --if-changed` can leave admins' edits alone when nothing changed."""

    digest = models.CharField("摘要", max_length=64)
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)
    records = models.PositiveIntegerField("记录数")

    class Meta:
        verbose_name = "数据载入记录"
        verbose_name_plural = "数据载入记录"
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M} ({self.records})"


class SearchDocument(models.Model):
    """One public record as the search index sees it: analyzer tokens for
    its name (head), the pinyin of names, and the rest of its text (body),
    with what a result needs to show (its names and its own description in
    each language, from which the snippet is cut). Rebuilt from the records; never
    edited by hand. The full-text index over it (an FTS5 table on SQLite, a
    weighted tsvector on PostgreSQL) is created by the migrations (0015)."""

    kind = models.CharField("类型", max_length=20, db_index=True)
    kind_order = models.PositiveSmallIntegerField("类型排序")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="记录类型")
    object_id = models.PositiveBigIntegerField("记录编号")
    path = models.CharField("网址", max_length=300)
    title = models.CharField("标题", max_length=250)
    title_en = models.CharField("英文标题", max_length=250, blank=True)
    text = models.TextField("正文", blank=True)
    text_en = models.TextField("英文正文", blank=True)
    head = models.TextField("标题词元")
    pinyin = models.TextField("拼音词元", blank=True)
    body = models.TextField("正文词元", blank=True)
    # Which analysis made the tokens (portal.text.ANALYZER_VERSION); rows
    # from before it was recorded are version 1.
    analyzer = models.PositiveSmallIntegerField("分析器版本", default=1)

    class Meta:
        verbose_name = "搜索文档"
        verbose_name_plural = "搜索文档"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="searchdocument_one_per_record")
        ]
        indexes = [models.Index(fields=["kind_order", "title", "id"], name="searchdoc_order")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class Synonym(models.Model):
    """An abbreviation or alias a reader may type, and what it stands for
    (全总 → 中华全国总工会). Applied to queries, not to the index."""

    term = models.CharField("输入词", max_length=50, unique=True)
    expansion = models.CharField("扩展为", max_length=200)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = TrackedQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansion}"


class ContentVersion(models.Model):
    """One row whose number changes with every write to public content, in
    the same transaction as the write. Page caches and ETags are keyed by
    it, so once a write commits no process serves the page from before it."""

    value = models.PositiveBigIntegerField("版本", default=1)
    changed_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "内容版本"
        verbose_name_plural = "内容版本"

    def __str__(self) -> str:
        return f"{self.value} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
