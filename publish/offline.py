"""The static build's service worker (/sw.js): with it, a kiosk or a phone
that asks ("save for offline", in the footer of every static page) keeps the
whole site and browses it with no network.

It is the last build step (publish.build.STEPS): it lists every file the
build wrote, each with a digest of its content, so a rebuild changes the
list and with it the name of the cache (publish/service_worker.js).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Protocol

from django.urls import reverse
from django.utils import translation

SERVICE_WORKER = "sw.js"
TEMPLATE = Path(__file__).with_name("service_worker.js")
DIGEST_LENGTH = 16


class Build(Protocol):
    """What this step needs of publish.build.Build (which imports this
    module, so this one does not import it back)."""

    out: Path

    def write(self, relative: str, content: bytes) -> None: ...


def address_of(relative: str) -> str:
    """The address a visitor uses for a built file: a page's folder (a static
    host serves its index.html), any other file itself."""
    address = "/" + relative
    return address.removesuffix("index.html") if address.endswith("/index.html") else address


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:DIGEST_LENGTH]


def files_to_cache(out: Path) -> list[tuple[str, str]]:
    """(address, content digest) of every file in the build but the service
    worker itself (the browser keeps that), in the order of the addresses."""
    files = []
    for path in out.rglob("*"):
        relative = path.relative_to(out).as_posix()
        if path.is_file() and relative != SERVICE_WORKER:
            files.append((address_of(relative), digest(path.read_bytes())))
    return sorted(files)


def offline_pages() -> dict[str, str]:
    pages = {}
    for key, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            pages[key] = reverse("offline")
    return pages


def service_worker(files: list[tuple[str, str]]) -> str:
    listed = json.dumps([list(entry) for entry in files], ensure_ascii=False, separators=(",", ":"))
    version = digest(listed.encode("utf-8"))
    return (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("__VERSION__", json.dumps(version))
        .replace("__OFFLINE_PAGES__", json.dumps(offline_pages()))
        .replace("__DIGEST_LENGTH__", str(DIGEST_LENGTH))
        .replace("__FILES__", listed)  # last: an address could hold anything
    )


def write_service_worker(build: Build) -> None:
    """Write /sw.js listing every file now in the build: run it last."""
    build.write(SERVICE_WORKER, service_worker(files_to_cache(build.out)).encode("utf-8"))
