"""Fixtures for the sync facade tests: the test server (``sync_helpers``), child environments."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .sync_helpers import ServerThread


@pytest.fixture(scope="session")
def _server_thread() -> Iterator[ServerThread]:
    server = ServerThread()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(_server_thread: ServerThread) -> ServerThread:
    """The shared test server, its records cleared for this test."""
    _server_thread.reset()
    return _server_thread


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    """An environment for child Pythons: no inherited postpress settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTPRESS_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env

