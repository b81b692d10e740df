from django.db import migrations


# This migration created the full-text index with live code, which has
# changed since; 0015 creates today's index from frozen SQL (dropping any
# older one first), so here it is a no-op on a fresh database and was
# already done on an existing one.

SYNONYMS = [
    ("全总", "中华全国总工会", "常用简称"),
    ("产改", "产业工人队伍建设改革", "报道000第40段：以下简称“产改”"),
    ("区总", "内蒙古自治区总工会", "报道003第12段的简称"),
    ("自治区总工会", "内蒙古自治区总工会", "报道中的简称"),
    ("内蒙古总工会", "内蒙古自治区总工会", "报道000第5段的简称"),
]


def add_synonyms(apps, schema_editor):
    Synonym = apps.get_model("portal", "Synonym")
    for term, expansion, note in SYNONYMS:
        Synonym.objects.get_or_create(term=term, defaults={"expansion": expansion, "note": note})


def remove_synonyms(apps, schema_editor):
    apps.get_model("portal", "Synonym").objects.filter(term__in=[t for t, _, _ in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_search")]

    operations = [
        migrations.RunPython(add_synonyms, remove_synonyms),
    ]
