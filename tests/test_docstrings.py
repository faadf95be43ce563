"""Every public name says what it is for, and the API reference shows every one of them.

Public means: each name in ``postpress_async.__all__``, ``postpress_async.testing.__all__`` and
``postpress_async.sandbox.__all__``, and the public methods and properties of those classes.
The reference pages (docs/reference/*.md) render them from these docstrings; a name that is
on no page is missing from the site.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import postpress_async
import postpress_async.sandbox
import postpress_async.testing

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference"
MODULES = [postpress_async, postpress_async.testing, postpress_async.sandbox]
# Not an API: the version string is documented by its name.
UNDOCUMENTED_BY_DESIGN = {"postpress_async.__version__"}

PUBLIC = [
    (module, name)
    for module in MODULES
    for name in module.__all__
    if f"{module.__name__}.{name}" not in UNDOCUMENTED_BY_DESIGN
]


def _qualified(module: ModuleType, name: str) -> str:
    return f"{module.__name__}.{name}"


def _own_docstring(value: object) -> str | None:
    """The docstring written for ``value`` itself, not one inherited from a base class."""
    if inspect.isclass(value):
        doc = vars(value).get("__doc__")
        inherited = {vars(base).get("__doc__") for base in value.__mro__[1:]}
        return doc if doc not in inherited else None
    return getattr(value, "__doc__", None)


def _is_documentable(value: object) -> bool:
    return inspect.isclass(value) or inspect.isfunction(value) or inspect.ismethod(value)


def _public_members(cls: type) -> Iterator[tuple[str, object]]:
    """Methods and properties the package defines on ``cls`` (not attrs', enum's or object's)."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("postpress_async"):
            continue
        for name, member in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if inspect.isfunction(member) or isinstance(member, property):
                yield f"{klass.__name__}.{name}", member


DOCUMENTABLE = [(m, n) for m, n in PUBLIC if _is_documentable(getattr(m, n))]


@pytest.mark.parametrize(
    ("module", "name"), DOCUMENTABLE, ids=[_qualified(m, n) for m, n in DOCUMENTABLE]
)
def test_public_class_or_function_has_its_own_docstring(module: ModuleType, name: str) -> None:
    doc = _own_docstring(getattr(module, name))
    assert doc is not None, f"{_qualified(module, name)} has no docstring"
    assert len(doc.strip()) >= 10, f"{_qualified(module, name)}: {doc!r} says too little"


@pytest.mark.parametrize(
    ("module", "name"),
    [(m, n) for m, n in DOCUMENTABLE if inspect.isclass(getattr(m, n))],
    ids=[_qualified(m, n) for m, n in DOCUMENTABLE if inspect.isclass(getattr(m, n))],
)
def test_public_methods_and_properties_have_docstrings(module: ModuleType, name: str) -> None:
    cls = getattr(module, name)
    missing = [member for member, value in _public_members(cls) if not value.__doc__]
    assert missing == [], f"no docstring on {missing}"


def _reference_text() -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in REFERENCE.glob("*.md"))


def _rendered_objects(text: str) -> set[str]:
    return set(re.findall(r"^::: ([\w.]+)\s*$", text, re.MULTILINE))


@pytest.mark.parametrize(("module", "name"), PUBLIC, ids=[_qualified(m, n) for m, n in PUBLIC])
def test_public_name_is_in_the_api_reference(module: ModuleType, name: str) -> None:
    text = _reference_text()
    rendered = _rendered_objects(text)
    qualified = _qualified(module, name)
    if not _is_documentable(getattr(module, name)):
        # A constant has no docstring of its own: a reference page describes it in prose.
        assert f"`{name}`" in text, f"the constant {qualified} is described on no reference page"
        return
    whole_module = module is not postpress_async and module.__name__ in rendered
    assert qualified in rendered or whole_module, (
        f"{qualified} is on no page of docs/reference/: add a line `::: {qualified}` "
        "to the page of its topic"
    )


def test_reference_pages_render_only_names_that_exist() -> None:
    for target in _rendered_objects(_reference_text()):
        module_name, _, attribute = target.rpartition(".")
        module = next((m for m in MODULES if m.__name__ == target), None)
        if module is None:
            parent = next(m for m in MODULES if m.__name__ == module_name)
            assert attribute in parent.__all__, f"{target} is rendered but not public"
