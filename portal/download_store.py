"""Full downloads (a whole table as CSV or Excel, the /data/ zip) built once
per content version, kept as files and served as files.

Building the zip or an Excel table of a large site takes longer than a
worker may spend on a request, and a streamed body that the worker timeout
cuts off arrives as a 200 with a broken file. So a full download is never
streamed from the database: the first request at a content version builds
it, under a lock that holds across threads and processes (flock on a lock
file), into a private directory, and renames it into place in one step; a
reader sees the whole file or none. With DOWNLOADS_BACKGROUND (the default)
the build runs in a thread of its own and the request waits for it at most
DOWNLOADS_WAIT_SECONDS, then answers 503 with Retry-After: the build goes on
after the answer, however long it takes, and the retry finds the file. A
write to public content changes the content version and so the file's name;
the next build removes the files of older versions.

Files are served with Content-Length, an ETag, Last-Modified, conditional
GET and single byte ranges (Django's FileResponse does no ranges)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connections
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _

from portal.routers import public_reads

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05
# A build directory this old belongs to a build that died (its process was
# killed); no real build takes an hour.
STALE_BUILD_SECONDS = 3600
FILE_CHUNK = 64 * 1024
BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")

# write(path, scratch directory): writes the whole file at path.
Writer = Callable[[str, str], None]


@dataclass(frozen=True)
class Download:
    """One full download as one request would get it: its content depends
    on the content version, the language (headers, names, URLs) and the
    site's address (the URLs in it)."""

    name: str
    version: int
    language: str
    base_url: str

    @property
    def stem(self) -> str:
        site = hashlib.sha256(self.base_url.encode()).hexdigest()[:12]
        return f"{self.version}-{self.language}-{site}-{self.name}"

    @property
    def path(self) -> Path:
        return directory() / self.stem


def directory() -> Path:
    return Path(settings.DOWNLOADS_DIR)


