"""``SearchParameter``: one candidate id for a free text (``GET /linkedin/search/parameters``)."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["SearchParameter"]


@attrs.frozen
class SearchParameter:
    """One candidate LinkedIn id: ``id`` (a string, digits for most types; never a number)
    and its human-readable ``title``. Pass it as it is to ``jobs.create(location=...)``
    and the other fields that take an id."""

    id: str
    title: str
    picture_url: str | None = None
    additional_data: dict[str, Any] | None = None
