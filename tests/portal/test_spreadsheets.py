"""Spreadsheet export and import in the admin: export a changelist to
.xlsx or CSV, import it back through a preview (added, changed, unchanged,
errors in Chinese), all or nothing, through save() so search documents and
the content version follow."""

import csv
import io
import logging
import zipfile

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from craftsmen.models import (
    AcademyField,
    AcademyGroup,
    AcademyType,
    EventRole,
    PilotBatch,
    PilotCategory,
    PilotUnit,
    TierCount,
)
from exhibits.models import Exhibit, ExhibitionArea, ExhibitKind
from portal.caching import current_version
from portal.fixtures import load_fixtures
from portal.models import Organisation, Report
from portal.spreadsheets import (
    SlugResource,
    SpreadsheetAdminMixin,
    SpreadsheetCSV,
    SpreadsheetRefused,
    escape_cell,
    resource_for,
    unescape_cell,
)
from search.query import matching, parse
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

    found = list(matching(parse("稀土永磁")))
    assert [doc.title for doc in found] == ["稀土永磁巡检机器人"]
    # Found by its new organisation's name too, as an admin edit would be.
    by_org = {doc.title for doc in matching(parse("内蒙古电力集团"))}
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


# --------------------------------------------------------------------------
# Every admin with spreadsheets: who may import and export, and the
# export → import round trip.

SPREADSHEET_ADMINS = sorted(
    (model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, SpreadsheetAdminMixin)),
    key=lambda model: model._meta.label,
)


def _records(model) -> None:
    """Two records of a kind, with what they need: one with formula-like
    text and empty optional text, one with the factory's defaults."""
    source = make.report()
    needs = {
        Exhibit: lambda: {"exhibition": make.exhibition(source)},
        ExhibitionArea: lambda: {"exhibition": make.exhibition(source)},
        EventRole: lambda: {"event": make.event(source), "person": make.person(source)},
        TierCount: lambda: {"tier": make.tier(source)},
        PilotCategory: lambda: {"batch": make.pilot_batch(source)},
        PilotUnit: lambda: {"batch": make.pilot_batch(source)},
        AcademyField: lambda: {"group": make.academy_group(source)},
    }
    factories = {
        ExhibitionArea: make.area,
        ExhibitKind: make.kind,
        TierCount: make.tier_count,
        EventRole: make.event_role,
        PilotBatch: make.pilot_batch,
        PilotCategory: make.pilot_category,
        PilotUnit: lambda source, **fields: make._named(PilotUnit, "unit", source, **fields),
        AcademyType: make.academy_type,
        AcademyGroup: make.academy_group,
        AcademyField: make.academy_field,
    }
    factory = factories.get(model) or getattr(make, model.__name__.lower())
    extra = needs.get(model, dict)()
    factory(source, name='=HYPERLINK("http://evil.example")', name_en="+cmd", description="", **extra)
    factory(source, description="'quoted", inferred_note="@SUM(A1)", **extra)


def _url(model, action: str) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{action}"


