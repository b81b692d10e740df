"""The index follows edits in the same transaction: admin saves, deletes,
renames, and relation changes."""

import pytest
from django.contrib.auth import get_user_model

from search import index
from search.kinds import id_range
from search.query import SearchResults, matching, parse
from tests import factories as make

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [d.title for d in matching(parse(query))]


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "a-long-passphrase-1"))
    return client


def test_a_record_saved_in_the_admin_is_findable_at_once(staff_client):
    source = make.report()
    org = make.organisation(source, name="乌兰察布市总工会")
    response = staff_client.post(
        f"/admin/portal/organisation/{org.pk}/change/",
        {
            "slug": org.slug,
            "name": "锡林郭勒盟总工会",
            "name_en": "Xilingol League Federation of Trade Unions",
            "kind": "union",
            "order": 0,
            "is_published": "on",
            "portal-citation-content_type-object_id-TOTAL_FORMS": "0",
            "portal-citation-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("锡林郭勒") == ["锡林郭勒盟总工会"]
    assert found("xilinguole") == ["锡林郭勒盟总工会"]
    assert found("乌兰察布") == []


def test_a_rename_changes_what_finds_it_and_deleting_removes_it():
    source = make.report()
    person = make.person(source, name="哈斯巴根")
    assert found("巴根") == ["哈斯巴根"]

    person.name = "其木格"
    person.save()
    assert found("巴根") == []
    assert found("木格") == ["其木格"]

    person.delete()
    assert found("木格") == []


def test_an_exhibit_is_found_by_its_makers_name_and_follows_a_renamed_maker():
    source = make.report()
    maker = make.person(source, name="敖登")
    make.exhibit(source, name="风电叶片检测装置", exhibition=make.exhibition(source), makers=[maker])
    assert "风电叶片检测装置" in found("敖登")

    maker.name = "乌日娜"
    maker.save()
    assert "风电叶片检测装置" in found("乌日娜")
    assert "风电叶片检测装置" not in found("敖登")


def test_unpublishing_a_record_removes_it_from_search():
    source = make.report()
    event = make.event(source, name="乌海职工技能大赛")
    event.is_published = False
    event.save()
    assert found("乌海") == []


def test_a_new_record_gets_the_next_id_of_its_kind():
    source = make.report()
    first = make.person(source, name="哈斯巴根")
    second = make.person(source, name="其木格")
    ids = [SearchResults(parse(name))[0:1][0].pk for name in (first.name, second.name)]
    low, high = id_range("person")
    assert low < ids[0] < ids[1] < high


def test_a_synonym_edit_applies_to_the_next_search_despite_the_cached_table():
    from portal.models import Synonym

    source = make.report()
    make.organisation(source, name="锡林郭勒盟总工会")
    assert found("锡盟工会") == []
    Synonym.objects.create(term="锡盟工会", expansion="锡林郭勒盟总工会")
    assert found("锡盟工会") == ["锡林郭勒盟总工会"]
    Synonym.objects.filter(term="锡盟工会").delete()  # a queryset delete sends post_delete too
    assert found("锡盟工会") == []


def test_migrating_a_database_indexed_by_an_older_analyzer_rebuilds_its_documents():
    from django.apps import apps

    from portal.caching import current_version
    from portal.models import SearchDocument
    from portal.text import ANALYZER_VERSION
    from search.signals import rebuild_stale_documents

    source = make.report()
    make.exhibit(source, name="F-12芳纶防割手套", exhibition=make.exhibition(source))
    # The document as the analyzer before version 2 wrote it: `f` and `12`.
    SearchDocument.objects.update(analyzer=1, head="f 12 芳纶 纶防 防割 割手 手套 套")
    assert found("F12") == []
    before = current_version()[0]

    rebuild_stale_documents(sender=apps.get_app_config("portal"), using="default")

    assert set(SearchDocument.objects.values_list("analyzer", flat=True)) == {ANALYZER_VERSION}
    assert found("F12") == found("F-12") == ["F-12芳纶防割手套"]
    assert current_version()[0] != before


def test_migrating_a_database_whose_documents_are_current_does_not_rebuild_them(monkeypatch):
    from django.apps import apps

    from search.signals import rebuild_stale_documents

    source = make.report()
    make.exhibit(source, name="F-12芳纶防割手套", exhibition=make.exhibition(source))
    monkeypatch.setattr(index, "rebuild", lambda *args, **kwargs: pytest.fail("rebuilt current documents"))
    rebuild_stale_documents(sender=apps.get_app_config("portal"), using="default")
    assert found("F12") == ["F-12芳纶防割手套"]


def test_a_partial_migrate_leaves_older_documents_for_the_next_full_one(monkeypatch):
    from django.apps import apps

    from portal.models import SearchDocument
    from search import signals

    source = make.report()
    make.exhibit(source, name="F-12芳纶防割手套", exhibition=make.exhibition(source))
    SearchDocument.objects.update(analyzer=1)
    monkeypatch.setattr(signals, "_fully_migrated", lambda using: False)
    monkeypatch.setattr(index, "rebuild", lambda *args, **kwargs: pytest.fail("rebuilt before every migration ran"))
    signals.rebuild_stale_documents(sender=apps.get_app_config("portal"), using="default")
    assert set(SearchDocument.objects.values_list("analyzer", flat=True)) == {1}
