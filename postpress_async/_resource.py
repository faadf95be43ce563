"""What every resource (``client.jobs``, ...) shares: its client, and ``with_raw_response``."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ._observe import capture_raw_response

if TYPE_CHECKING:
    from ._api_response import APIResponse
    from ._client import AsyncPostpress

_T = TypeVar("_T")

__all__ = ["AsyncResource", "RawResponseView", "SyncRawResponseView", "SyncResource"]


class AsyncResource:
    """A group of endpoints of one client."""

    def __init__(self, client: AsyncPostpress) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> RawResponseView:
        """The same methods, returning an :class:`APIResponse` (status, headers, request id,
        timing, retries) whose ``parse()`` gives the usual result. Errors are raised
        exactly as without it::

            response = await client.jobs.with_raw_response.publish(draft_id, ...)
            response.request_id, response.parse()
        """
        return RawResponseView(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class RawResponseView:
    """``resource.with_raw_response``: each coroutine method of the resource, returning
    the :class:`APIResponse` of its (final) HTTP response."""

    def __init__(self, resource: AsyncResource) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Callable[..., Awaitable[APIResponse[Any]]]:
        method = getattr(self._resource, name, None) if not name.startswith("_") else None
        if method is None or not inspect.iscoroutinefunction(method):
            raise AttributeError(
                f"{type(self._resource).__name__}.with_raw_response has no method {name!r}"
            )

        async def call(*args: Any, **kwargs: Any) -> APIResponse[Any]:
            return await capture_raw_response(method(*args, **kwargs))

        call.__name__ = name
        call.__doc__ = method.__doc__
        return call


class _Runs(Protocol):
    def run(self, coro: Coroutine[Any, Any, _T]) -> _T: ...


class SyncResource:
    """A resource of the sync facade: the async one of the same name, and the runner
    that runs its coroutines on the SDK loop."""

    @property
    def with_raw_response(self) -> SyncRawResponseView:
        """The same methods, returning an :class:`APIResponse` (see the async client)."""
        # Each subclass types its own ``_async`` (AsyncJobs, ...) and ``_runner``.
        async_resource: AsyncResource = getattr(self, "_async")  # noqa: B009
        return SyncRawResponseView(async_resource.with_raw_response, getattr(self, "_runner"))  # noqa: B009


class SyncRawResponseView:
    """``resource.with_raw_response`` of the sync facade: each method without ``await``."""

    def __init__(self, view: RawResponseView, runner: _Runs) -> None:
        self._view = view
        self._runner = runner

    def __getattr__(self, name: str) -> Callable[..., APIResponse[Any]]:
        method = getattr(self._view, name)

        def call(*args: Any, **kwargs: Any) -> APIResponse[Any]:
            return self._runner.run(method(*args, **kwargs))

        call.__name__ = name
        call.__doc__ = method.__doc__
        return call
