"""Reading and loading the portal's fixtures.

The fixtures are JSON files in `fixtures/`, loaded in file-name order. Each
holds a list of records:

    {"model": "exhibits.exhibit", "slug": "…", "fields": {…},
     "citations": [{"report": "<report slug>", "paragraph": 12, "excerpt": "…"}]}

Foreign keys name their target by slug, many-to-many fields by a list of
slugs, so the files read like the data and never mention database ids. A
record is matched to its row by slug, which makes loading idempotent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from portal.bulk import bulk_writes, records_loaded
from portal.caching import bump_content_version
from portal.models import Citation, Figure, FixtureLoad, Report
from portal.reports import paragraphs_of, report_path

FIXTURES_DIR = settings.BASE_DIR / "fixtures"
RECORD_KEYS = {"model", "slug", "fields", "citations"}
CITATION_KEYS = {"report", "paragraph", "excerpt"}
# Filled in by the database or owned by the loader, never by a fixture.
MANAGED_FIELDS = {"id", "slug", "created_at", "updated_at"}
# No string in a fixture may be longer (the longest today is about 500
# characters). CharFields have their own, shorter max_length, which
# full_clean checks; this bounds the TextFields, which have none.
MAX_TEXT_LENGTH = 5000


class FixtureError(Exception):
    """One or more records could not be loaded; the message lists each with
    its file and position."""


@dataclass
class FixtureRecord:
    path: Path
    index: int
    data: dict[str, Any]

    @property
    def label(self) -> str:
        slug = self.data.get("slug", "?") if isinstance(self.data, dict) else "?"
        model = self.data.get("model", "?") if isinstance(self.data, dict) else "?"
        return f"{self.path.name}, record {self.index + 1} ({model} {slug})"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    citations_written: int = 0
    skipped: bool = False
    documents: int = 0
    digest: str = ""
    errors: list[str] = field(default_factory=list)
    # Reports whose file was not in REPORTS_DIR: their excerpts were not
    # checked against the text.
    unchecked_reports: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def missing_reports_notice(file_names: list[str]) -> str:
    """What the commands and the test suite say when report files are not
    at hand: loudly, with where they were looked for and how to fix it."""
    return (
        f"excerpts NOT checked: no reports at {settings.REPORTS_DIR} "
        f"(missing {', '.join(sorted(file_names))}; set REPORTS_DIR to the directory that holds them)"
    )


def reports_not_at_hand(directory: Path = FIXTURES_DIR) -> list[str]:
    """The file names of the fixtures' reports that are not in REPORTS_DIR."""
    names = []
    for record in read_records(fixture_files(directory)):
        data = record.data
        if isinstance(data, dict) and data.get("model") == "portal.report" and isinstance(data.get("fields"), dict):
            name = data["fields"].get("file_name")
            if isinstance(name, str) and not report_path(name).is_file():
                names.append(name)
    return names


def fixture_files(directory: Path = FIXTURES_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def fixtures_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_records(paths: list[Path]) -> list[FixtureRecord]:
    records: list[FixtureRecord] = []
    problems: list[str] = []
    for path in paths:
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(f"{path.name}: not valid UTF-8 JSON: {error}")
            continue
        if not isinstance(content, list):
            problems.append(f"{path.name}: the file must hold a JSON list of records")
            continue
        records.extend(FixtureRecord(path, index, data) for index, data in enumerate(content))
    if problems:
        raise FixtureError("\n".join(problems))
    return records


def value_problems(records: list[FixtureRecord]) -> list[str]:
    """Problems found without the database, so both databases reject them
    alike: PostgreSQL refuses a NUL character in text where SQLite would
    store it, and SQLite enforces no length at all."""
    problems = []
    for record in records:
        for where, text in _strings(record.data, ""):
            if "\x00" in text:
                problems.append(f"{record.label}: {where} contains a NUL character")
            if len(text) > MAX_TEXT_LENGTH:
                problems.append(
                    f"{record.label}: {where} is {len(text):,} characters long; at most {MAX_TEXT_LENGTH:,} are allowed"
                )
    return problems


def _strings(value: Any, where: str):
    """Every string in a record (keys too), with where it is."""
    if isinstance(value, str):
        yield where or "the record", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, f"{where} key" if where else "a key")
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index + 1}]")


