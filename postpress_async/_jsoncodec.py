"""JSON encoding and decoding for the hot path, with the standard library's results.

``json.JSONEncoder.encode`` builds a new C encoder on every call, and
``json.loads(bytes)`` sniffs the encoding, decodes, and runs two regular
expressions around the parse. For the SDK's small bodies that set-up costs as
much as the work itself (about 1 us of 2 for each), once per request. Here the C
encoder and scanner are built once. Whatever the fast path does not handle the
way ``json.loads`` would (a BOM, UTF-16, whitespace around the document, invalid
input) goes through ``json.loads`` itself, so results and errors are the
standard library's; an interpreter without the C accelerator gets the plain
functions. (Two differences that cannot arise here: the encoder does not look for
cycles, as the SDK only encodes trees it built; the parser is two stack frames
shallower than ``json.loads``, so it reaches the recursion limit two levels deeper.)
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from typing import Any, Final

__all__ = ["make_encoder", "parse"]

_PROBE: Final[dict[str, Any]] = {
    "a": "caf\u00e9 \u2603 \"q\" \\ \n",
    "b": [1, 2.5, -0.0, True, False, None],
    "c": {"d": 1e300, "e": float("nan")},
}


def make_encoder(*, ensure_ascii: bool) -> Callable[[Any], str]:
    """``json.JSONEncoder(separators=(",", ":"), ensure_ascii=...).encode``.

    Without the circular-reference check: the values encoded here are trees
    built by the SDK, never cyclic.
    """
    reference = json.JSONEncoder(separators=(",", ":"), ensure_ascii=ensure_ascii)
    # Private to the json package (typeshed does not declare it); absent on PyPy.
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:
        return reference.encode
    encoder = json.encoder
    escape = encoder.encode_basestring_ascii if ensure_ascii else encoder.encode_basestring
    try:
        chunks = c_make_encoder(
            # markers, default, string escaper, indent, separators, sort_keys,
            # skipkeys, allow_nan: what JSONEncoder.iterencode passes.
            None, reference.default, escape, None, ":", ",", False, False, True
        )
        fast_matches = "".join(chunks(_PROBE, 0)) == reference.encode(_PROBE)
    except Exception:  # a changed private signature: use the public API
        return reference.encode
    if not fast_matches:
        return reference.encode

    def encode(value: Any) -> str:
        return "".join(chunks(value, 0))

    return encode


# What json.loads skips around a document (str.isspace() would allow more).
_JSON_WHITESPACE: Final = " \t\n\r"
# What json.loads runs after its set-up (the C scanner when there is one).
_scan_once: Final[Callable[[str, int], tuple[Any, int]]] = (
    json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__, not in typeshed
)


def parse(data: bytes) -> Any:
    """``json.loads(data)``, with its results and its exceptions."""
    try:
        text = data.decode()
        value, end = _scan_once(text, 0)
    except (ValueError, StopIteration):
        # Not UTF-8, not a JSON value at offset 0 (a BOM, whitespace): json.loads
        # decides, and raises its own error if the body is not JSON at all.
        return json.loads(data)
    if end != len(text) and text[end:].strip(_JSON_WHITESPACE):
        return json.loads(data)  # not JSON after the value: json.loads raises its error
    return value
