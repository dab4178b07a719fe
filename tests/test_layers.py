"""The app's imports run one way: leaf modules → models → services → adapters, with no cycle.

Read from the source with `ast`, so a cycle that Python happens to tolerate still fails here.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "articles"

LEAF = {
    "articles.addresses",
    "articles.fields",
    "articles.photos.access",
    "articles.formats",
    "articles.photos.credentials",
    "articles.photos.signing_keys",
    "articles.photos.storage",
    "articles.queue",
    "articles.sanitize",
    "articles.slugs",
    "articles.states",
    "articles.visibility",
}
MODELS = {
    "articles.desk.models",
    "articles.fronts.models",
    "articles.images",
    "articles.live.models",
    "articles.models",
    "articles.photos.models",
    "articles.querysets",
    "articles.wire.models",
}
SERVICES = {
    "articles.desk.autosave",
    "articles.desk.presence",
    "articles.desk.revisions",
    "articles.desk.workflow",
    "articles.fronts.services",
    "articles.live.services",
    "articles.photos.changes",
    "articles.photos.metadata",
    "articles.photos.renditions",
    "articles.photos.uploads",
    "articles.public.cache",
    "articles.public.search",
    "articles.public.seo",
    "articles.tasks",
    "articles.wire.feeds",
    "articles.wire.fetch",
    "articles.wire.files",
    "articles.wire.newsmlg2",
    "articles.wire.ninjs",
    "articles.wire.parsed",
    "articles.wire.pictures",
    "articles.wire.store",
}
LAYERS = [LEAF, MODELS, SERVICES]  # everything else is an adapter: admin, views, forms, API


def layer_of(module):
    for rank, layer in enumerate(LAYERS):
        if module in layer:
            return rank
    return len(LAYERS)


def module_name(path):
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules():
    return {
        module_name(path): path
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    }


MODULES = app_modules()


def resolve(module, node):
    """The app's modules an import statement in `module` names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in MODULES]
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base = package
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        base = f"{base}.{node.module}" if node.module else base
    else:
        base = node.module or ""
    found = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        if candidate in MODULES:
            found.append(candidate)
        elif base in MODULES:
            found.append(base)
    return found


def imports(module):
    tree = ast.parse(MODULES[module].read_text())
    return {
        (target, node.col_offset > 0)
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for target in resolve(module, node)
    }


GRAPH = {module: imports(module) for module in MODULES}


def test_the_layer_lists_name_real_modules():
    assert (LEAF | MODELS | SERVICES) <= set(MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_own_layer_or_lower(module):
    higher = [target for target, _ in GRAPH[module] if layer_of(target) > layer_of(module)]
    assert higher == [], f"{module} imports from a higher layer: {higher}"


def test_no_import_hides_inside_a_function():
    # AppConfig.ready() is Django's one place for imports that connect receivers.
    nested = sorted(
        f"{module} → {target}"
        for module, targets in GRAPH.items()
        for target, indented in targets
        if indented and module != "articles.apps"
    )
    assert nested == []


def test_there_is_no_import_cycle():
    edges = {module: {target for target, _ in targets} for module, targets in GRAPH.items()}
    done, path, cycles = set(), [], []

    def visit(module):
        if module in path:
            cycles.append(path[path.index(module) :] + [module])
            return
        if module in done:
            return
        path.append(module)
        for target in sorted(edges[module]):
            visit(target)
        path.pop()
        done.add(module)

    for module in sorted(edges):
        visit(module)
    assert cycles == []