class _Loader:
    def __init__(self) -> None:
        self.result = LoadResult()
        self.reports_by_slug: dict[str, Report] = {}
        self.paragraph_cache: dict[str, list[str] | None] = {}
        self.seen: set[tuple[str, str]] = set()

    def load(self, records: list[FixtureRecord]) -> LoadResult:
        for record in records:
            try:
                self.load_record(record)
            except (ValidationError, FixtureError, ValueError, TypeError, LookupError) as error:
                self.result.errors.append(f"{record.label}: {_describe(error)}")
        return self.result

    def load_record(self, record: FixtureRecord) -> None:
        data = record.data
        if not isinstance(data, dict):
            raise FixtureError("a record must be a JSON object")
        unknown = set(data) - RECORD_KEYS
        if unknown:
            raise FixtureError(f"unknown keys {sorted(unknown)}")
        model = apps.get_model(str(data.get("model", "")))
        slug = data.get("slug")
        if not isinstance(slug, str) or not slug:
            raise FixtureError("a record needs a slug")
        key = (model._meta.label_lower, slug)
        if key in self.seen:
            raise FixtureError("this slug appears twice in the fixtures")
        self.seen.add(key)
        fields = data.get("fields", {})
        if not isinstance(fields, dict):
            raise FixtureError("'fields' must be an object")

        instance = model._default_manager.filter(slug=slug).first()
        is_new = instance is None
        if is_new:
            instance = model(slug=slug)
        before = _snapshot(instance)
        many_to_many: dict[str, list[models.Model]] = {}
        for name, value in fields.items():
            if name in MANAGED_FIELDS:
                raise FixtureError(f"the field {name!r} is managed by the loader and cannot be set")
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                raise FixtureError(f"{model.__name__} has no field {name!r}") from None
            if model_field.many_to_many:
                if not isinstance(value, list):
                    raise FixtureError(f"{name!r} must be a list of slugs")
                many_to_many[name] = [_by_slug(model_field.related_model, item, name) for item in value]
            elif model_field.many_to_one:
                target = None if value is None else _by_slug(model_field.related_model, value, name)
                setattr(instance, model_field.name, target)
            elif model_field.concrete and not model_field.auto_created:
                if isinstance(value, float) and isinstance(model_field, models.DecimalField):
                    # JSON's 1.8 as the decimal it is written as, not the
                    # binary float nearest to it.
                    value = repr(value)
                setattr(instance, model_field.attname, model_field.to_python(value))
            else:
                raise FixtureError(f"{name!r} cannot be set from a fixture")
        # A fixture is the whole record: a field it leaves out goes back to
        # its default, so loading the same file always gives the same row.
        for model_field in model._meta.concrete_fields:
            if model_field.name in fields or model_field.name in MANAGED_FIELDS:
                continue
            if model_field.has_default() or model_field.null or model_field.blank:
                setattr(instance, model_field.attname, _default_for(model_field))
        instance.full_clean()
        instance._change_reason = HISTORY_REASON
        if is_new:
            instance.save()
            self.result.created += 1
        elif _snapshot(instance) != before:
            instance.save()
            self.result.updated += 1
        else:
            self.result.unchanged += 1
            _history_baseline(model, [instance])
        for name, targets in many_to_many.items():
            getattr(instance, name).set(targets)
        for name in {f.name for f in model._meta.many_to_many} - set(many_to_many):
            # set([]), not clear(): clear() signals (and so records a new
            # version) even when there was nothing to clear.
            getattr(instance, name).set([])

        if isinstance(instance, Report):
            if "citations" in data:
                raise FixtureError("a report is the source itself and takes no citations")
            self.paragraph_cache.pop(instance.slug, None)
            self.check_credits(instance)
            return
        self.sync_citations(instance, data.get("citations"))

    def check_credits(self, report: Report) -> None:
        """Where the report file is at hand, every credited name is printed
        in it."""
        paragraphs = paragraphs_of(report.file_name)
        if paragraphs is None:
            return
        text = "\n".join(paragraphs)
        for line in report.credits:
            for entry in line["names"]:
                if entry["name"] not in text:
                    raise FixtureError(f"the credited name {entry['name']!r} is not in {report.file_name}")

    def sync_citations(self, instance: models.Model, citations: Any) -> None:
        if not isinstance(citations, list) or not citations:
            raise FixtureError("every record needs at least one citation")
        wanted: list[tuple[int, int, str, int]] = []
        for order, citation in enumerate(citations):
            if not isinstance(citation, dict) or set(citation) != CITATION_KEYS:
                raise FixtureError(f"citation {order + 1} must have exactly the keys {sorted(CITATION_KEYS)}")
            report = _by_slug(Report, citation["report"], "report")
            paragraph = citation["paragraph"]
            excerpt = citation["excerpt"]
            if not isinstance(paragraph, int) or isinstance(paragraph, bool) or paragraph < 1:
                raise FixtureError(f"citation {order + 1}: the paragraph must be a whole number from 1")
            if not isinstance(excerpt, str) or not excerpt.strip():
                raise FixtureError(f"citation {order + 1}: the excerpt is empty")
            self.check_excerpt(report, paragraph, excerpt, order)
            wanted.append((report.pk, paragraph, excerpt, order))
        content_type = ContentType.objects.get_for_model(instance)
        existing = Citation.objects.filter(content_type=content_type, object_id=instance.pk).order_by("order", "pk")
        current = [(c.report_id, c.paragraph, c.excerpt, c.order) for c in existing]
        if current == wanted:
            _history_baseline(Citation, list(existing))
            return
        existing.delete()
        for report_id, paragraph, excerpt, order in wanted:
            citation = Citation(
                report_id=report_id,
                paragraph=paragraph,
                excerpt=excerpt,
                order=order,
                content_type=content_type,
                object_id=instance.pk,
            )
            citation.full_clean()
            citation._change_reason = HISTORY_REASON
            citation.save()
            self.result.citations_written += 1

    def check_excerpt(self, report: Report, paragraph: int, excerpt: str, order: int) -> None:
        """Where the report file is at hand, the excerpt must be in the cited
        paragraph. (The test suite insists on the files being present.)"""
        if report.slug not in self.paragraph_cache:
            self.paragraph_cache[report.slug] = paragraphs_of(report.file_name)
        paragraphs = self.paragraph_cache[report.slug]
        if paragraphs is None:
            if report.file_name not in self.result.unchecked_reports:
                self.result.unchecked_reports.append(report.file_name)
            return
        if paragraph > len(paragraphs):
            raise FixtureError(
                f"citation {order + 1}: {report.file_name} has {len(paragraphs)} paragraphs, not {paragraph}"
            )
        if excerpt not in paragraphs[paragraph - 1]:
            raise FixtureError(
                f"citation {order + 1}: the excerpt {excerpt!r} is not in paragraph {paragraph} of {report.file_name}"
            )


