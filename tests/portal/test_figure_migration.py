"""portal 0010 on a database loaded before it: the vague kind becomes
"several", printed numbers are filled in, and the two records of the 40余
exhibits become one, its citations moved to the record that stays."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("portal", "0009_search_document_analyzer_version")]
AFTER = [("portal", "0010_figure_printed_number_and_precision")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_migrating_merges_the_duplicate_figure_and_fills_in_the_printed_numbers():
    old = migrate(BEFORE)
    try:
        Figure = old.get_model("portal", "Figure")
        Report = old.get_model("portal", "Report")
        Citation = old.get_model("portal", "Citation")
        ContentType = old.get_model("contenttypes", "ContentType")
        figure_type, _ = ContentType.objects.get_or_create(app_label="portal", model="figure")
        report = Report.objects.create(slug="r", file_name="000_r.txt", title="报道", order=1)
        kept = Figure.objects.create(
            slug="zhanchu-chengguo-40-yu-xiang", name="成果", topic="exhibition", value=40, phrase="40余项成果"
        )
        merged = Figure.objects.create(
            slug="canzhan-chengguo-40-yu-jian", name="成果件数", topic="exhibition", value=40, phrase="40余件成果"
        )
        vague = Figure.objects.create(
            slug="zhanqu-rijun-jiedai-canguanzhe",
            name="参观者",
            topic="exhibition",
            precision="vague",
            phrase="数千人次",
        )
        Citation.objects.create(
            report=report, paragraph=44, excerpt="40余件", content_type=figure_type, object_id=merged.pk
        )

        new = migrate(AFTER)
        Figure = new.get_model("portal", "Figure")
        Citation = new.get_model("portal", "Citation")
        assert not Figure.objects.filter(slug="canzhan-chengguo-40-yu-jian").exists()
        kept = Figure.objects.get(pk=kept.pk)
        assert kept.former_slugs == ["canzhan-chengguo-40-yu-jian"]
        assert kept.printed == "40余项"
        assert list(Citation.objects.filter(object_id=kept.pk).values_list("paragraph", flat=True)) == [44]
        vague = Figure.objects.get(pk=vague.pk)
        assert (vague.precision, vague.printed) == ("several", "数千人次")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
