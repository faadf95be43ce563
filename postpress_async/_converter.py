"""The package's one cattrs converter: request models to JSON bytes, JSON to responses.

Kept private so users' own cattrs set-ups never collide with ours.
"""

from __future__ import annotations

from typing import Any, Final, TypeVar

import cattrs
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from ._enums import CheckpointType, JobState
from ._jsoncodec import make_encoder
from ._models import (
    Checkpoint,
    DailyBudget,
    MonthlyBudget,
    Published,
    PublishRequest,
    PublishResult,
    SolveCheckpointRequest,
)

__all__ = ["RESULT_TAGS", "converter", "dump_body", "structure_result"]

converter: Final = cattrs.Converter(detailed_validation=True)

# The API tags its two 200 payloads with ``object``.
RESULT_TAGS: Final[dict[type, str]] = {
    Published: "LinkedinJobPostingPublished",
    Checkpoint: "LinkedinJobPostingPublishCheckpoint",
}

_E = TypeVar("_E", JobState, CheckpointType)


def _lenient_enum(enum_cls: type[_E]) -> Any:
    by_value = {member.value: member for member in enum_cls}

    def structure(value: object, _: object) -> _E | str:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {type(value).__name__}")
        return by_value.get(value, value)

    return structure


converter.register_structure_hook(JobState | str, _lenient_enum(JobState))
converter.register_structure_hook(CheckpointType | str, _lenient_enum(CheckpointType))


def _strict_str(value: object, _: object) -> str:
    # cattrs' default str hook would turn 123 or None into "123"/"None".
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


converter.register_structure_hook(str, _strict_str)
for _cls in (Published, Checkpoint):
    converter.register_structure_hook(_cls, make_dict_structure_fn(_cls, converter))
configure_tagged_union(
    PublishResult,
    converter,
    tag_name="object",
    tag_generator=RESULT_TAGS.__getitem__,
)

# Requests: the budget is {"daily": {...}} xor {"monthly": {...}}; unset fields are omitted.
converter.register_unstructure_hook(
    DailyBudget, lambda b: {"daily": {"currency": b.currency, "amount": b.amount}}
)
converter.register_unstructure_hook(
    MonthlyBudget, lambda b: {"monthly": {"currency": b.currency, "amount": b.amount}}
)
converter.register_unstructure_hook(
    PublishRequest,
    make_dict_unstructure_fn(
        PublishRequest,
        converter,
        _cattrs_omit_if_default=True,
        draft_id=override(omit=True),
        # str enums, bools and None are JSON as they are: an identity hook makes the
        # generated function read the attribute instead of calling a hook per field.
        service=override(unstruct_hook=identity),
        hiring_photo_frame=override(unstruct_hook=identity),
        bypass_email_verification=override(unstruct_hook=identity),
    ),
)
converter.register_unstructure_hook(
    SolveCheckpointRequest,
    make_dict_unstructure_fn(SolveCheckpointRequest, converter, draft_id=override(omit=True)),
)

_dumps: Final = make_encoder(ensure_ascii=True)


# Hooks looked up once (the converter is fully configured above): converter.unstructure()
# and converter.structure() would repeat the dispatch on every call of the hot path.
_unstructure_hooks: Final[dict[type, Any]] = {
    cls: converter.get_unstructure_hook(cls) for cls in (PublishRequest, SolveCheckpointRequest)
}


def dump_body(request: PublishRequest | SolveCheckpointRequest) -> bytes:
    """The JSON body of a request, as bytes."""
    hook = _unstructure_hooks.get(type(request))
    if hook is None:
        # A user's subclass (the classes are not final): send the documented fields only.
        base = PublishRequest if isinstance(request, PublishRequest) else SolveCheckpointRequest
        hook = _unstructure_hooks[base]
    return _dumps(hook(request)).encode()


_structure_union: Final = converter.get_structure_hook(PublishResult)


def structure_result(payload: dict[str, Any]) -> PublishResult:
    """A 200 payload (tag already checked) as a response model; raises cattrs errors."""
    result: PublishResult = _structure_union(payload, PublishResult)
    return result
