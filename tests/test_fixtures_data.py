"""The real fixtures: complete, honest and traceable to the reports.

These run against the data in fixtures/ and the report files in
REPORTS_DIR. The tests that read the reports ask for the `reports` fixture
(tests/conftest.py): without the files they are skipped with a notice
saying where they were looked for, and in CI they fail."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from craftsmen.models import (
    Academy,
    AcademyField,
    AcademyGroup,
    AcademyType,
    Person,
    PilotBatch,
    PilotCategory,
    PilotUnit,
    Tier,
    TierCount,
)
from exhibits.models import Exhibit, ExhibitionArea
from portal.models import Citation, Event, Figure, Organisation, Place, PublicRecord, Report
from portal.reports import paragraphs_of, split_paragraphs
from shell.facets import REPORTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

REPORT_FILES = ["000_f558dc7d99a45a08.txt", "003_c67ef1d1ee030211.txt"]
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PUBLIC_MODELS = [m for m in apps.get_models() if issubclass(m, PublicRecord)]
PHRASE_MODELS = [Figure, TierCount, PilotCategory, AcademyType, AcademyGroup]


def paragraphs(file_name: str) -> list[str]:
    found = paragraphs_of(file_name)
    assert found is not None, f"The report {file_name} is not in REPORTS_DIR={settings.REPORTS_DIR}"
    return found


def joined_text(file_name: str) -> str:
    """The report with its line breaks removed, so a name printed across two
    lines reads as one."""
    return "".join(paragraphs(file_name))


def cited_paragraphs(record) -> list[str]:
    return [paragraphs(c.report.file_name)[c.paragraph - 1] for c in record.citations.select_related("report")]


@pytest.mark.usefixtures("reports")
def test_the_reports_are_at_hand():
    for file_name in REPORT_FILES:
        assert len(paragraphs(file_name)) > 10


def test_paragraphs_skip_blank_lines_and_lines_of_spaces():
    assert split_paragraphs("一\n\n  \n二\n\u3000三\n") == ["一", "二", "\u3000三"]


def test_both_reports_are_loaded_with_their_dates_and_inferred_years_explained():
    reports = {r.file_name: r for r in Report.objects.all()}
    assert set(reports) == set(REPORT_FILES)
    first, second = reports[REPORT_FILES[0]], reports[REPORT_FILES[1]]
    assert first.title == "匠心铸北疆 创新向未来"
    assert not first.title_is_ours
    assert second.title_is_ours
    for report in (first, second):
        assert report.date_as_written
        assert report.year_is_inferred and report.year_reasoning
    assert second.publisher == "内蒙古自治区工会传媒中心新媒体编辑部"


@pytest.mark.usefixtures("reports")
def test_every_citation_excerpt_occurs_verbatim_in_its_paragraph():
    wrong = []
    for citation in Citation.objects.select_related("report"):
        text = paragraphs(citation.report.file_name)
        if not 1 <= citation.paragraph <= len(text) or citation.excerpt not in text[citation.paragraph - 1]:
            wrong.append(f"{citation} {citation.excerpt!r}")
    assert Citation.objects.count() > 100
    assert wrong == []


def test_every_excerpt_is_at_most_one_short_sentence():
    too_long = [
        c.excerpt
        for c in Citation.objects.all()
        if len(c.excerpt) > 80 or re.search(r"[。！？!?].", c.excerpt.rstrip('”’"'))
    ]
    assert too_long == []


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda m: m.__name__)
def test_every_public_record_has_at_least_one_citation(model):
    content_type = ContentType.objects.get_for_model(model)
    cited = set(Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True))
    uncited = list(model.objects.exclude(pk__in=cited).values_list("slug", flat=True))
    assert uncited == []


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda m: m.__name__)
def test_every_slug_is_ascii_and_lowercase(model):
    assert [s for s in model.objects.values_list("slug", flat=True) if not SLUG.match(s)] == []


def test_slugs_are_unique_across_all_record_kinds():
    slugs = [slug for model in PUBLIC_MODELS for slug in model.objects.values_list("slug", flat=True)]
    assert len(slugs) == len(set(slugs))


def test_the_slugs_that_urls_are_built_on_stay_as_published():
    stable = {
        Person: ["gao-fenglin", "li-dongliang", "zhang-huiyu"],
        Tier: ["daguo-gongjiang", "beijiang-gongjiang", "qiye-gongjiang", "beijiang-gongjiang-peiyu-duixiang"],
        Report: ["jiangxin-zhu-beijiang", "helingeer-chuangxin-tuijin-xingdong"],
        Figure: ["pilot-units-total", "academies-total"],
    }
    for model, slugs in stable.items():
        assert set(slugs) <= set(model.objects.values_list("slug", flat=True)), model.__name__


@pytest.mark.usefixtures("reports")
@pytest.mark.parametrize("model", PHRASE_MODELS, ids=lambda m: m.__name__)
def test_every_phrase_is_copied_verbatim_from_a_cited_paragraph(model):
    wrong = []
    for record in model.objects.exclude(phrase=""):
        if not any(record.phrase in text for text in cited_paragraphs(record)):
            wrong.append(f"{record.slug}: {record.phrase!r}")
    assert wrong == []


@pytest.mark.parametrize(
    "model",
    [Exhibit, ExhibitionArea, Person, Organisation, Tier, AcademyField, AcademyType, Academy, Place],
    ids=lambda m: m.__name__,
)
@pytest.mark.usefixtures("reports")
def test_names_are_copied_exactly_as_printed(model):
    """A name must appear in the reports as it is stored (a name printed
    across two lines is joined). Descriptive names, marked as such, are the
    exception."""
    texts = [joined_text(f) for f in REPORT_FILES]
    records = model.objects.all()
    if model is ExhibitionArea:
        records = records.filter(name_is_descriptive=False)
    assert [r.name for r in records if not any(r.name in text for text in texts)] == []


def test_the_pilot_batches_add_up_to_the_reported_195():
    total = Figure.objects.get(slug="pilot-units-total")
    counts = list(PilotCategory.objects.values_list("count", flat=True))

    assert total.value == Decimal(195)
    assert sum(counts) == 195
    assert sorted(counts) == [20, 21, 40, 54, 60]
    assert list(PilotBatch.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_the_first_batch_keeps_the_reports_own_wording():
    first = PilotCategory.objects.get(batch__number=1)
    assert first.name == "全面试点点和项目试点单位"
    assert first.inferred_note or first.description


def test_the_reports_name_no_pilot_unit_so_there_is_none():
    assert PilotUnit.objects.count() == 0


def test_the_academy_types_add_up_to_the_reported_30():
    total = Figure.objects.get(slug="academies-total")
    types = dict(AcademyType.objects.values_list("name", "count"))

    assert total.value == Decimal(30)
    assert types == {"职业院校": 19, "企业培训机构": 9, "盟市工人文化宫": 1, "工会事业发展中心": 1}


def test_the_eight_special_industry_fields_are_in_the_reports_order():
    group = AcademyGroup.objects.get(fields__name="现代乳业")
    assert group.count == 8
    assert [f.name for f in group.fields.order_by("order")] == [
        "新能源",
        "现代乳业",
        "绿色算力",
        "生物科技",
        "稀土",
        "新能源汽车",
        "绿电铝",
        "人工智能",
    ]


def test_report_003s_academy_groups_are_kept_apart_and_say_why():
    sixes = AcademyGroup.objects.filter(count=6)
    assert sixes.count() == 2
    assert all(group.relation_note for group in sixes)


def test_every_named_exhibit_is_present():
    assert set(Exhibit.objects.values_list("name", flat=True)) == {
        "机械式自锁防脱落牵引锁止装置",
        "钢轨焊缝双频正火设备和正火工艺",
        "小口径火炮身管",
        "万吨级轻稀土碳酸盐连续化生产工艺模型",
        "稀土永磁电机",
        "稀土隔热涂料",
        "稀土文创产品",
        "稀土农肥助剂",
        "预警通讯安全帽",
        "F-12芳纶防割手套",
    }


def test_the_traction_lock_is_by_li_dongliang_and_his_team_and_no_organisation_is_invented():
    lock = Exhibit.objects.get(name="机械式自锁防脱落牵引锁止装置")
    assert [p.name for p in lock.makers.all()] == ["李冬凉"]
    assert lock.makers_as_written == "北疆工匠李冬凉及其团队"
    assert lock.organisation is None
    assert lock.area.name == "职工创新成果集市"


def test_only_the_exhibits_the_reports_attribute_have_makers_or_organisations():
    attributed = {e.name for e in Exhibit.objects.all() if e.makers.exists() or e.organisation_id}
    assert attributed == {"机械式自锁防脱落牵引锁止装置", "预警通讯安全帽", "F-12芳纶防割手套"}


def test_every_named_person_is_present():
    names = set(Person.objects.values_list("name", flat=True))
    assert {
        "李冬凉",
        "王强",
        "高凤林",
        "张慧宇",
        "邬兴宇",
        "张大勇",
        "云玉美",
        "卢仁峰",
        "洪海涛",
        "戎鹏强",
        "郭晋龙",
        "王效",
    } <= names


def test_the_reports_credits_are_on_the_report_not_people_of_the_work():
    # The writers, photographer and editors credited at the end of the
    # Horinger report made the report; national leaders it quotes in passing
    # are quoted, not people of the work. Neither is a Person.
    credited = {
        n["name"]
        for line in Report.objects.get(slug="helingeer-chuangxin-tuijin-xingdong").credits
        for n in line["names"]
    }
    assert {"王瑞波", "张旭", "霍日查", "刘旭亮", "宇文韬"} <= credited
    assert not Person.objects.filter(name__in=credited | {"习近平"}).exists()


def test_craftsmen_named_only_under_a_group_label_say_so():
    for name in ["卢仁峰", "洪海涛", "戎鹏强", "郭晋龙"]:
        person = Person.objects.get(name=name)
        assert person.tier.name == "大国工匠"
        assert person.tier_basis == Person.TierBasis.GROUP_LABEL
    assert Person.objects.get(name="高凤林").tier_basis == Person.TierBasis.STATED
    assert Person.objects.get(name="李冬凉").tier.name == "北疆工匠"


def test_the_ladder_has_its_tiers_in_order():
    assert list(
        Tier.objects.filter(scope__in=["national", "regional", "enterprise"]).values_list("name", flat=True)
    ) == [
        "大国工匠",
        "北疆工匠",
        "企业工匠",
        "北疆工匠培育对象",
    ]


def test_baotous_five_counts_and_the_43_trainees_are_reported_figures():
    baotou = dict(TierCount.objects.filter(place__name="包头市").values_list("tier__name", "count"))
    assert baotou == {"大国工匠": 3, "北疆工匠": 24, "北疆工匠培育对象": 8, "包头工匠": 167, "包头工匠培育对象": 20}
    cohort = TierCount.objects.get(event__isnull=False)
    assert (cohort.tier.name, cohort.count) == ("北疆工匠培育对象", 43)


def test_the_conference_is_recorded_with_its_place_hosts_and_theme():
    conference = Event.objects.get(name__startswith="第三届大国工匠创新交流大会")
    assert conference.date_as_written == "9月23日至26日"
    assert conference.place.name == "重庆"
    assert conference.theme == "匠心铸梦,向新而行"
    assert set(conference.hosts.values_list("name", flat=True)) == {"中华全国总工会", "中共重庆市委", "重庆市人民政府"}
    assert conference.date_is_inferred and conference.inferred_note


def test_the_ten_actions_are_listed_one_by_one_without_invented_dates():
    series = Event.objects.get(kind=Event.Kind.SERIES)
    actions = list(series.parts.order_by("order"))
    assert len(actions) == 10
    assert actions[0].name == "防沙治沙和风电光伏一体化工程劳动竞赛大会战"
    assert actions[-1].name == "助力新质生产力产业工人技能提升行动"
    assert all(a.start_date is None and not a.date_as_written for a in actions)


def test_the_headline_figures_of_both_reports_are_present():
    phrases = " ".join(Figure.objects.values_list("phrase", flat=True))
    for phrase in ["1230万元", "1.8万人次", "80%", "40余", "超万人次", "数千人次", "2至3场"]:
        assert phrase in phrases, phrase
    assert Figure.objects.filter(is_headline=True).count() >= 5


def test_approximate_figures_say_how_approximate_they_are():
    for figure in Figure.objects.all():
        if "余" in figure.printed or "超" in figure.printed:
            assert figure.precision == Figure.Precision.MORE_THAN, figure.slug
        if figure.precision == Figure.Precision.RANGE:
            assert figure.value < figure.value_max, figure.slug
        if figure.precision == Figure.Precision.ABOUT:
            assert "约" in figure.printed, figure.slug


@pytest.mark.usefixtures("reports")
def test_every_figure_reads_in_chinese_as_the_number_printed_in_its_first_cited_paragraph():
    """The card's Chinese is the phrase as printed, found in the paragraph
    the figure cites first (a merged figure's later paragraphs may word it
    differently: 40余项 in paragraph 15, 40余件 in paragraph 44)."""
    from django.utils import translation

    wrong = []
    with translation.override("zh-hans"):
        for figure in Figure.objects.all():
            first = figure.sorted_citations[0]
            text = paragraphs(first.report.file_name)[first.paragraph - 1]
            if not figure.amount or figure.amount != figure.printed or figure.amount not in text:
                wrong.append(f"{figure.slug}: {figure.amount!r}")
    assert wrong == []


def test_every_figure_reads_in_english_without_chinese_and_as_strong_as_printed():
    from django.utils import translation

    wording = {
        Figure.Precision.MORE_THAN: "more than ",
        Figure.Precision.SEVERAL: "several ",
        Figure.Precision.RANGE: " to ",
    }
    with translation.override("en"):
        for figure in Figure.objects.all():
            assert figure.unit_en, figure.slug
            assert not re.search(r"[\u4e00-\u9fff]", figure.amount), figure.slug
            assert re.search(r"\d|several|dozens|tens", figure.amount), figure.slug
            if figure.precision in wording:
                assert wording[figure.precision] in figure.amount, figure.slug
            else:
                assert not figure.amount.startswith(("more", "about", "several")), figure.slug


def test_one_reported_number_is_one_figure():
    """The same number in the same words of the same report is one record
    citing every paragraph it appears in, not two records."""
    exhibits = Figure.objects.get(slug="zhanchu-chengguo-40-yu-xiang")
    assert [c.paragraph for c in exhibits.sorted_citations] == [15, 44]
    assert exhibits.former_slugs == ["canzhan-chengguo-40-yu-jian"]
    assert not Figure.objects.filter(slug="canzhan-chengguo-40-yu-jian").exists()
    seen = {}
    for figure in Figure.objects.all():
        for citation in figure.sorted_citations:
            key = (citation.report_id, citation.paragraph, figure.printed)
            assert key not in seen, f"{figure.slug} and {seen.get(key)}"
            seen[key] = figure.slug


def test_the_reports_dataset_gives_the_credits_as_printed():
    column = next(c for c in REPORTS.columns if c.key == "credits")
    report = Report.objects.get(slug="helingeer-chuangxin-tuijin-xingdong")
    assert column.value(report) == (
        "文：王瑞波、张旭；图：霍日查；责任编辑：刘旭亮；审稿：王瑞波；终审：宇文韬；编辑：内蒙古自治区工会传媒中心新媒体编辑部"
    )


def test_a_number_reported_as_a_tiers_count_is_not_also_a_figure():
    """The 43 trainees at the camp are the trainee tier's count there, linked
    from the event and the craftsmen page, not a second record as a Figure."""
    counts = {
        (citation.report_id, citation.paragraph, count.count)
        for count in TierCount.objects.all()
        for citation in count.sorted_citations
    }
    doubled = [
        figure.slug
        for figure in Figure.objects.all()
        for citation in figure.sorted_citations
        if (citation.report_id, citation.paragraph, figure.value) in counts
    ]
    assert doubled == []
