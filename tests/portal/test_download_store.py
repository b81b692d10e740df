"""Full downloads: built once per content version under a lock (threads and
processes), stored, served as files with Content-Length, ETag, conditional
GET and single byte ranges; a request that finds the file still being
built waits a bounded time and then answers 503 with Retry-After."""

import csv
import io
import json
import multiprocessing
import os
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.http import FileResponse
from django.test.utils import CaptureQueriesContext

from portal import download_store
from portal.download_store import BuildLock, Download, open_download
from tests import factories as make

ZIP_URL = "/data/beijiang-gongjiang-data.zip"


def body(response) -> bytes:
    assert isinstance(response, FileResponse)
    return b"".join(response.streaming_content)


def stored(settings) -> list[str]:
    return sorted(path.name for path in settings.DOWNLOADS_DIR.iterdir() if not path.name.startswith("."))


@pytest.fixture
def records(db):
    source = make.report()
    show = make.exhibition(source)
    return [make.exhibit(source, exhibition=show, name=f"稀土永磁电机{n:02d}号") for n in range(5)]


# ---------------------------------------------------------------------------
# Built once per content version


def test_a_full_download_is_built_once_and_then_served_from_its_file(client, records, settings):
    first = client.get("/exhibits/export.csv")
    first_body = body(first)
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/exhibits/export.csv")
        again_body = body(again)

    assert again_body == first_body
    assert "稀土永磁电机04号" in first_body.decode("utf-8-sig")
    assert not [q for q in captured if "exhibits_exhibit" in q["sql"]], "the second request read the exhibits again"
    assert [name.split("-", 1)[1] for name in stored(settings)] == [stored(settings)[0].split("-", 1)[1]]


def test_a_write_makes_a_new_file_and_the_old_version_is_removed(client, records, settings):
    before = body(client.get("/exhibits/export.csv")).decode("utf-8-sig")
    old_files = stored(settings)
    records[0].name = "稀土永磁电机（改进型）"
    records[0].save()

    after = body(client.get("/exhibits/export.csv")).decode("utf-8-sig")

    assert "稀土永磁电机（改进型）" not in before
    assert "稀土永磁电机（改进型）" in after
    assert len(stored(settings)) == 1
    assert stored(settings) != old_files


def test_each_language_has_its_own_file(client, records, settings):
    chinese = body(client.get("/exhibits/export.csv")).decode("utf-8-sig")
    english = body(client.get("/en/exhibits/export.csv")).decode("utf-8-sig")

    assert chinese.splitlines()[0].startswith("标识,名称")
    assert english.splitlines()[0].startswith("ID,Name")
    assert len(stored(settings)) == 2


def test_the_zip_is_a_valid_archive_of_every_dataset_served_as_a_file(client, records):
    response = client.get(ZIP_URL)
    data = body(response)

    assert response["Content-Type"] == "application/zip"
    assert int(response["Content-Length"]) == len(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert {"exhibits.csv", "exhibits.json", "people.csv"} <= set(archive.namelist())
    table = list(csv.reader(io.StringIO(archive.read("exhibits.csv").decode("utf-8-sig"))))
    document = json.loads(archive.read("exhibits.json"))
    assert [row[1] for row in table[1:]] == [record["name"] for record in document["records"]]
    assert [record["name"] for record in document["records"]] == [f"稀土永磁电机{n:02d}号" for n in range(5)]
    assert document["dataset"] == "exhibits"


def test_the_full_xlsx_is_built_once_and_opens(client, records, settings):
    openpyxl = pytest.importorskip("openpyxl")
    response = client.get("/exhibits/export.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    names = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]

    assert names == [f"稀土永磁电机{n:02d}号" for n in range(5)]
    assert stored(settings)[0].endswith("-exhibits.xlsx")


# ---------------------------------------------------------------------------
# The lock


def slow_writer(calls: list, pause: float = 0.2):
    def write(path: str, scratch: str) -> None:
        calls.append(path)
        time.sleep(pause)
        with open(path, "wb") as file:
            file.write(b"built once")

    return write


def test_two_threads_asking_at_once_build_the_file_once(settings, tmp_path):
    settings.DOWNLOADS_BACKGROUND = False
    download = Download("t.csv", 7, "zh-hans", "http://testserver")
    calls: list[str] = []
    results: list[bytes] = []

    def ask():
        with open_download(download, slow_writer(calls)) as file:
            results.append(file.read())

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(calls) == 1
    assert results == [b"built once"] * 4


def _ask_in_a_process(directory: str, calls: str) -> None:
    from django.conf import settings

    settings.DOWNLOADS_DIR = directory
    settings.DOWNLOADS_BACKGROUND = False

    def write(path: str, scratch: str) -> None:
        with open(calls, "a") as log:
            log.write("built\n")
        time.sleep(0.3)
        with open(path, "wb") as file:
            file.write(b"built once")

    with open_download(Download("p.csv", 7, "zh-hans", "http://testserver"), write) as file:
        assert file.read() == b"built once"


def test_two_processes_asking_at_once_build_the_file_once(settings, tmp_path):
    settings.DOWNLOADS_DIR.mkdir(parents=True)
    calls = tmp_path / "calls.log"
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_ask_in_a_process, args=(str(settings.DOWNLOADS_DIR), str(calls))) for _ in range(3)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)

    assert [process.exitcode for process in processes] == [0, 0, 0]
    assert calls.read_text() == "built\n"