def export_file(client, model, file_format: str) -> bytes:
    form = client.get(_url(model, "export/")).context["form"]
    data = {"format": file_format, "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if field.__class__.__name__ == "BooleanField"}
    response = client.post(_url(model, "export/"), data)
    assert response.status_code == 200
    return response.content


def import_file(client, model, file_format: str, content: bytes, name: str | None = None):
    name = name or ("records.xlsx" if file_format == XLSX else "records.csv")
    file = SimpleUploadedFile(name, content)
    return client.post(_url(model, "import/"), {"format": file_format, "resource": "0", "import_file": file})


def problems(result) -> list:
    found = [str(error.error) for error in result.base_errors]
    found += [f"{row.number}: {row.error}" for row in result.invalid_rows]
    found += [f"{number}: {error.error}" for number, errors in result.row_errors() for error in errors]
    return found


def test_every_public_record_kind_has_spreadsheets():
    assert len(SPREADSHEET_ADMINS) == 21
    assert Exhibit in SPREADSHEET_ADMINS and Report not in SPREADSHEET_ADMINS


# (permissions given, may export, may import). Change implies view in
# Django's admin, so a user who may change may see, and so export.
STAFF = {
    "no-permissions": ((), False, False),
    "view-only": (("view",), True, False),
    "add-without-change": (("view", "add"), True, False),
    "change-without-add": (("change",), True, False),
    "add-and-change": (("add", "change"), True, True),
}


def staff_member(model, actions):
    user = get_user_model().objects.create_user("clerk", password="a-long-passphrase-1", is_staff=True)
    content_type = ContentType.objects.get_for_model(model)
    codenames = [f"{action}_{model._meta.model_name}" for action in actions]
    user.user_permissions.set(Permission.objects.filter(content_type=content_type, codename__in=codenames))
    return user


@pytest.mark.parametrize("who", STAFF)
@pytest.mark.parametrize("model", SPREADSHEET_ADMINS, ids=lambda model: model.__name__)
def test_import_needs_add_and_change_and_export_needs_view(client, model, who):
    actions, may_export, may_import = STAFF[who]
    client.force_login(staff_member(model, actions))

    changelist = client.get(_url(model, ""))
    if not actions:
        assert changelist.status_code == 403
    else:
        html = changelist.content.decode()
        assert (_url(model, "export/") in html) is may_export
        assert (_url(model, "import/") in html) is may_import

    allowed = {True: 200, False: 403}
    assert client.get(_url(model, "export/")).status_code == allowed[may_export]
    assert client.post(_url(model, "export/"), {"format": CSV, "resource": "0"}).status_code == allowed[may_export]
    assert client.get(_url(model, "import/")).status_code == allowed[may_import]
    if not may_import:
        assert import_file(client, model, CSV, b"slug,name\nnew-one,x\n").status_code == 403
        assert client.post(_url(model, "process_import/"), {"format": CSV, "resource": "0"}).status_code == 403
        assert not model.objects.filter(slug="new-one").exists()


@pytest.mark.parametrize("file_format", [XLSX, CSV], ids=["xlsx", "csv"])
@pytest.mark.parametrize("model", SPREADSHEET_ADMINS, ids=lambda model: model.__name__)
def test_an_unchanged_export_imports_back_as_a_no_op(staff_client, model, file_format):
    _records(model)
    version_before = current_version()[0]

    preview = import_file(staff_client, model, file_format, export_file(staff_client, model, file_format))

    result = preview.context["result"]
    assert problems(result) == []
    assert result.totals["skip"] == model.objects.count() > 0
    assert result.totals["new"] == result.totals["update"] == 0
    done = confirm(staff_client, preview, url=_url(model, "process_import/"))
    assert done.status_code == 302
    assert current_version()[0] == version_before


def test_the_real_records_export_and_import_back_unchanged(staff_client):
    load_fixtures()
    for model in SPREADSHEET_ADMINS:
        if not model.objects.exists():
            continue  # the fixtures have none of this kind
        for file_format in (XLSX, CSV):
            preview = import_file(staff_client, model, file_format, export_file(staff_client, model, file_format))
            result = preview.context["result"]
            assert problems(result) == [], (model, file_format)
            assert result.totals["skip"] == model.objects.count(), (model, file_format)
    assert Exhibit.objects.count() > 0


# --------------------------------------------------------------------------
# A record imported without a citation is not published.


def test_a_new_record_is_saved_unpublished_and_the_preview_says_so(staff_client, exhibits):
    rows = exported_rows()
    rows.append(rows[1] | {"slug": "drone", "name": "巡检无人机", "is_published": "1"})

    preview = upload(staff_client, rows)

    html = preview.content.decode()
    assert "以下记录没有引用，导入后不公开：第 3 行（drone）" in html
    assert "blade" not in html.split("以下记录没有引用")[1].split("。")[0]
    confirm(staff_client, preview)
    assert Exhibit.objects.get(slug="drone").is_published is False
    assert Exhibit.objects.get(slug="blade").is_published is True


def test_a_cited_record_takes_the_published_flag_from_the_file_and_an_uncited_one_stays_unpublished(
    staff_client, exhibits
):
    blade, robot = exhibits
    _change("robot", is_published=False)
    blade.citations.all().delete()
    _change("blade", is_published=False)
    rows = exported_rows()
    for row in rows:
        row["is_published"] = "1"

    preview = upload(staff_client, rows)

    assert "以下记录没有引用，导入后不公开：第 1 行（blade）。" in preview.content.decode()
    confirm(staff_client, preview)
    assert Exhibit.objects.get(slug="robot").is_published is True  # cited: as the file says
    assert Exhibit.objects.get(slug="blade").is_published is False  # no citation: never published


# --------------------------------------------------------------------------
# Formula injection.


def _change(slug: str, **fields) -> None:
    record = Exhibit.objects.get(slug=slug)
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()


FORMULA_LIKE = {
    "name": '=HYPERLINK("http://evil.example","点此")',
    "name_en": "+cmd|' /C calc'!A0",
    "description": "@SUM(1+1)*cmd|' /C calc'!A0",
    "description_en": "-2+3+cmd|' /C calc'!A0",
    "inferred_note": "\t=1+1",
}


def test_the_xlsx_export_writes_formula_like_text_as_text(staff_client, exhibits):
    _change("blade", **FORMULA_LIKE)

    content = export_file(staff_client, Exhibit, XLSX)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active  # formulas as written, not computed
    headers = [cell.value for cell in sheet[1]]
    blade = next(row for row in sheet.iter_rows(min_row=2) if row[headers.index("slug")].value == "blade")
    for column, text in FORMULA_LIKE.items():
        cell = blade[headers.index(column)]
        assert (cell.data_type, cell.value) == ("s", text), column
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_the_csv_export_starts_formula_like_text_with_an_apostrophe(staff_client, exhibits):
    _change("blade", **FORMULA_LIKE, order=5)

    content = export_file(staff_client, Exhibit, CSV).decode("utf-8-sig")

    blade = next(row for row in csv.DictReader(io.StringIO(content)) if row["slug"] == "blade")
    for column, text in FORMULA_LIKE.items():
        assert blade[column] == "'" + text, column
    assert blade["order"] == "5"


@pytest.mark.parametrize("file_format", [XLSX, CSV], ids=["xlsx", "csv"])
def test_formula_like_text_imports_back_as_it_was(staff_client, exhibits, file_format):
    _change("blade", **FORMULA_LIKE)
    _change("robot", name="'引号开头", name_en="''two", description="-5")

    preview = import_file(staff_client, Exhibit, file_format, export_file(staff_client, Exhibit, file_format))

    assert problems(preview.context["result"]) == []
    assert preview.context["result"].totals["skip"] == 2


@pytest.mark.parametrize(
    "text, exported",
    [
        ("=1+1", "'=1+1"),
        ("+x", "'+x"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-Infinity", "'-Infinity"),
        # An apostrophe of the text's own gets one more, so the import can
        # tell it from ours.
        ("'", "''"),
        ("'=1", "''=1"),
        ("'abc", "''abc"),
        # Numbers, plain text and the empty cell are left alone.
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("abc", "abc"),
        ("名称", "名称"),
        ("", ""),
    ],
)
def test_csv_escaping_makes_text_inert_and_the_import_undoes_it_exactly(text, exported):
    assert escape_cell(text) == exported
    assert unescape_cell(exported) == text


# --------------------------------------------------------------------------
# Errors and limits.


def _form_errors(response) -> list[str]:
    return response.context["form"].errors.get("import_file", [])


def test_a_file_without_a_slug_column_is_refused_in_chinese_without_a_traceback(staff_client, exhibits):
    rows = [{key: value for key, value in row.items() if key != "slug"} for row in exported_rows()]

    response = upload(staff_client, rows)

    assert response.status_code == 200
    assert any("缺少“slug”列" in error for error in _form_errors(response))
    html = response.content.decode()
    assert "Traceback" not in html and ".py" not in html and "KeyError" not in html
    assert not response.context.get("confirm_form")


def test_a_row_the_database_refuses_is_a_chinese_error_and_the_database_text_is_only_logged(
    staff_client, exhibits, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise IntegrityError('null value in column "name" DETAIL: Failing row contains (secret, row)')

    monkeypatch.setattr(Exhibit, "save", refuse)
    rows = exported_rows()
    rows[0]["name"] = "叶片无损检测仪"

    with caplog.at_level(logging.ERROR, logger="portal.spreadsheets"):
        preview = upload(staff_client, rows)

    html = preview.content.decode()
    assert "这一行（网址标识“blade”）无法保存" in html
    assert "Failing row" not in html and "secret" not in html and "Traceback" not in html
    assert "Failing row contains (secret, row)" in caplog.text
    assert not preview.context.get("confirm_form")


@pytest.mark.parametrize("column", ["name", "slug"])
def test_a_nul_character_in_a_cell_is_refused_before_the_database_sees_it(staff_client, exhibits, column):
    rows = exported_rows()
    rows[1][column] += "\x00"

    response = upload(staff_client, rows)

    assert any(f"第 2 行的“{column}”列含有空字符" in error for error in _form_errors(response))
    assert Exhibit.objects.get(slug="robot").name == "巡检机器人"


def test_a_nul_character_is_refused_outside_the_admin_too(exhibits):
    rows = exported_rows()
    rows[0]["description"] = "a\x00b"
    with pytest.raises(SpreadsheetRefused, match="空字符"):
        resource_for(Exhibit)().import_data(_dataset(rows), dry_run=True)


def test_a_file_over_the_row_limit_is_refused_before_any_row_is_imported(staff_client, exhibits, settings, monkeypatch):
    settings.SPREADSHEET_IMPORT_MAX_ROWS = 3
    rows = exported_rows()
    rows += [rows[1] | {"slug": f"extra-{n}"} for n in range(2)]  # 4 rows

    def no_work(*args, **kwargs):
        raise AssertionError("a row was imported")

    monkeypatch.setattr(SlugResource, "import_row", no_work)
    for file_format, content in ((CSV, as_csv(rows)), (XLSX, as_xlsx(rows))):
        response = import_file(staff_client, Exhibit, file_format, content)
        assert any("超过 3 行的上限" in error for error in _form_errors(response)), file_format
    monkeypatch.undo()

    preview = upload(staff_client, rows[:3])  # at the limit
    assert problems(preview.context["result"]) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(staff_client, exhibits, settings, monkeypatch):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 100

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(SpreadsheetCSV, "create_dataset", no_reading)
    response = upload(staff_client, exported_rows())

    assert any("文件太大" in error and "上限是 100" in error for error in _form_errors(response))


def test_a_file_with_headers_only_is_a_chinese_error(staff_client, exhibits):
    response = import_file(staff_client, Exhibit, CSV, b"slug,name\r\n")

    assert _form_errors(response) == ["文件里只有列名，没有数据行。"]


def test_an_unreadable_file_is_a_chinese_error(staff_client, exhibits):
    response = import_file(staff_client, Exhibit, XLSX, b"not a workbook")

    assert _form_errors(response) == ["无法读取这个文件。请确认所选格式（.xlsx 或 CSV，UTF-8 编码）与文件一致。"]
    assert "BadZipFile" not in response.content.decode()


def as_xlsx(rows: list[dict]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
