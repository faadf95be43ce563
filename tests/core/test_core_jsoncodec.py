"""The hot path's JSON codec gives exactly the standard library's results and errors."""

from __future__ import annotations

import json
import json.encoder
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postpress_async import _jsoncodec
from postpress_async._jsoncodec import make_encoder, parse

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _outcome(function: Callable[[bytes], Any], data: bytes) -> tuple[str, Any]:
    try:
        return "value", function(data)
    except Exception as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize(
    "data",
    [
        b'{"object":"LinkedinJobPostingPublished","job_id":"1","job_state":"active"}',
        b'  {"a": 1}\r\n',  # whitespace around the document
        b'{"a": 1}\n',  # a trailing newline, as many servers send
        b'{"a": 1}\x0c',  # str.isspace() but not JSON whitespace
        b'{"a": 1}\xc2\xa0',  # a no-break space after the value
        b'\xef\xbb\xbf{"a": 1}',  # a UTF-8 byte order mark
        '{"a": "\u00e9"}'.encode("utf-16"),  # UTF-16, which json.loads detects
        '{"a": "\u00e9"}'.encode("utf-32-le"),
        b'{"a": 1} x',  # trailing garbage
        b'{"a": 1}{"b": 2}',
        b"",
        b"   ",
        b"nul",
        b'"\xed\xa0\x80"',  # a UTF-8-encoded surrogate: json.loads accepts it
        b'{"a": "\xff"}',  # not UTF-8 at all
        b'{"a": NaN, "b": -Infinity}',
        b"12345678901234567890123456789",
        b"[" * 100_000 + b"]" * 100_000,  # too deep: the same RecursionError
    ],
    ids=lambda data: repr(data[:24]),
)
def test_parse_matches_json_loads_on_awkward_bodies(data: bytes) -> None:
    expected = _outcome(json.loads, data)
    got = _outcome(parse, data)
    if expected[0] == "value" and isinstance(expected[1], dict) and "a" in expected[1]:
        value = expected[1]["a"]
        if isinstance(value, float) and math.isnan(value):  # NaN != NaN
            assert math.isnan(got[1]["a"])
            return
    assert got == expected


@given(JSON_VALUES, st.sampled_from(["", " ", "\n\t"]))
def test_parse_matches_json_loads_on_any_json_document(value: Any, padding: str) -> None:
    data = (padding + json.dumps(value) + padding).encode()
    assert parse(data) == json.loads(data)


@given(JSON_VALUES, st.booleans())
def test_the_encoder_writes_what_json_encoder_writes(value: Any, ensure_ascii: bool) -> None:
    reference = json.JSONEncoder(separators=(",", ":"), ensure_ascii=ensure_ascii)
    assert make_encoder(ensure_ascii=ensure_ascii)(value) == reference.encode(value)


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_the_encoder_refuses_what_json_refuses_with_its_message(ensure_ascii: bool) -> None:
    encode = make_encoder(ensure_ascii=ensure_ascii)
    with pytest.raises(TypeError, match="Object of type object is not JSON serializable"):
        encode({"a": object()})


def test_the_encoder_writes_str_enums_and_non_finite_floats_as_json_does() -> None:
    from postpress_async import Mode

    value = {"mode": Mode.FREE, "x": float("inf")}
    assert make_encoder(ensure_ascii=True)(value) == '{"mode":"FREE","x":Infinity}'


def test_without_the_c_accelerator_the_public_encoder_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    encode = make_encoder(ensure_ascii=True)
    assert encode.__qualname__ == "JSONEncoder.encode"
    assert encode({"a": "\u00e9"}) == '{"a":"\\u00e9"}'


def test_a_changed_private_encoder_signature_falls_back_to_the_public_encoder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def changed(*args: object) -> object:
        raise TypeError("make_encoder() takes 10 arguments")

    monkeypatch.setattr(json.encoder, "c_make_encoder", changed)
    encode = make_encoder(ensure_ascii=False)
    monkeypatch.undo()  # JSONEncoder itself calls c_make_encoder
    assert encode.__qualname__ == "JSONEncoder.encode"
    assert encode({"a": [1, None]}) == '{"a":[1,null]}'


def test_an_encoder_that_writes_differently_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    real = vars(json.encoder)["c_make_encoder"]

    def different(*args: Any) -> Callable[[object, int], list[str]]:
        if args[0] is not None:  # JSONEncoder's own call (it passes its markers dict)
            return real(*args)  # type: ignore[no-any-return]
        return lambda value, indent: ["{}"]

    monkeypatch.setattr(json.encoder, "c_make_encoder", different)
    assert make_encoder(ensure_ascii=True).__qualname__ == "JSONEncoder.encode"


def test_the_fast_paths_are_in_use_on_this_interpreter() -> None:
    # CPython ships the C accelerator; without it the speed-up silently disappears.
    assert make_encoder(ensure_ascii=True).__qualname__ == "make_encoder.<locals>.encode"
    assert type(_jsoncodec._scan_once).__module__ == "_json"


@pytest.mark.parametrize("data", [b'{"a":1}', b'{"a":1}\n', b'{"a":1} \r\n\t'])
def test_a_plain_body_is_parsed_once(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    def second_parse(*args: object) -> object:
        raise AssertionError("json.loads ran: the body was parsed twice")

    monkeypatch.setattr(_jsoncodec.json, "loads", second_parse)
    assert parse(data) == {"a": 1}