def test_a_request_that_finds_the_file_still_being_built_gets_a_503_with_retry_after(client, records, settings):
    settings.DOWNLOADS_DIR.mkdir(parents=True)
    settings.DOWNLOADS_WAIT_SECONDS = 0.2
    # Another process is building every file.
    real_acquire = BuildLock.acquire
    BuildLock.acquire = lambda self: False
    try:
        started = time.monotonic()
        response = client.get(ZIP_URL)
        waited = time.monotonic() - started
        english = client.get("/en" + ZIP_URL)
    finally:
        BuildLock.acquire = real_acquire

    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DOWNLOADS_RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert "文件正在生成" in response.content.decode()
    assert "being prepared" in english.content.decode()
    assert 0.2 <= waited < 2
    assert client.get(ZIP_URL).status_code == 200


def test_while_another_build_runs_no_second_one_starts_and_the_request_gets_a_503(client, records, settings):
    from portal.download_store import build_slot

    Path(settings.DOWNLOADS_DIR).mkdir(parents=True, exist_ok=True)
    other_build = build_slot()
    assert other_build.acquire()
    try:
        response = client.get(ZIP_URL)
        assert response.status_code == 503
        assert stored(settings) == []
    finally:
        other_build.release()
    # The slot free again, the next request builds the file.
    assert client.get(ZIP_URL).status_code == 200
    assert len(stored(settings)) == 1


def test_a_build_in_the_background_goes_on_after_a_503_and_the_retry_gets_the_file(settings):
    settings.DOWNLOADS_BACKGROUND = True
    settings.DOWNLOADS_WAIT_SECONDS = 0.1
    download = Download("b.csv", 7, "zh-hans", "http://testserver")
    release = threading.Event()

    def write(path: str, scratch: str) -> None:
        release.wait(10)
        with open(path, "wb") as file:
            file.write(b"finished")

    assert open_download(download, write) is None
    assert open_download(download, write) is None  # still building: not started twice
    release.set()
    settings.DOWNLOADS_WAIT_SECONDS = 5
    with open_download(download, write) as file:
        assert file.read() == b"finished"
    assert not [p for p in settings.DOWNLOADS_DIR.iterdir() if p.name.startswith(".build-")]


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_the_background_build_reads_the_database_from_its_own_thread(client, settings):
    settings.DOWNLOADS_BACKGROUND = True
    source = make.report()
    make.exhibit(source, exhibition=make.exhibition(source), name="后台生成的展品")

    response = client.get("/exhibits/export.csv")

    assert response.status_code == 200
    assert "后台生成的展品" in body(response).decode("utf-8-sig")


def test_a_failed_build_is_an_error_and_leaves_no_lock_or_file_behind(settings):
    download = Download("f.csv", 7, "zh-hans", "http://testserver")

    def broken(path: str, scratch: str) -> None:
        with open(path, "wb") as file:
            file.write(b"half")
        raise RuntimeError("the database went away")

    for background in (False, True):
        settings.DOWNLOADS_BACKGROUND = background
        with pytest.raises(RuntimeError):
            open_download(download, broken)
        assert not download.path.exists()
        lock = BuildLock(settings.DOWNLOADS_DIR / f".lock-{download.stem}")
        assert lock.acquire()
        lock.release()


def test_a_build_removes_older_versions_and_dead_builds_but_not_newer_ones(settings):
    directory = settings.DOWNLOADS_DIR
    directory.mkdir(parents=True)
    for name in ["5-zh-hans-x-data.zip", ".lock-5-zh-hans-x-data.zip", "9-zh-hans-x-data.zip"]:
        (directory / name).write_bytes(b"old")
    dead = directory / ".build-5-zh-hans-x-data.zip-abc"
    dead.mkdir()
    old = time.time() - download_store.STALE_BUILD_SECONDS - 10
    os.utime(dead, (old, old))
    built = Download("data.zip", 7, "zh-hans", "http://x")

    open_download(built, slow_writer([], 0)).close()

    assert stored(settings) == sorted([built.stem, "9-zh-hans-x-data.zip"])
    assert not (directory / ".lock-5-zh-hans-x-data.zip").exists()
    assert not dead.exists()


