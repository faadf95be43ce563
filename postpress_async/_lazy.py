"""Decoders of the lifecycle models, whose module is imported on first use (most programs
call a few endpoints; see docs/performance.md, import time). The decoders themselves look
their cattrs hooks up on the first answer; these wrappers also defer importing the model
class, for endpoints described in modules imported with the package."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._decode import ObjectDecoder, PageDecoder
from ._transport import TransportResponse

if TYPE_CHECKING:
    from ._page import Page

__all__ = [
    "LazyDecoder",
    "lifecycle_model",
    "object_decoder_of",
    "page_decoder_of",
]

_T = TypeVar("_T")


class LazyDecoder(Generic[_T]):
    """Calls ``factory()`` for the real decoder on the first response, then delegates."""

    __slots__ = ("_decoder", "_factory")

    def __init__(self, factory: Callable[[], Callable[[TransportResponse], _T]]) -> None:
        self._factory = factory
        self._decoder: Callable[[TransportResponse], _T] | None = None

    def __call__(self, raw: TransportResponse) -> _T:
        decoder = self._decoder
        if decoder is None:
            decoder = self._decoder = self._factory()
        return decoder(raw)


def lifecycle_model(name: str) -> Callable[[], Any]:
    """A function returning the lifecycle model class ``name``, imported (with its
    converter hooks) when the function is first called."""

    def load() -> Any:
        from . import _lifecycle_models

        return getattr(_lifecycle_models, name)

    return load


def object_decoder_of(model: Callable[[], type[_T]]) -> LazyDecoder[_T]:
    """An :class:`~._decode.ObjectDecoder` of the class ``model()`` returns, on first use."""
    return LazyDecoder(lambda: ObjectDecoder[_T](model()))


def page_decoder_of(list_tag: str, model: Callable[[], type[_T]]) -> LazyDecoder[Page[_T]]:
    """A :class:`~._decode.PageDecoder` of the class ``model()`` returns, on first use."""
    return LazyDecoder(lambda: PageDecoder[_T](list_tag, model()))
