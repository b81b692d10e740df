"""craftsmen 0007 removes, from a database loaded before the change, the
people who were the Horinger report's credits (and the leader it quotes),
with their citations and search entries, and nobody else."""

import importlib

import pytest
from django.apps import apps

from craftsmen.models import Person
from portal.models import Citation, SearchDocument
from tests import factories as make

pytestmark = pytest.mark.django_db

migration = importlib.import_module("craftsmen.migrations.0007_report_credit_people_removed")


def test_it_removes_the_credited_people_with_their_citations_and_keeps_everyone_else():
    editor = Person.objects.create(slug="liu-xuliang", name="刘旭亮", title="责任编辑")
    make.cite(editor)
    namesake = Person.objects.create(slug="zhang-xu", name="张旭", title="工程师")
    craftsman = Person.objects.create(slug="li-dongliang", name="李冬凉", title="北疆工匠")

    migration.remove_credited_people(apps, None)

    assert set(Person.objects.values_list("slug", flat=True)) == {namesake.slug, craftsman.slug}
    assert not Citation.objects.filter(object_id=editor.pk, content_type__model="person").exists()
    assert not SearchDocument.objects.filter(object_id=editor.pk, content_type__model="person").exists()
