"""The 43 trainees at the training camp (《匠心铸北疆》 paragraph 26) were two
records: a Figure and the TierCount of the trainee tier at the camp. One
reported number is one record, so the Figure goes and the TierCount (which
also cites paragraphs 29 and 35) stays. The loader never deletes what a
fixture drops, so an existing database loses the Figure here, with its
citations and search entry; only a record with that slug and that printed
number is touched."""

from django.db import migrations

SLUG = "xunlianying-43-ming-peiyu-duixiang"


def remove_the_duplicate(apps, schema_editor):
    Figure = apps.get_model("portal", "Figure")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Citation = apps.get_model("portal", "Citation")
    SearchDocument = apps.get_model("portal", "SearchDocument")
    ids = list(Figure.objects.filter(slug=SLUG, printed="43名").values_list("pk", flat=True))
    if not ids:
        return
    content_type = ContentType.objects.filter(app_label="portal", model="figure").first()
    if content_type:
        Citation.objects.filter(content_type=content_type, object_id__in=ids).delete()
        SearchDocument.objects.filter(content_type=content_type, object_id__in=ids).delete()
    Figure.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0013_merged_wording"),
    ]

    operations = [migrations.RunPython(remove_the_duplicate, migrations.RunPython.noop)]
