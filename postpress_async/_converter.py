"""The package's one cattrs converter: request models to JSON bytes, JSON to responses.

Kept private so users' own cattrs set-ups never collide with ours. Every response model
is registered with the ``object`` tag the API gives it (:data:`OBJECT_TAGS`); unions of
them are structured with cattrs' tagged-union strategy on that tag. Request bodies leave
unset optional fields out (never ``null``).

The converter is built on first use (:func:`get_converter`): a program pays for cattrs
when it sends its first request, not when it imports the package.
"""

from __future__ import annotations

import enum
import threading
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ._enums import CheckpointType, JobState
from ._json import dumps
from ._models import (
    Checkpoint,
    DailyBudget,
    MonthlyBudget,
    Published,
    PublishRequest,
    PublishResult,
    SolveCheckpointRequest,
)

if TYPE_CHECKING:
    import cattrs

    converter: cattrs.Converter  # built on first use: see __getattr__

__all__ = [
    "OBJECT_TAGS",
    "converter",
    "dump_body",
    "fast_structure_hook",
    "get_converter",
    "lenient_enum",
    "object_tag",
    "register_request_body",
    "strict_str",
    "structure_hook",
]

# The ``object`` value the API tags each response model with.
OBJECT_TAGS: Final[dict[type, str]] = {
    Published: "LinkedinJobPostingPublished",
    Checkpoint: "LinkedinJobPostingPublishCheckpoint",
}

_E = TypeVar("_E", bound=enum.Enum)


def object_tag(cls: type) -> str:
    """The ``object`` tag of a response model."""
    return OBJECT_TAGS[cls]


def lenient_enum(enum_cls: type[_E]) -> Any:
    """A structure hook that keeps a value the enum does not know as the raw string:
    a job the API published must never surface as an exception because the API
    learned a new word."""
    by_value: dict[str, _E] = {member.value: member for member in enum_cls}

    def structure(value: object, _: object) -> _E | str:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {type(value).__name__}")
        return by_value.get(value, value)

    return structure


def strict_str(value: object, _: object) -> str:
    """cattrs' default str hook would turn 123 or None into "123"/"None"."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


# Built by the first request or response that needs it, not at import: cattrs and the
# code generation of the hooks are the largest part of importing the package
# (docs/performance.md, import time).
_converter: cattrs.Converter | None = None
_build_lock: Final = threading.Lock()


def get_converter() -> cattrs.Converter:
    """The package's converter, with the publish models' hooks (built on first call)."""
    global _converter
    if _converter is None:
        # Two threads' first requests (two clients on two loops) must not build two
        # converters: hooks registered on one would be missing from the other.
        with _build_lock:
            if _converter is None:
                _converter = _build_converter()
    return _converter


def __getattr__(name: str) -> Any:
    # ``from ._converter import converter`` (the lifecycle hooks) builds it.
    if name == "converter":
        return get_converter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _build_converter() -> cattrs.Converter:
    import cattrs
    from cattrs.fns import identity
    from cattrs.gen import make_dict_structure_fn, override
    from cattrs.strategies import configure_tagged_union

    converter = cattrs.Converter(detailed_validation=True)
    converter.register_structure_hook(str, strict_str)
    converter.register_structure_hook(JobState | str, lenient_enum(JobState))
    converter.register_structure_hook(CheckpointType | str, lenient_enum(CheckpointType))

    for cls in (Published, Checkpoint):
        converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter))
        # The answers of every publish (the hot path of bulk runs) are read without
        # detailed validation's bookkeeping; a payload that fails is read again with it,
        # to word the error (see _decode).
        _fast_structure_hooks[cls] = make_dict_structure_fn(
            cls, converter, _cattrs_detailed_validation=False
        )
    configure_tagged_union(PublishResult, converter, tag_name="object", tag_generator=object_tag)

    # Requests: the budget is {"daily": {...}} xor {"monthly": {...}}; unset fields are omitted.
    converter.register_unstructure_hook(
        DailyBudget, lambda b: {"daily": {"currency": b.currency, "amount": b.amount}}
    )
    converter.register_unstructure_hook(
        MonthlyBudget, lambda b: {"monthly": {"currency": b.currency, "amount": b.amount}}
    )
    _register_body(
        converter,
        PublishRequest,
        draft_id=override(omit=True),
        # str enums, bools and None are JSON as they are: an identity hook makes the
        # generated function read the attribute instead of calling a hook per field.
        service=override(unstruct_hook=identity),
        hiring_photo_frame=override(unstruct_hook=identity),
        bypass_email_verification=override(unstruct_hook=identity),
    )
    _register_body(converter, SolveCheckpointRequest, draft_id=override(omit=True))
    return converter


# Request classes and their body hooks; a user's subclass of a request class (they are
# not final) sends the documented fields of the class it extends, never extra attributes.
_body_hooks: Final[dict[type, Any]] = {}


def _register_body(converter: cattrs.Converter, cls: type, **overrides: Any) -> None:
    from cattrs.gen import make_dict_unstructure_fn

    hook: Any = make_dict_unstructure_fn(
        cls, converter, _cattrs_omit_if_default=True, **overrides
    )
    converter.register_unstructure_hook(cls, hook)
    _body_hooks[cls] = hook


def register_request_body(cls: type, **overrides: Any) -> None:
    """Make ``cls`` a request model whose body :func:`dump_body` can write.

    Unset optional fields (those equal to their default) are left out of the body.
    """
    _register_body(get_converter(), cls, **overrides)


def dump_body(request: object) -> bytes:
    """The JSON body of a request model, as bytes."""
    hook = _body_hooks.get(type(request))
    if hook is None:
        hook = _body_hook(type(request))
    return dumps(hook(request))


def _body_hook(cls: type) -> Any:
    get_converter()  # the first body: registers the publish requests' hooks
    documented = next((base for base in cls.__mro__ if base in _body_hooks), None)
    if documented is None:
        raise TypeError(f"{cls.__name__} is not a request model")
    hook = _body_hooks[cls] = _body_hooks[documented]
    return hook


# Looked up once per type: converter.structure() would repeat cattrs' dispatch on
# every call of the hot path.
_structure_hooks: Final[dict[Any, Any]] = {}
_fast_structure_hooks: Final[dict[Any, Any]] = {}


def structure_hook(result_type: Any) -> Any:
    """The structure hook of a response model (or tagged union of them)."""
    hook = _structure_hooks.get(result_type)
    if hook is None:
        hook = _structure_hooks[result_type] = get_converter().get_structure_hook(result_type)
    return hook


def fast_structure_hook(result_type: Any) -> Any:
    """The quickest structure hook of a response model: one without detailed validation
    where there is one. Its errors name no field: on a failure, structure the payload
    again with :func:`structure_hook` to word them."""
    get_converter()  # registers the fast hooks
    return _fast_structure_hooks.get(result_type) or structure_hook(result_type)
