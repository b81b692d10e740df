"""Staff logins, failed logins, lockouts and admin edits each leave one
structured (JSON) line on the `portal.audit` logger."""

import json
import logging

import pytest
from django.contrib.auth import get_user_model

from portal.models import Synonym
from shell.jsonlog import JsonLineFormatter

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-1"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def audit_records(caplog):
    logger = logging.getLogger("portal.audit")
    logger.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.INFO)
    yield lambda: [record.audit for record in caplog.records if record.name == "portal.audit"]
    logger.removeHandler(caplog.handler)


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True, is_superuser=True)


def log_in(client, password=PASSWORD, address="192.0.2.1"):
    return client.post(LOGIN, {"username": "editor", "password": password}, REMOTE_ADDR=address)


def test_a_login_and_a_failed_login_are_logged_with_the_address_and_never_the_password(client, editor, audit_records):
    log_in(client, password="wrong-passphrase")
    log_in(client)

    failed, login = audit_records()
    assert failed["event"] == "login_failed"
    assert (failed["username"], failed["address"]) == ("editor", "192.0.2.1")
    assert (login["event"], login["username"], login["user_id"]) == ("login", "editor", editor.pk)
    assert "wrong-passphrase" not in json.dumps(audit_records())


def test_a_lockout_is_logged_as_a_warning(client, editor, audit_records, caplog):
    for _ in range(5):
        log_in(client, password="wrong")

    lockouts = [record for record in audit_records() if record["event"] == "lockout"]
    assert lockouts == [{"event": "lockout", "username": "editor", "address": "192.0.2.1"}]
    levels = {record.audit["event"]: record.levelname for record in caplog.records if record.name == "portal.audit"}
    assert levels == {"login_failed": "WARNING", "lockout": "WARNING"}


def test_admin_edits_are_logged_with_who_what_and_which_record(client, editor, audit_records):
    client.force_login(editor)
    response = client.post(
        "/admin/portal/synonym/add/", {"term": "北疆", "expansion": "内蒙古", "is_active": "on"}, follow=False
    )
    assert response.status_code == 302, response.content[:2000]
    synonym = Synonym.objects.get(term="北疆")

    (edit,) = [record for record in audit_records() if record["event"] == "admin_edit"]
    assert edit["action"] == "add"
    assert (edit["username"], edit["user_id"]) == ("editor", editor.pk)
    assert (edit["model"], edit["object_id"]) == ("portal.Synonym", str(synonym.pk))


def test_each_audit_record_is_one_line_of_json():
    record = logging.LogRecord("portal.audit", logging.INFO, __file__, 1, "login", None, None)
    record.audit = {"event": "login", "username": "编辑"}

    line = JsonLineFormatter().format(record)

    assert "\n" not in line
    assert json.loads(line) | {"time": None} == {"time": None, "level": "INFO", "event": "login", "username": "编辑"}
