"""Decompressing response bodies with bounded memory, and failing at once on a broken one.

The default transport reads bodies compressed (aiohttp's ``auto_decompress=False``) and
decodes them here, because it then knows when the compressed body has fully arrived: a
stream that ends early is reported straight away instead of waiting for bytes that will
never come. Output is produced at most ``limit`` bytes at a time, so a decompression
bomb costs no more memory than an honest body of the size limit.
"""

from __future__ import annotations

import zlib
from typing import Final

__all__ = ["SUPPORTED_ENCODINGS", "BodyDecoder", "DecompressionError"]

SUPPORTED_ENCODINGS: Final = frozenset({"gzip", "x-gzip", "deflate"})


class DecompressionError(ValueError):
    """The body does not decompress: corrupt, cut short, or in an unknown encoding."""


class BodyDecoder:
    """Decodes one body in a ``Content-Encoding`` of :data:`SUPPORTED_ENCODINGS`."""

    def __init__(self, encoding: str) -> None:
        if encoding not in SUPPORTED_ENCODINGS:
            raise DecompressionError(f"unsupported Content-Encoding {encoding!r}")
        self.encoding = encoding
        # deflate is zlib-wrapped by the standard, raw by many servers: sniffed on the
        # first byte, as browsers do.
        self._inflater: zlib._Decompress | None = (
            zlib.decompressobj(wbits=31) if encoding != "deflate" else None
        )

    def feed(self, chunk: bytes, limit: int) -> bytes:
        """Decompress ``chunk``, returning at most ``limit + 1`` bytes (more means "too big")."""
        if not chunk:
            return b""
        if self._inflater is None:
            wrapped = chunk[0] & 0x0F == 8  # RFC 1950 CM field: zlib
            self._inflater = zlib.decompressobj(wbits=15 if wrapped else -15)
        try:
            return self._inflater.decompress(chunk, limit + 1)
        except zlib.error as exc:
            raise DecompressionError(f"the {self.encoding} body is corrupt ({exc})") from None

    def finish(self) -> None:
        """Check that the compressed stream ended properly."""
        if self._inflater is None or not self._inflater.eof:
            raise DecompressionError(f"the {self.encoding} body ends before its stream does")
