"""portal 0014 removes, from a database loaded before the change, the Figure
that repeated the 43 trainees (the trainee tier's count at the camp is the
one record), with its citations, and no other figure."""

import importlib

import pytest
from django.apps import apps

from portal.models import Citation, Figure
from tests import factories as make

pytestmark = pytest.mark.django_db

migration = importlib.import_module("portal.migrations.0014_trainee_figure_is_the_tier_count")


def test_it_removes_the_repeated_trainee_figure_with_its_citations_and_keeps_the_others():
    source = make.report()
    repeated = make.figure(
        source,
        slug=migration.SLUG,
        value=43,
        unit="名",
        precision="exact",
        printed="43名",
        phrase="43名北疆工匠培育对象",
    )
    other = make.figure(source, slug="zhanchu-chengguo-40-yu-xiang")

    migration.remove_the_duplicate(apps, None)

    assert list(Figure.objects.values_list("slug", flat=True)) == [other.slug]
    assert not Citation.objects.filter(object_id=repeated.pk, content_type__model="figure").exists()
    assert Citation.objects.filter(object_id=other.pk, content_type__model="figure").exists()


def test_a_figure_with_that_slug_but_another_number_is_left_alone():
    make.figure(
        make.report(), slug=migration.SLUG, value=44, unit="名", precision="exact", printed="44名", phrase="44名"
    )

    migration.remove_the_duplicate(apps, None)

    assert Figure.objects.filter(slug=migration.SLUG).exists()
