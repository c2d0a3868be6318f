"""Imports run one way (STYLE.md, "Where things live"); this fails on the first that does not.

posts is at the bottom and imports no other app of ours; feeds and newsroom build on posts and
not on each other; cxhub's infrastructure (settings, the HTTP client, ...) imports no app, while
its wiring (URLs, admin site, roles, app config, commands that span the apps) may import them all
and no app imports the wiring. Within posts no two modules import each other, not even under
TYPE_CHECKING.

The source is read with `ast`, so every import counts wherever it stands: at the top, inside a
function, under `if TYPE_CHECKING:`, relative or absolute. Imports spelled as strings
(`import_module("…")`, `apps.get_model`, URL `include("posts.urls")`) are not imports here.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("posts", "feeds", "newsroom", "cxhub")

# cxhub modules that wire the apps together; the rest of cxhub is infrastructure.
CXHUB_WIRING = ("cxhub.urls", "cxhub.admin", "cxhub.roles", "cxhub.apps", "cxhub.management")

# The packages each part of the code must not import (a package covers its modules).
FORBIDDEN = {
    "posts": ("feeds", "newsroom", *CXHUB_WIRING),
    "feeds": ("newsroom", *CXHUB_WIRING),
    "newsroom": ("feeds", *CXHUB_WIRING),
    "cxhub infrastructure": ("posts", "feeds", "newsroom", *CXHUB_WIRING),
}

# Imports that break a rule on purpose, each with its reason. Migrations only, and only where
# they must run another part's code: a migration is frozen history, so it cannot go through a
# model or a signal the way the app's own code would.
ALLOWED = {
    # Creates the Editor group on a fresh database from the one permission table, which cxhub
    # keeps in step with the code (and applies again after every migrate); a copy in the
    # migration would drift from it.
    ("posts.migrations.0004_editor_group", "cxhub.roles"),
}


def part_of(module: str) -> str:
    if module.split(".")[0] != "cxhub":
        return module.split(".")[0]
    return "cxhub wiring" if within(module, CXHUB_WIRING) else "cxhub infrastructure"


def within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in packages)


def imported_names(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every dotted name `source` imports, made absolute: modules and names in them."""
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                if node.level > len(parts):
                    raise ValueError(f"{module}: relative import beyond the top-level package")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            # `from posts import models` imports the module posts.models.
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def read_sources(apps: tuple[str, ...] = APPS) -> dict[str, set[str]]:
    """Module name → the names it imports, for every Python file of the apps."""
    modules = {}
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            source = path.read_text(encoding="utf-8")
            modules[name] = imported_names(source, name, is_package=is_package)
    return modules


def violations(modules: dict[str, set[str]]) -> list[str]:
    found = []
    for module, names in sorted(modules.items()):
        forbidden = FORBIDDEN.get(part_of(module), ())
        wrong = {}
        for name in names:
            target = next((p for p in forbidden if within(name, (p,))), None)
            if target and (module, target) not in ALLOWED:
                wrong[name] = target
        # `from feeds import views` names both feeds and feeds.views: report the latter.
        for name in sorted(n for n in wrong if not any(o.startswith(f"{n}.") for o in wrong)):
            found.append(f"{module} imports {name} ({part_of(module)} must not use {wrong[name]})")
    return found


def module_graph(modules: dict[str, set[str]], package: str) -> dict[str, set[str]]:
    """Module → the modules of `package` it imports (a name inside a module means the module)."""
    own = {m for m in modules if within(m, (package,))}
    graph = {}
    for module in own:
        targets = set()
        for name in modules[module]:
            parts = name.split(".")
            prefixes = (".".join(parts[:n]) for n in range(len(parts), 0, -1))
            target = next((p for p in prefixes if p in own), None)
            if target is not None and target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def import_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return list(error.args[1])
    return None


# --- the project ------------------------------------------------------------------------------


def test_every_app_is_read():
    modules = read_sources()
    for module in ["posts.selection", "posts.models", "feeds.views", "newsroom.models"]:
        assert module in modules
    assert "posts.selection" in modules["posts.models"]


