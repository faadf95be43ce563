"""pytest fixtures for testing code that uses postpress, against the embedded sandbox.

Installed as a ``pytest11`` entry point, so it loads in every pytest run of anyone who
installs the package. That is why it imports little at module level: the sandbox and
the client are imported inside the fixtures, and pytest-asyncio only if it is installed
(without it, ``postpress_client`` is simply not defined), so a broken or missing optional
piece can only fail a test that asks for it, never the whole run.

Fixtures:

- ``postpress_sandbox``: a running :class:`~postpress_async.sandbox.SandboxThread` with the
  defaults (any draft and account accepted, no faults); works in sync and async tests.
- ``postpress_sandbox_factory``: call it with ``Sandbox`` keyword arguments for more
  sandboxes (faults, drafts, accounts...); all are stopped at teardown.
- ``postpress_client``: an ``AsyncPostpress`` wired to ``postpress_sandbox``, with retry
  waits switched off (needs pytest-asyncio).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from postpress_async import AsyncPostpress
    from postpress_async.sandbox import SandboxThread

__all__ = ["postpress_client", "postpress_sandbox", "postpress_sandbox_factory"]


@pytest.fixture
def postpress_sandbox_factory() -> Iterator[Callable[..., SandboxThread]]:
    """A factory of running sandboxes: ``postpress_sandbox_factory(faults=..., seed=...)``."""
    from postpress_async.sandbox import SandboxThread

    started: list[SandboxThread] = []

    def factory(**kwargs: Any) -> SandboxThread:
        sandbox = SandboxThread(**kwargs)
        sandbox.start()
        started.append(sandbox)
        return sandbox

    try:
        yield factory
    finally:
        for sandbox in reversed(started):
            sandbox.stop()


@pytest.fixture
def postpress_sandbox(
    postpress_sandbox_factory: Callable[..., SandboxThread],
) -> SandboxThread:
    """A running sandbox with the defaults; ``.base_url``, ``.api_key``, ``.ledger``."""
    return postpress_sandbox_factory()


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the async fixture simply does not exist then
    pass
else:

    @pytest_asyncio.fixture
    async def postpress_client(
        postpress_sandbox: SandboxThread,
    ) -> AsyncIterator[AsyncPostpress]:
        """An ``AsyncPostpress`` client talking to ``postpress_sandbox``, retrying without
        waiting."""
        from postpress_async import AsyncPostpress
        from postpress_async.testing import no_retry_waits

        with no_retry_waits():
            async with AsyncPostpress(
                api_key=postpress_sandbox.api_key, base_url=postpress_sandbox.base_url
            ) as client:
                yield client
