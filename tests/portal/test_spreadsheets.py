"""Spreadsheet export and import in the admin: export a changelist to
.xlsx or CSV, import it back through a preview (added, changed, unchanged,
errors in Chinese), all or nothing, through save() so search documents and
the content version follow."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from exhibits.models import Exhibit
from portal import search
from portal.caching import current_version
from portal.models import Organisation
from portal.spreadsheets import resource_for
from tests import factories as make

pytestmark = pytest.mark.django_db

XLSX, CSV = "0", "1"  # the order of the admin's format choices


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase-1")
    client.force_login(user)
    return client


@pytest.fixture
def exhibits():
    source = make.report()
    show = make.exhibition(source, slug="show")
    firm = make.organisation(source, slug="firm", name="包头钢铁集团")
    make.organisation(source, slug="other-firm", name="内蒙古电力集团")
    wind = make.sector(source, slug="wind")
    make.sector(source, slug="mining")
    first = make.exhibit(source, slug="blade", name="叶片检测仪", exhibition=show, organisation=firm, sectors=[wind])
    second = make.exhibit(source, slug="robot", name="巡检机器人", exhibition=show)
    return first, second


def exported_rows(model=Exhibit) -> list[dict]:
    dataset = resource_for(model)().export()
    return list(csv.DictReader(io.StringIO(dataset.csv)))


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(staff_client, rows: list[dict], url="/admin/exhibits/exhibit/import/"):
    file = SimpleUploadedFile("exhibits.csv", as_csv(rows), content_type="text/csv")
    return staff_client.post(url, {"format": CSV, "resource": "0", "import_file": file})


def confirm(staff_client, preview, url="/admin/exhibits/exhibit/process_import/"):
    form = preview.context["confirm_form"]
    return staff_client.post(url, {name: form.initial[name] for name in form.fields})


def test_the_export_has_every_field_with_relations_as_slugs(exhibits):
    rows = {row["slug"]: row for row in exported_rows()}
    assert rows["blade"]["name"] == "叶片检测仪"
    assert rows["blade"]["organisation"] == "firm"
    assert rows["blade"]["exhibition"] == "show"
    assert rows["blade"]["sectors"] == "wind"
    assert rows["robot"]["organisation"] == ""
    assert "id" not in rows["blade"] and "created_at" not in rows["blade"]


def test_the_changelist_offers_import_and_export(staff_client, exhibits):
    html = staff_client.get("/admin/exhibits/exhibit/").content.decode()
    assert "/admin/exhibits/exhibit/import/" in html
    assert "/admin/exhibits/exhibit/export/" in html


@pytest.mark.parametrize("file_format, read", [(XLSX, "xlsx"), (CSV, "csv")])
def test_staff_export_a_changelist_as_xlsx_or_csv_with_chinese_intact(staff_client, exhibits, file_format, read):
    form = staff_client.get("/admin/exhibits/exhibit/export/").context["form"]
    data = {"format": file_format, "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if field.__class__.__name__ == "BooleanField"}
    response = staff_client.post("/admin/exhibits/exhibit/export/", data)
    assert response.status_code == 200
    assert f".{read}" in response["Content-Disposition"]
    if read == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for row in sheet.iter_rows() for cell in row]
    else:
        values = response.content.decode("utf-8-sig")
    assert "叶片检测仪" in values and "巡检机器人" in values


def test_an_import_is_previewed_as_added_changed_and_unchanged_before_anything_is_written(staff_client, exhibits):
    rows = exported_rows()
    rows[0]["name"] = "叶片无损检测仪"  # blade: changed
    rows.append(rows[1] | {"slug": "drone", "name": "巡检无人机", "sectors": "wind,mining"})  # added
    version_before = current_version()[0]

    preview = upload(staff_client, rows)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (1, 1, 1)
    html = preview.content.decode()
    assert "新增" in html and "更新" in html and "忽略" in html  # the preview, in Chinese
    assert not Exhibit.objects.filter(slug="drone").exists()
    assert Exhibit.objects.get(slug="blade").name == "叶片检测仪"
    assert current_version()[0] == version_before

    done = confirm(staff_client, preview)

    assert done.status_code == 302
    assert Exhibit.objects.get(slug="blade").name == "叶片无损检测仪"
    drone = Exhibit.objects.get(slug="drone")
    assert sorted(drone.sectors.values_list("slug", flat=True)) == ["mining", "wind"]
    assert current_version()[0] > version_before


def test_row_errors_are_shown_in_chinese_and_nothing_can_be_confirmed(staff_client, exhibits):
    rows = exported_rows()
    rows[0]["name"] = "叶片无损检测仪"  # a valid change, which must not be written either
    rows[1]["organisation"] = "no-such-firm"
    rows.append(rows[1] | {"slug": "nameless", "name": "", "organisation": "", "sectors": "wind,nope"})

    preview = upload(staff_client, rows)

    assert preview.status_code == 200
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    html = preview.content.decode()
    assert "找不到网址标识为“no-such-firm”的组织机构。" in html
    assert "找不到网址标识为“nope”的领域。" in html
    assert "此字段不能为空。" in html  # Django's own message for the empty name, in Chinese
    assert Exhibit.objects.get(slug="blade").name == "叶片检测仪"
    assert not Exhibit.objects.filter(slug="nameless").exists()


def test_an_import_is_all_or_nothing(exhibits):
    rows = exported_rows()
    rows[0]["name"] = "叶片无损检测仪"
    rows[1]["exhibition"] = "no-such-exhibition"
    dataset = resource_for(Exhibit)().import_data(
        _dataset(rows), dry_run=False, raise_errors=False, use_transactions=True
    )
    assert dataset.has_validation_errors()
    assert Exhibit.objects.get(slug="blade").name == "叶片检测仪"


def _dataset(rows: list[dict]):
    import tablib

    return tablib.Dataset().load(as_csv(rows).decode(), format="csv")


def test_imported_changes_update_the_search_documents(staff_client, exhibits):
    rows = exported_rows()
    rows[1]["name"] = "稀土永磁巡检机器人"
    rows[1]["organisation"] = "other-firm"

    confirm(staff_client, upload(staff_client, rows))

    found = list(search.matching(search.parse("稀土永磁")))
    assert [doc.title for doc in found] == ["稀土永磁巡检机器人"]
    # Found by its new organisation's name too, as an admin edit would be.
    by_org = {doc.title for doc in search.matching(search.parse("内蒙古电力集团"))}
    assert "稀土永磁巡检机器人" in by_org


def test_other_public_record_kinds_round_trip_through_a_spreadsheet_unchanged(staff_client, exhibits):
    rows = exported_rows(Organisation)
    preview = upload(staff_client, rows, url="/admin/portal/organisation/import/")
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == Organisation.objects.count()


def test_an_admin_import_is_recorded_in_the_history_by_the_importing_user(staff_client, exhibits):
    from portal.spreadsheets import IMPORT_REASON

    blade = exhibits[0]
    editor = get_user_model().objects.get(username="editor")
    make.person(slug="gao", name="高凤林")
    rows = exported_rows()
    rows[0]["name"] = "叶片无损检测仪"  # blade: a field and its makers change
    rows[0]["makers"] = "gao"
    rows.append(rows[1] | {"slug": "drone", "name": "巡检无人机", "makers": ""})  # added
    before = {slug: Exhibit.history.filter(slug=slug).count() for slug in ("blade", "robot", "drone")}

    preview = upload(staff_client, rows)
    assert {slug: Exhibit.history.filter(slug=slug).count() for slug in before} == before  # the preview writes none

    assert confirm(staff_client, preview).status_code == 302

    reason = f"{IMPORT_REASON}：exhibits.csv"
    new_versions = blade.history.order_by("history_date", "history_id")[before["blade"] :]
    assert new_versions, "the imported change has no version"
    for version in new_versions:
        assert version.history_type == "~"
        assert (version.history_user_id, version.history_username) == (editor.pk, "editor")
        assert version.history_change_reason == reason
    latest = blade.history.latest()
    assert latest.name == "叶片无损检测仪"
    assert list(latest.makers.values_list("person__slug", flat=True)) == ["gao"]
    added = Exhibit.history.get(slug="drone", history_type="+")
    assert (added.history_username, added.history_change_reason) == ("editor", reason)
    # The unchanged row is left alone, so its history is too.
    assert Exhibit.history.filter(slug="robot").count() == before["robot"]
