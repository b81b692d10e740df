"""Each kind of record is declared once, by the app that owns its model
(README, "How the code is laid out"): its search kind, its datasets, its API
resource and its sitemap section all come from that app's `facets` module
(portal's own kinds from shell/facets.py), and nothing else declares any.
The registries keep the orders the site had before they were filled this
way: the API's resources, the /data/ download's tables, the sitemap's
sections."""

import ast

from portal import datasets, resources, sitemap_sections
from search import kinds
from shell.sitemaps import SITEMAPS
from tests.test_import_structure import product_modules

# The app that owns a model → the one module that declares its kinds.
FACETS = {"exhibits": "exhibits.facets", "craftsmen": "craftsmen.facets", "portal": "shell.facets"}
REGISTRIES = {"search.kinds", "portal.datasets", "portal.resources", "portal.sitemap_sections"}


def registry_calls(path) -> set[str]:
    """The registries whose `declare` this file calls, however it imported
    them (`from search.kinds import declare`, `from portal import datasets`,
    `import portal.datasets`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    functions: dict[str, str] = {}  # local name → registry, for declare itself
    registries: dict[str, str] = {}  # local dotted name → registry module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if node.module in REGISTRIES and alias.name == "declare":
                    functions[alias.asname or alias.name] = node.module
                if f"{node.module}.{alias.name}" in REGISTRIES:
                    registries[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in REGISTRIES:
                    registries[alias.asname or alias.name] = alias.name
    called = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in functions:
            called.add(functions[node.func.id])
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "declare"
            and ast.unparse(node.func.value) in registries
        ):
            called.add(registries[ast.unparse(node.func.value)])
    return called


def test_only_the_facets_modules_declare_kinds_datasets_resources_or_sitemap_sections():
    declaring = {}
    for module, path in product_modules().items():
        if called := registry_calls(path):
            declaring[module] = called
    assert sorted(declaring) == sorted(FACETS.values())
    # Each declares every facet of its kinds (all of them have each).
    assert all(called == REGISTRIES for called in declaring.values()), declaring


def declarations() -> list[tuple[str, type, str]]:
    """(what, model, declaring module) of everything in the registries."""
    found = [
        (f"search kind {kind.key!r}", source.model, kinds.declared_by(kind))
        for kind in kinds.KINDS
        for source in kind.sources
    ]
    found += [
        (f"dataset {dataset.key!r}", dataset.queryset().model, datasets.declared_by(dataset))
        for dataset in datasets.all_datasets()
    ]
    found += [
        (f"API resource {resource.segment!r}", resource.model, resources.declared_by(resource))
        for resource in resources.all_resources()
    ]
    found += [
        (f"sitemap section {model._meta.model_name!r}", model, sitemap_sections.declared_by(model))
        for model in sitemap_sections.record_page_models()
    ]
    return found


def test_every_facet_belongs_to_a_model_of_an_app_and_is_declared_by_that_apps_facets_module():
    found = declarations()
    assert {what.split(" '")[0] for what, _, _ in found} == {
        "search kind",
        "dataset",
        "API resource",
        "sitemap section",
    }
    wrong = [
        f"{what}: {model.__name__} ({model._meta.app_label}) declared by {module}"
        for what, model, module in found
        if FACETS.get(model._meta.app_label) != module
    ]
    assert wrong == []


def test_every_kind_with_pages_in_the_sitemap_has_an_api_resource():
    served = {resource.model for resource in resources.all_resources()}
    assert [m.__name__ for m in sitemap_sections.record_page_models() if m not in served] == []


def test_the_api_resources_keep_their_order():
    assert [resource.segment for resource in resources.all_resources()] == [
        "exhibits",
        "people",
        "tiers",
        "tier-counts",
        "pilot-batches",
        "academies",
        "events",
        "organisations",
        "figures",
        "programmes",
        "places",
        "reports",
    ]


def test_the_datasets_keep_their_order_in_the_download():
    assert [dataset.key for dataset in datasets.all_datasets()] == [
        "exhibits",
        "people",
        "tiers",
        "tier_counts",
        "pilot_categories",
        "academies",
        "academy_types",
        "events",
        "programmes",
        "organisations",
        "places",
        "figures",
        "reports",
    ]


def test_the_sitemap_keeps_its_sections_in_their_order():
    assert list(SITEMAPS) == ["pages", "sources", "exhibit", "person", "academy", "event", "organisation"]


def test_the_full_downloads_are_the_tables_whose_list_pages_export_them():
    from shell.downloads import full_downloads

    names = {name for name, _ in full_downloads("https://example.org")}
    listed = {"exhibits", "people", "pilot_categories", "academies", "events", "organisations"}
    assert names == {f"{key}.{fmt}" for key in listed for fmt in ("csv", "xlsx")} | {"data.zip"}