def _by_slug(model: type[models.Model], slug: Any, field_name: str) -> models.Model:
    if not isinstance(slug, str):
        raise FixtureError(f"{field_name!r} must name a {model.__name__} by its slug")
    try:
        return model._default_manager.get(slug=slug)
    except model.DoesNotExist:
        raise FixtureError(
            f"{field_name!r}: no {model.__name__} with slug {slug!r} (it must be defined in an earlier record)"
        ) from None


def _default_for(model_field: models.Field) -> Any:
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    return ""


def _snapshot(instance: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.name not in {"created_at", "updated_at"}
    }


HISTORY_REASON = "载入数据（load_portal_data）"


def _history_baseline(model: type[models.Model], instances: list[models.Model]) -> None:
    """Records loaded before history was kept get a first version now, so
    every later edit can be compared with, and reverted to, what the
    fixtures said."""
    if not instances:
        return
    recorded = set(model.history.filter(id__in=[i.pk for i in instances]).values_list("id", flat=True))
    missing = [i for i in instances if i.pk not in recorded]
    if not missing:
        return
    versions = model.history.bulk_history_create(missing, default_change_reason=HISTORY_REASON)
    # The many-to-many relations as they are now belong to the baseline too.
    for m2m_field in model.history.model._history_m2m_fields:
        m2m_history = HistoricalRecords.m2m_models[m2m_field]
        source, target = get_m2m_field_name(m2m_field), get_m2m_reverse_field_name(m2m_field)
        rows = m2m_field.remote_field.through._default_manager.filter(**{f"{source}__in": [i.pk for i in missing]})
        by_record: dict[int, list[tuple[int, int]]] = {}
        for row_id, source_id, target_id in rows.values_list("pk", f"{source}_id", f"{target}_id"):
            by_record.setdefault(source_id, []).append((row_id, target_id))
        m2m_history.objects.bulk_create(
            m2m_history(history=version, id=row_id, **{f"{source}_id": version.id, f"{target}_id": target_id})
            for version in versions
            for row_id, target_id in by_record.get(version.id, [])
        )


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def load_fixtures(directory: Path = FIXTURES_DIR, if_changed: bool = False) -> LoadResult:
    """Load every fixture file in one transaction. Raises FixtureError, with
    every problem found, and leaves the database untouched if any record is
    malformed."""
    paths = fixture_files(directory)
    if not paths:
        raise FixtureError(f"no fixture files in {directory}")
    digest = fixtures_digest(paths)
    latest = FixtureLoad.objects.first()
    if if_changed and latest is not None and latest.digest == digest:
        return LoadResult(skipped=True, digest=digest)
    records = read_records(paths)
    problems = value_problems(records)
    if problems:
        raise FixtureError("\n".join(problems))
    with transaction.atomic(), bulk_writes():
        result = _Loader().load(records)
        if result.errors:
            raise FixtureError("\n".join(result.errors))
        FixtureLoad.objects.create(digest=digest, records=result.total)
        # The search documents, rebuilt by search.signals.
        result.documents = sum(count for _, count in records_loaded.send(sender=load_fixtures) if count)
        bump_content_version()
    result.digest = digest
    return result