def test_imports_run_one_way_between_the_apps():
    assert violations(read_sources()) == []


def test_every_allowed_exception_is_still_needed():
    modules = read_sources()
    for module, target in ALLOWED:
        assert any(within(name, (target,)) for name in modules.get(module, ())), (module, target)


def test_the_modules_of_posts_import_no_circle():
    cycle = import_cycle(module_graph(read_sources(), "posts"))
    assert cycle is None, f"import circle: {' → '.join(cycle)}"


def test_the_selection_sits_below_the_models():
    graph = module_graph(read_sources(), "posts")
    assert "posts.selection" in graph["posts.models"]
    reached, todo = set(), ["posts.selection"]
    while todo:
        for target in graph[todo.pop()] - reached:
            reached.add(target)
            todo.append(target)
    assert "posts.models" not in reached


# --- the checker itself -----------------------------------------------------------------------

HIDDEN_IMPORTS = """
from __future__ import annotations
from typing import TYPE_CHECKING

from .models import Post

if TYPE_CHECKING:
    from newsroom.models import NewsItem

def credit(post):
    from feeds import syndication
    import newsroom.store as store
"""


def test_checker_finds_imports_in_functions_and_under_type_checking():
    modules = {"posts.credits": imported_names(HIDDEN_IMPORTS, "posts.credits")}
    assert violations(modules) == [
        "posts.credits imports feeds.syndication (posts must not use feeds)",
        "posts.credits imports newsroom.models.NewsItem (posts must not use newsroom)",
        "posts.credits imports newsroom.store (posts must not use newsroom)",
    ]


def test_checker_resolves_relative_imports():
    assert imported_names("from . import roles", "cxhub.safehttp") == {"cxhub", "cxhub.roles"}
    load_demo = "posts.management.commands.load_demo"
    assert imported_names("from ...models import Post", load_demo) == {
        "posts.models",
        "posts.models.Post",
    }
    assert "posts.models" in imported_names("from .models import Post", "posts", is_package=True)
    modules = {"cxhub.safehttp": imported_names("from .urls import urlpatterns", "cxhub.safehttp")}
    assert violations(modules) == [
        "cxhub.safehttp imports cxhub.urls.urlpatterns "
        "(cxhub infrastructure must not use cxhub.urls)",
    ]


def test_checker_lets_cxhub_wiring_import_the_apps_and_apps_import_infrastructure():
    modules = {
        "cxhub.urls": imported_names("import feeds.urls\nimport newsroom.admin", "cxhub.urls"),
        "newsroom.fetch": imported_names("from cxhub import safehttp", "newsroom.fetch"),
        "feeds.views": imported_names("from posts.filters import Listing", "feeds.views"),
    }
    assert violations(modules) == []


def test_checker_finds_a_circle_hidden_under_type_checking():
    modules = {
        "posts.a": imported_names("from posts import b", "posts.a"),
        "posts.b": imported_names(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import C", "posts.b"
        ),
        "posts.c": imported_names("def f():\n    from .a import A", "posts.c"),
        "posts.d": imported_names("from .a import A", "posts.d"),
    }
    cycle = import_cycle(module_graph(modules, "posts"))
    assert cycle is not None
    assert set(cycle) == {"posts.a", "posts.b", "posts.c"}


# Reverse relations the newsroom adds to posts.Post. Naming them in a lookup, select_related or
# template would make posts or feeds depend on the newsroom through the ORM, which no import
# shows; stories from other sites carry their credit on the post instead.
NEWSROOM_RELATIONS = ("news_item",)


def test_posts_and_feeds_reach_no_newsroom_model_through_the_orm():
    offenders = []
    files = [
        *(ROOT / "posts").rglob("*.py"),
        *(ROOT / "feeds").rglob("*.py"),
        *(ROOT / "templates" / "posts").rglob("*.html"),
        *(ROOT / "templates" / "feeds").rglob("*.html"),
    ]
    for path in files:
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        offenders += [
            f"{path.relative_to(ROOT)}: {name}" for name in NEWSROOM_RELATIONS if name in text
        ]
    assert offenders == []