class BuildLock:
    """An exclusive flock on a lock file: flock locks belong to the open
    file, so two threads of one process exclude each other as two
    processes do, and the lock goes with a process that dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def build(download: Download, write: Writer) -> None:
    """Build the file, holding its lock; replaces it in one rename."""
    started = time.monotonic()
    scratch = tempfile.mkdtemp(prefix=f".build-{download.stem}-", dir=directory())
    try:
        target = os.path.join(scratch, download.name)
        with public_reads(), translation.override(download.language):
            write(target, scratch)
        os.replace(target, download.path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    logger.info(
        "Built download %s (%d bytes) in %.1f s",
        download.stem,
        download.path.stat().st_size,
        time.monotonic() - started,
    )
    remove_older_than(download.version)


def remove_older_than(version: int) -> None:
    """Files and locks of older content versions, and dead builds' scratch
    directories. A file being served when it is removed is still read to
    its end (the response holds it open)."""
    now = time.time()
    for entry in directory().iterdir():
        with contextlib.suppress(OSError):
            if entry.name.startswith(".build-"):
                if now - entry.stat().st_mtime > STALE_BUILD_SECONDS:
                    shutil.rmtree(entry, ignore_errors=True)
                continue
            number = entry.name.removeprefix(".lock-").split("-", 1)[0]
            if number.isdigit() and int(number) < version:
                entry.unlink()


def build_slot() -> BuildLock:
    """The one build a downloads directory runs at a time, whichever file
    and process: on a large site a build takes minutes, and one started
    per file, language and content version in request workers would pile
    up while editors keep changing the data."""
    return BuildLock(directory() / ".building")


class _Builder(threading.Thread):
    def __init__(self, download: Download, write: Writer, locks: list[BuildLock]) -> None:
        super().__init__(name=f"download-{download.stem}", daemon=True)
        self.download, self.write, self.locks = download, write, locks
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            build(self.download, self.write)
        except BaseException as error:
            self.error = error
            logger.exception("Building download %s failed", self.download.stem)
        finally:
            for lock in self.locks:
                lock.release()
            # This thread's own database connections: no request ends here
            # to close them.
            connections.close_all()


def open_download(download: Download, write: Writer) -> BinaryIO | None:
    """The download's file, open for reading, built first if it is missing;
    None when it is not ready within DOWNLOADS_WAIT_SECONDS (it is being
    built, by this request's thread or by another request)."""
    directory().mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + settings.DOWNLOADS_WAIT_SECONDS
    builder: _Builder | None = None
    while True:
        with contextlib.suppress(FileNotFoundError):
            return open(download.path, "rb")
        if builder is not None and not builder.is_alive() and builder.error is not None:
            raise builder.error
        if builder is None:
            lock = BuildLock(directory() / f".lock-{download.stem}")
            if lock.acquire():
                slot = build_slot()
                if download.path.exists() or not slot.acquire():
                    # Built while this request looked, or another build is
                    # running: look again (and wait for it) below.
                    lock.release()
                    if download.path.exists():
                        continue
                elif settings.DOWNLOADS_BACKGROUND:
                    builder = _Builder(download, write, [slot, lock])
                    builder.start()
                else:
                    try:
                        build(download, write)
                    finally:
                        slot.release()
                        lock.release()
                    continue
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


def build_unless_present(download: Download, write: Writer) -> bool:
    """Build the file now unless it exists or another process is building
    it; True if this call built it."""
    directory().mkdir(parents=True, exist_ok=True)
    lock = BuildLock(directory() / f".lock-{download.stem}")
    if not lock.acquire():
        return False
    try:
        if download.path.exists():
            return False
        build(download, write)
        return True
    finally:
        lock.release()


def busy_response() -> HttpResponse:
    response = HttpResponse(_("文件正在生成，请过几秒再试。"), status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(settings.DOWNLOADS_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class _Slice:
    """The next `length` bytes of an open file, for a 206."""

    def __init__(self, file: BinaryIO, length: int) -> None:
        self.file, self.left = file, length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.file.read(self.left if size < 0 else min(size, self.left))
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


UNSATISFIABLE = (-1, -1)


def requested_range(request: HttpRequest, size: int, etag: str, last_modified: int) -> tuple[int, int] | None:
    """(first, last) byte of a single satisfiable range, UNSATISFIABLE, or
    None for the whole file (no Range, one this server ignores: several
    ranges, another unit, bad syntax, or an If-Range that does not match)."""
    header = request.headers.get("Range", "").strip()
    if request.method != "GET" or not header:
        return None
    if_range = request.headers.get("If-Range", "").strip()
    if if_range:
        if if_range.startswith(('"', "W/")):
            # A range is only ever applied to the same bytes: strong match.
            if if_range != etag:
                return None
        elif parse_http_date_safe(if_range) != last_modified:
            return None
    match = BYTE_RANGE.fullmatch(header.replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None
        length = int(last)  # the last `length` bytes
        if length == 0 or size == 0:
            return UNSATISFIABLE
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return start, min(end, size - 1)


def file_response(request: HttpRequest, file: BinaryIO, *, content_type: str, filename: str, tag: str) -> HttpResponse:
    """The open file as an attachment: conditional GET, single ranges.
    `tag` names what the file is (a Download's stem); the file's size and
    time make the ETag strong for these exact bytes, should the file be
    built again at the same content version."""
    stat = os.fstat(file.fileno())
    size, last_modified = stat.st_size, int(stat.st_mtime)
    etag = quote_etag(hashlib.sha256(f"{tag}:{stat.st_mtime_ns}:{size}".encode()).hexdigest()[:24])
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    byte_range = None if conditional is not None else requested_range(request, size, etag, last_modified)
    if conditional is not None:
        file.close()
        response = conditional
    elif byte_range == UNSATISFIABLE:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif byte_range is None:
        response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    else:
        first, last = byte_range
        file.seek(first)
        response = FileResponse(
            _Slice(file, last - first + 1), as_attachment=True, filename=filename, content_type=content_type
        )
        response.status_code = 206
        response["Content-Length"] = str(last - first + 1)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    if isinstance(response, FileResponse):
        response.block_size = FILE_CHUNK
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response
