import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.html import parse_html

from exhibits.filters import ExhibitFilter
from exhibits.models import Exhibit
from portal.caching import bump_content_version
from portal.filtering import FastSelect, bounded_menus, list_filters
from tests import factories

CHOICES = [("", "全部"), ("a&b", "“五小”创新 <b>"), ("xitu", "稀土"), ("xitu", "稀土 again")]


@pytest.mark.parametrize("value", [None, "", "xitu", "a&b", "missing"])
def test_the_fast_select_renders_what_django_s_select_renders(value):
    attrs = {"id": "id_kind", "aria-invalid": "true", "required": True, "disabled": False}
    fast = FastSelect(choices=CHOICES).render("kind", value, attrs)
    django = forms.Select(choices=CHOICES).render("kind", value, attrs)
    assert parse_html(fast) == parse_html(django)
    assert fast.count(" selected") == (0 if value == "missing" else 1)


def test_the_fast_select_leaves_option_groups_to_django():
    grouped = [("", "全部"), ("组", [("a", "甲"), ("b", "乙")])]
    assert parse_html(FastSelect(choices=grouped).render("x", "b")) == parse_html(
        forms.Select(choices=grouped).render("x", "b")
    )


@pytest.mark.django_db
def test_the_exhibit_menus_come_from_the_cache_until_the_content_changes(rf, django_assert_num_queries):
    maker_org = factories.organisation(name="包头某单位", slug="baotou-unit")
    factories.exhibit(exhibition=factories.exhibition(), organisation=maker_org)

    def menu(request):
        filterset = ExhibitFilter(request.GET, queryset=Exhibit.objects.all())
        bounded_menus(request, filterset, lambda name: f"/exhibits/filters/{name}/")
        return str(filterset.form["organisation"])

    first = menu(rf.get("/exhibits/"))
    assert "baotou-unit" in first
    with django_assert_num_queries(1):  # the content version; no menu queries
        assert menu(rf.get("/exhibits/")) == first
    with connection.cursor() as cursor:  # a change that bypasses the save signals
        cursor.execute("UPDATE portal_organisation SET name = %s WHERE id = %s", ["包头新名", maker_org.pk])
    assert "包头新名" not in menu(rf.get("/exhibits/"))
    bump_content_version()
    assert "包头新名" in menu(rf.get("/exhibits/"))


@pytest.mark.django_db
def test_a_menu_past_the_bound_costs_one_query_and_then_none(rf, settings, django_assert_num_queries):
    settings.FILTER_OPTIONS_SHOWN = 2
    show = factories.exhibition()
    for _ in range(4):
        factories.exhibit(exhibition=show, organisation=factories.organisation())

    def menus(request):
        filterset = ExhibitFilter(request.GET, queryset=Exhibit.objects.published())
        bounded_menus(request, filterset, lambda name: f"/exhibits/filters/{name}/")
        return filterset.form

    # The version, then one query per menu (sector, kind, area, organisation, tier).
    with django_assert_num_queries(1 + 5):
        form = menus(rf.get("/exhibits/"))
    assert len(form.fields["organisation"].widget.choices) == 1 + 2
    assert form.fields["organisation"].values_url == "/exhibits/filters/organisation/"
    with django_assert_num_queries(1):
        assert str(menus(rf.get("/exhibits/"))["organisation"]) == str(form["organisation"])


def test_the_list_s_filters_are_kept_in_its_own_order_without_the_page_or_strangers():
    query = QueryDict("page=2&sort=name&junk=1&organisation=a&kind=k&q=锁&kind=")
    assert list_filters(ExhibitFilter(), query, leave_out="organisation") == "q=%E9%94%81&kind=k&sort=name"
    assert list_filters(ExhibitFilter(), query, leave_out="sector", value="x") == (
        "q=%E9%94%81&sector=x&kind=k&organisation=a&sort=name"
    )
