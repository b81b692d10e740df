"""The house's floors, read from the code's imports (README, "How the code is
laid out"): each package imports only from the floors below it, the two
record apps' models never import each other, nothing imports the
benchmarks or the tests, and no modules import each other in a circle.
Imports inside functions count: they hide a dependency, they do not remove
it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A package may import from its own floor's packages only
# where ALLOWED_SIDEWAYS says so.
FLOORS = {
    "portal": 0,  # the shared records, admin site, caching, analyzer, downloads machinery
    "search": 1,  # the index and queries over the records
    "craftsmen": 2,
    "exhibits": 3,  # exhibits name their makers and tiers, from craftsmen
    "api": 4,
    "shell": 5,  # settings, the URL map, serving, cross-app pages
    "publish": 6,  # the public site rendered as files (make static)
}
OUTSIDE_THE_PRODUCT = {"bench", "tests"}
MODELS_APART = {"craftsmen/models.py": "exhibits", "exhibits/models.py": "craftsmen"}


def product_modules() -> dict[str, Path]:
    """Dotted module name → file, for every package on a floor (migrations
    included: a migration that imports live code rewrites history)."""
    modules = {}
    for package in FLOORS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_names(path: Path, module: str) -> set[str]:
    """Every module this file imports, anywhere in it, as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module
            names.add(target)
            # `from portal import search` imports the module portal.search.
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def first_party_imports() -> dict[str, set[str]]:
    modules = product_modules()
    graph = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_names(path, module):
            top = name.partition(".")[0]
            if top in FLOORS or top in OUTSIDE_THE_PRODUCT:
                # Reduce to the longest known module (a name may be a class).
                while name not in modules and "." in name:
                    name = name.rpartition(".")[0]
                targets.add(name)
        targets.discard(module)
        graph[module] = targets
    return graph


GRAPH = first_party_imports()


def test_the_floors_are_read_from_real_files():
    # Guards the test itself: a wrong root or pattern would find nothing
    # and pass everything.
    assert {"portal.models", "shell.settings", "api.views", "craftsmen.models", "exhibits.models"} <= set(GRAPH)
    assert "portal.models" in GRAPH["exhibits.models"]


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_a_package_imports_only_from_the_floors_below_it(package):
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.partition(".")[0] == package
        for target in targets
        if target.partition(".")[0] in FLOORS
        and target.partition(".")[0] != package
        and FLOORS[target.partition(".")[0]] >= FLOORS[package]
    )
    assert upward == []


def test_nothing_in_the_product_imports_the_benchmarks_or_the_tests():
    found = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if target.partition(".")[0] in OUTSIDE_THE_PRODUCT
    )
    assert found == []


@pytest.mark.parametrize("models_file", sorted(MODELS_APART))
def test_the_craftsmen_and_exhibits_models_do_not_import_each_other(models_file):
    module = models_file.removesuffix(".py").replace("/", ".")
    other = MODELS_APART[models_file]
    assert sorted(t for t in GRAPH[module] if t.partition(".")[0] == other) == []


def test_no_modules_import_each_other_in_a_circle():
    # Tarjan's strongly connected components over the module graph.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in GRAPH.get(module, ()):
            if target not in GRAPH:
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert circles == []