# ---------------------------------------------------------------------------
# Serving: length, tags, conditional GET, ranges


@pytest.fixture
def served(client, records):
    response = client.get("/exhibits/export.csv")
    return response, body(response)


def test_a_stored_download_has_length_tags_and_accepts_ranges(served):
    response, data = served

    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(data)
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_stored_download_is_not_gzipped_so_its_length_and_ranges_hold(client, served):
    response, data = served
    again = client.get("/exhibits/export.csv", headers={"Accept-Encoding": "gzip"})

    assert "Content-Encoding" not in again
    assert int(again["Content-Length"]) == len(data)
    assert again["ETag"] == response["ETag"]


def test_a_repeat_download_with_its_etag_or_date_is_a_304(client, served):
    response, _ = served

    assert client.get("/exhibits/export.csv", headers={"If-None-Match": response["ETag"]}).status_code == 304
    since = client.get("/exhibits/export.csv", headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304
    assert since["ETag"] == response["ETag"]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-9", 0, 9), ("bytes=10-", 10, None), ("bytes=-7", -7, None), ("bytes=5-100000000", 5, None)],
)
def test_a_byte_range_is_a_206_with_just_those_bytes(client, served, header, first, last):
    _, data = served
    response = client.get("/exhibits/export.csv", headers={"Range": header})
    part = data[first : None if last is None else last + 1]
    start = first if first >= 0 else len(data) + first

    assert response.status_code == 206
    assert body(response) == part
    assert response["Content-Range"] == f"bytes {start}-{start + len(part) - 1}/{len(data)}"
    assert int(response["Content-Length"]) == len(part)
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=100000000-", "bytes=-0"])
def test_an_unsatisfiable_range_is_a_416_giving_the_size(client, served, header):
    _, data = served
    response = client.get("/exhibits/export.csv", headers={"Range": header})

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=9-3", "lines=1-2", "bytes=x-y"])
def test_a_range_this_server_does_not_serve_gets_the_whole_file(client, served, header):
    _, data = served
    response = client.get("/exhibits/export.csv", headers={"Range": header})

    assert response.status_code == 200
    assert body(response) == data


def test_if_range_resumes_only_the_same_file(client, served):
    response, data = served
    same = client.get("/exhibits/export.csv", headers={"Range": "bytes=3-", "If-Range": response["ETag"]})
    dated = client.get("/exhibits/export.csv", headers={"Range": "bytes=3-", "If-Range": response["Last-Modified"]})
    other = client.get("/exhibits/export.csv", headers={"Range": "bytes=3-", "If-Range": '"another-file"'})
    weak = client.get("/exhibits/export.csv", headers={"Range": "bytes=3-", "If-Range": "W/" + response["ETag"]})
    old = client.get("/exhibits/export.csv", headers={"Range": "bytes=3-", "If-Range": "Mon, 01 Jan 2001 00:00:00 GMT"})

    assert (same.status_code, body(same)) == (206, data[3:])
    assert (dated.status_code, body(dated)) == (206, data[3:])
    for whole in (other, weak, old):
        assert (whole.status_code, body(whole)) == (200, data)


def test_a_range_on_the_zip_gives_the_bytes_that_make_up_the_whole(client, records):
    whole = body(client.get(ZIP_URL))
    head = body(client.get(ZIP_URL, headers={"Range": "bytes=0-999"}))
    tail = body(client.get(ZIP_URL, headers={"Range": "bytes=1000-"}))

    assert head + tail == whole


def test_build_downloads_builds_every_full_download_ahead_of_the_first_visitor(client, records, settings):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("build_downloads", "http://testserver/", stdout=out)

    assert out.getvalue().count("built in") == 2 * 13
    assert len(stored(settings)) == 2 * 13
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/en/exhibits/export.xlsx")
        body(response)
    assert response.status_code == 200
    assert not [q for q in captured if "exhibits_exhibit" in q["sql"]]

    again = io.StringIO()
    call_command("build_downloads", "http://testserver", stdout=again)
    assert "built in" not in again.getvalue()


def test_build_downloads_builds_for_the_site_url_when_given_no_address(records, settings):
    from django.core.management import call_command

    settings.SITE_URL = "https://portal.example.org"
    out = io.StringIO()
    call_command("build_downloads", "--language", "en", stdout=out)

    assert "built" in out.getvalue()
    assert stored(settings)


def test_build_downloads_without_an_address_or_site_url_says_what_it_needs(records, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("build_downloads", stdout=io.StringIO())


def test_build_downloads_can_build_one_language(records, settings):
    from django.core.management import call_command

    call_command("build_downloads", "http://testserver", "--language", "en", stdout=io.StringIO())

    assert {name.split("-")[1] for name in stored(settings)} == {"en"}
