"""Decoders built on first use, so importing the package does not generate the cattrs
hooks of every endpoint's models (most programs call a few endpoints; see
docs/performance.md, import time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from ._decode import ObjectDecoder, Page, PageDecoder
from ._transport import TransportResponse

__all__ = ["LazyDecoder", "object_decoder", "page_decoder"]

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


def object_decoder(cls: type[_T]) -> LazyDecoder[_T]:
    """An :class:`~._decode.ObjectDecoder` of ``cls``, built on first use."""
    return LazyDecoder(lambda: ObjectDecoder[_T](cls))


def page_decoder(list_tag: str, item_class: type[_T]) -> LazyDecoder[Page[_T]]:
    """A :class:`~._decode.PageDecoder` of ``item_class`` pages, built on first use."""
    return LazyDecoder(lambda: PageDecoder[_T](list_tag, item_class))
