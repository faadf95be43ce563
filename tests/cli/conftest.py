"""Fixtures for the CLI tests: a sandbox in this process, the CLI in subprocesses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postpress_async.sandbox import SandboxThread


@pytest.fixture
def sandbox(postpress_sandbox_factory: Callable[..., SandboxThread]) -> SandboxThread:
    """A sandbox accepting any draft and account, without faults."""
    return postpress_sandbox_factory()
