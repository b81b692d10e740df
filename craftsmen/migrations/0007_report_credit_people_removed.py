"""The people credited at the end of the Horinger New Area report, and the
national leader it quotes in passing, were Person records, so they filled
the /craftsmen/ grid. They are now the report's credits (Report.credits) and
a line of the drive's description. The fixtures no longer hold them and the
loader never deletes what a fixture drops, so an existing database loses
them here, with their citations and search entries. Only those records are
touched: the slug and the title as the fixtures had them must both match."""

from django.db import migrations

REMOVED = {
    "xi-jinping": "总书记",
    "wang-ruibo": "文、审稿",
    "zhang-xu": "文",
    "huo-richa": "图",
    "liu-xuliang": "责任编辑",
    "yuwen-tao": "终审",
}


def remove_credited_people(apps, schema_editor):
    Person = apps.get_model("craftsmen", "Person")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Citation = apps.get_model("portal", "Citation")
    SearchDocument = apps.get_model("portal", "SearchDocument")
    ids = [
        pk
        for pk, slug, title in Person.objects.filter(slug__in=REMOVED, tier__isnull=True).values_list(
            "pk", "slug", "title"
        )
        if REMOVED[slug] == title
    ]
    if not ids:
        return
    content_type = ContentType.objects.filter(app_label="craftsmen", model="person").first()
    if content_type:
        Citation.objects.filter(content_type=content_type, object_id__in=ids).delete()
        SearchDocument.objects.filter(content_type=content_type, object_id__in=ids).delete()
    Person.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("craftsmen", "0006_review_baodao_wording"),
        ("portal", "0012_report_credits_and_baodao_wording"),
    ]

    operations = [migrations.RunPython(remove_credited_people, migrations.RunPython.noop)]