def sum_problems() -> list[str]:
    """Parts that do not add up to the total the report gives: every kind of
    record that declares adds_up_to (a Figure's slug) is summed by its count.
    These checks stay here and in the tests; the pages show the parts and the
    total as the report gives them."""
    problems = []
    for model in apps.get_models():
        slug = getattr(model, "adds_up_to", None)
        if not slug:
            continue
        total = Figure.objects.filter(slug=slug).first()
        parts = list(model.objects.values_list("count", flat=True))
        if not parts:
            continue
        if total is None:
            problems.append(f"{model._meta.label}: the total figure {slug!r} is missing")
        elif total.value != sum(parts):
            listing = " + ".join(str(n) for n in parts)
            problems.append(
                f"{model._meta.label}: {listing} = {sum(parts)}, but {slug} says {total.value.normalize():f}"
            )
    return problems


@dataclass
class ValidationResult:
    files: int = 0
    records: int = 0
    problems: list[str] = field(default_factory=list)
    unchecked_reports: list[str] = field(default_factory=list)


def validate_fixtures(directory: Path = FIXTURES_DIR) -> ValidationResult:
    """Every check a load makes (structure, values, full_clean, references
    by slug, each excerpt against its paragraph), without changing anything:
    the records are loaded in a transaction that is then rolled back."""
    paths = fixture_files(directory)
    result = ValidationResult(files=len(paths))
    if not paths:
        result.problems.append(f"no fixture files in {directory}")
        return result
    try:
        records = read_records(paths)
    except FixtureError as error:
        result.problems.extend(str(error).splitlines())
        return result
    result.records = len(records)
    result.problems.extend(value_problems(records))
    if result.problems:
        return result
    with transaction.atomic(), bulk_writes():
        loaded = _Loader().load(records)
        if not loaded.errors:
            result.problems.extend(sum_problems())
        transaction.set_rollback(True)
    result.problems.extend(loaded.errors)
    result.unchecked_reports = loaded.unchecked_reports
    return result
