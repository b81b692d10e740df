"""No edit is ever lost: every change and deletion of content keeps a
version with who and when (django-simple-history), browsable and
revertible in the admin; bulk updates, which would bypass it, are refused."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from craftsmen.models import Person
from portal.fixtures import HISTORY_REASON, load_fixtures
from portal.models import Citation, Place, Report, Synonym
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase-1")


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


def test_an_admin_edit_is_recorded_with_who_and_when_and_can_be_reverted(staff_client, editor):
    synonym = Synonym.objects.create(term="测试总", expansion="中华全国总工会")
    change_url = reverse("admin:portal_synonym_change", args=[synonym.pk])

    response = staff_client.post(change_url, {"term": "测试总", "expansion": "改错了", "note": ""})
    assert response.status_code == 302
    synonym.refresh_from_db()
    assert synonym.expansion == "改错了"

    versions = list(synonym.history.order_by("history_date"))
    assert [v.history_type for v in versions] == ["+", "~"]
    assert versions[1].history_user_id == editor.pk
    assert versions[1].history_username == "editor"
    assert versions[1].history_date is not None

    history_page = staff_client.get(reverse("admin:portal_synonym_history", args=[synonym.pk]))
    assert history_page.status_code == 200
    assert "改错了" in history_page.content.decode() or "editor" in history_page.content.decode()

    # Revert: the admin's form for the first version shows its values;
    # saving it brings them back and is itself a recorded change.
    revert_url = reverse("admin:portal_synonym_simple_history", args=[synonym.pk, versions[0].history_id])
    form = staff_client.get(revert_url)
    assert form.status_code == 200
    assert "中华全国总工会" in form.content.decode()
    response = staff_client.post(revert_url, {"term": "测试总", "expansion": "中华全国总工会", "note": ""})
    assert response.status_code == 302
    synonym.refresh_from_db()
    assert synonym.expansion == "中华全国总工会"
    assert synonym.history.count() == 3


def test_an_edit_of_any_content_model_from_code_keeps_the_old_values():
    place = make.place(name="包头")
    place.name = "包头市"
    place.save()

    old, new = place.history.order_by("history_date")
    assert old.name == "包头" and new.name == "包头市"
    assert new.diff_against(old).changed_fields == ["name"]


def test_a_deleted_record_can_be_restored_from_its_history():
    person = make.person(name="高凤林")
    pk = person.pk
    citation_pks = list(person.citations.values_list("pk", flat=True))
    person.citations.all().delete()
    person.delete()
    assert not Person.objects.filter(pk=pk).exists()

    last = Person.history.filter(id=pk).latest()
    assert last.history_type == "-"
    last.instance.save()
    for pk_ in citation_pks:
        Citation.history.filter(id=pk_).latest().instance.save()

    restored = Person.objects.get(pk=pk)
    assert restored.name == "高凤林"
    assert restored.citations.count() == len(citation_pks)


def test_history_survives_the_editors_deactivation_and_deletion(editor):
    report = make.report(title="原标题")
    report._history_user = editor
    report.title = "新标题"
    report.save()

    editor.is_active = False
    editor.save()
    assert report.history.filter(history_user_id=editor.pk).exists()

    editor.delete()
    change = report.history.get(history_type="~")
    assert change.history_username == "editor"
    assert change.title == "新标题"
    assert report.history.count() == 2


@pytest.mark.parametrize("model", [Place, Person, Citation, Report, Synonym])
def test_bulk_updates_of_tracked_models_are_refused(model):
    with pytest.raises(TypeError, match="history"):
        model.objects.all().update(order=1)
    with pytest.raises(TypeError, match="history"):
        model.objects.bulk_update([], ["order"])


def test_every_content_model_keeps_history():
    from django.apps import apps

    for label in ("portal", "craftsmen", "exhibits"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical") or model._meta.model_name in {
                "fixtureload",
                "searchdocument",
                "contentversion",
            }:
                continue
            assert hasattr(model, "history"), model


def test_a_fixture_load_leaves_a_baseline_version_of_every_record(portal_data):
    for model in (Person, Place, Report, Citation):
        assert model.objects.exists()
        ids = set(model.objects.values_list("pk", flat=True))
        assert set(model.history.values_list("id", flat=True)) >= ids
    assert Person.history.filter(history_change_reason=HISTORY_REASON).exists()


def test_a_fixture_load_gives_a_baseline_to_records_that_had_no_history(portal_data):
    person = Person.objects.get(slug="gao-fenglin")
    person.history.all().delete()

    load_fixtures()

    baseline = person.history.get()
    assert baseline.history_change_reason == HISTORY_REASON
    assert baseline.name == person.name


def test_the_edit_history_still_bumps_the_content_version():
    from portal.caching import current_version

    place = make.place()
    before, _ = current_version()
    place.name = "改名"
    place.save()
    assert current_version()[0] > before


def test_a_public_records_history_and_revert_pages_open_in_the_admin(staff_client):
    place = make.place(name="包头")
    place.name = "包头市"
    place.save()
    first = place.history.earliest()

    history = staff_client.get(reverse("admin:portal_place_history", args=[place.pk]))
    assert history.status_code == 200
    assert "包头市" in history.content.decode() or "name" in history.content.decode()
    revert = staff_client.get(reverse("admin:portal_place_simple_history", args=[place.pk, first.history_id]))
    assert revert.status_code == 200
    assert 'value="包头"' in revert.content.decode()


def test_every_many_to_many_field_of_a_tracked_model_is_versioned():
    from django.apps import apps

    for label in ("portal", "craftsmen", "exhibits"):
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "history") and not model.__name__.startswith("Historical"):
                versioned = {field.name for field in model.history.model._history_m2m_fields}
                assert versioned == {field.name for field in model._meta.many_to_many}, model


def _maker_slugs(version) -> list[str]:
    return sorted(version.makers.values_list("person__slug", flat=True))


def test_a_change_of_an_exhibits_makers_is_in_its_history_and_reverting_restores_them(staff_client, editor):
    source = make.report()
    gao, li, wang = (make.person(source, slug=slug) for slug in ("gao", "li", "wang"))
    exhibit = make.exhibit(source, slug="blade", exhibition=make.exhibition(source), makers=[gao, li])
    first = exhibit.history.latest()
    assert _maker_slugs(first) == ["gao", "li"]

    # The admin form: replace the makers.
    change_url = reverse("admin:exhibits_exhibit_change", args=[exhibit.pk])
    form = staff_client.get(change_url).context["adminform"].form
    data = _form_data(form)
    data["makers"] = [str(wang.pk)]
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(exhibit.makers.values_list("slug", flat=True)) == ["wang"]

    latest = exhibit.history.latest()
    assert _maker_slugs(latest) == ["wang"]
    assert latest.history_username == "editor"
    delta = latest.diff_against(first)
    assert "makers" in delta.changed_fields
    history_page = staff_client.get(reverse("admin:exhibits_exhibit_history", args=[exhibit.pk]))
    assert history_page.status_code == 200

    # Revert: the version's page shows its makers; saving it restores them.
    revert_url = reverse("admin:exhibits_exhibit_simple_history", args=[exhibit.pk, first.history_id])
    revert_form = staff_client.get(revert_url).context["adminform"].form
    assert sorted(int(pk) for pk in revert_form["makers"].value()) == sorted([gao.pk, li.pk])
    response = staff_client.post(revert_url, _form_data(revert_form))
    assert response.status_code == 302
    assert sorted(exhibit.makers.values_list("slug", flat=True)) == ["gao", "li"]
    assert _maker_slugs(exhibit.history.latest()) == ["gao", "li"]


def _form_data(form) -> dict:
    """What the browser would post for an admin change form as shown,
    with the citations inline left as it is (empty)."""
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    prefix = "portal-citation-content_type-object_id"
    data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_a_change_of_an_events_hosts_from_code_is_versioned():
    source = make.report()
    one, two = make.organisation(source, slug="one"), make.organisation(source, slug="two")
    event = make.event(source, slug="expo")
    event.hosts.set([one])
    event.hosts.set([two])
    versions = event.history.order_by("history_date", "history_id")
    assert [sorted(v.hosts.values_list("organisation__slug", flat=True)) for v in versions][-1] == ["two"]
    assert any(list(v.hosts.values_list("organisation__slug", flat=True)) == ["one"] for v in versions)


def test_a_second_unchanged_fixture_load_records_no_new_history(portal_data):
    from django.apps import apps

    def history_rows() -> dict[str, int]:
        return {
            model._meta.label: model._default_manager.count()
            for label in ("portal", "craftsmen", "exhibits")
            for model in apps.get_app_config(label).get_models()
            if model.__name__.startswith("Historical")
        }

    before = history_rows()
    load_fixtures()
    assert history_rows() == before


def test_a_fixture_baseline_includes_the_many_to_many_relations(portal_data):
    from exhibits.models import Exhibit

    exhibit = next(e for e in Exhibit.objects.all() if e.makers.exists())
    expected = sorted(exhibit.makers.values_list("pk", flat=True))
    exhibit.history.all().delete()

    load_fixtures()

    baseline = exhibit.history.get()
    assert baseline.history_change_reason == HISTORY_REASON
    assert sorted(baseline.makers.values_list("person_id", flat=True)) == expected


def test_the_migration_gives_each_records_latest_version_its_current_relations():
    """Versions written before relations were versioned hold none; the
    migration that starts versioning them fills in the latest version."""
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from exhibits.models import Exhibit
    from portal.history import snapshot_current_relations

    source = make.report()
    gao = make.person(source, slug="gao")
    exhibit = make.exhibit(source, slug="blade", exhibition=make.exhibition(source), makers=[gao])
    m2m_history = apps.get_model("exhibits", "HistoricalExhibit_makers")
    m2m_history.objects.all().delete()  # as before the migration
    older, latest = list(exhibit.history.order_by("history_date", "history_id"))[-2:]

    migrate = snapshot_current_relations("exhibits", "Exhibit", ["sectors", "makers"])
    migrate(apps, SimpleNamespace(connection=connection))

    assert _maker_slugs(Exhibit.history.get(history_id=latest.history_id)) == ["gao"]
    assert _maker_slugs(Exhibit.history.get(history_id=older.history_id)) == []
