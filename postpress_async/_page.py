"""``Page``: one page of a list, as :class:`~._decode.PageDecoder` decodes it.

Its own module so that it loads with the first list endpoint, not with the package: each
attrs class costs import time (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

import attrs

__all__ = ["Page"]

_T = TypeVar("_T")


@attrs.frozen
class Page(Generic[_T]):
    """One page of a list: its items, the cursor of the next page (``None`` on the last),
    and the total count when the API gives one."""

    items: Sequence[_T]
    cursor: str | None
    total_count: int | None = None
