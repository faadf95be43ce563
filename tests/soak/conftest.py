"""The soak runs only when asked: ``pytest tests/soak -m soak`` (``nox -s soak``) or with
``POSTPRESS_SOAK=1``; the default test command deselects it."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    asked = "soak" in (config.option.markexpr or "") or os.environ.get("POSTPRESS_SOAK") == "1"
    if asked:
        return
    soak = [item for item in items if item.get_closest_marker("soak") is not None]
    if soak:
        config.hook.pytest_deselected(items=soak)
        items[:] = [item for item in items if item.get_closest_marker("soak") is None]
