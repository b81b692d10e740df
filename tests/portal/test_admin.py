"""A superuser can open every admin page of every model, with the real
data loaded."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.models import Citation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase-1")
    client.force_login(user)
    return client


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_changelist_opens(staff_client, model):
    response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_change_form_opens_for_a_loaded_record(staff_client, model):
    record = model._default_manager.first()
    if record is None:
        # Models the reports give no rows for (named pilot units) and the
        # auth models: their add form must open instead.
        # Login attempts and two-factor devices: none until someone logs in.
        assert model._meta.label in {
            "craftsmen.PilotUnit",
            "auth.Group",
            "auth.User",
            "axes.AccessAttempt",
            "axes.AccessFailureLog",
            "axes.AccessLog",
            "otp_totp.TOTPDevice",
        }
        if model._meta.label in {"axes.AccessAttempt", "axes.AccessFailureLog"}:
            # Logs nobody may write by hand.
            assert staff_client.get(admin_url(model, "add")).status_code == 403
            return
        url = admin_url(model, "add")
    else:
        url = admin_url(model, "change", record.pk)
    response = staff_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["稀土", "高凤林", "Baotou"])
def test_the_changelist_search_works_in_chinese_and_english(staff_client, query):
    for model in REGISTERED:
        assert staff_client.get(admin_url(model, "changelist"), {"q": query}).status_code == 200


def test_the_change_form_shows_the_cited_paragraph_with_the_excerpt_marked(staff_client, reports):
    citation = Citation.objects.filter(excerpt__contains="高凤林").first()
    record = citation.record
    response = staff_client.get(admin_url(type(record), "change", record.pk))
    assert f"<mark>{citation.excerpt}</mark>" in response.content.decode()


def test_the_admin_is_in_chinese(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert "展品" in response.content.decode()
    assert "工匠梯队" in response.content.decode()
