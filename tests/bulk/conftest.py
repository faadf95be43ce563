"""Fixtures for the bulk-publishing tests (clients: the shared ``make_client`` with a
sandbox as its target)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from postpress_async.testing import no_retry_waits


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    # Retries still happen, immediately; the one test about pausing turns waits back on.
    with no_retry_waits():
        yield
