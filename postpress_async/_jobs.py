"""``client.jobs``: the job-posting endpoints, each described once and sent through the core."""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, Final

from ._bulk_defaults import DEFAULT_CONNECTING_TIMEOUT, DEFAULT_MAX_PARKED, DEFAULT_STOP_ON
from ._config import NOT_GIVEN, NotGiven, TimeoutTypes
from ._converter import dump_body
from ._core import Endpoint, check_idempotency_key
from ._decode import ObjectDecoder
from ._enums import Mode, Service
from ._exceptions import InvalidRequestError
from ._job_lifecycle import _JobLifecycle
from ._models import (
    DailyBudget,
    MonthlyBudget,
    PublishRequest,
    PublishResult,
    SolveCheckpointRequest,
)
from ._resource import AsyncResource

if TYPE_CHECKING:
    from ._bulk import BulkReport, NewJob, Outcome, StopOn, StopScopes

__all__ = ["AsyncJobs"]

# Its structure hooks are looked up on the first answer (cattrs loads then, not at import).
_decode_publish_result: Final = ObjectDecoder[PublishResult](PublishResult)
PUBLISH: Final = Endpoint(
    "jobs.publish", "POST", "/linkedin/jobs/{draft_id}/publish", _decode_publish_result
)
SOLVE_CHECKPOINT: Final = Endpoint(
    "jobs.solve_checkpoint", "POST", "/linkedin/jobs/{draft_id}/checkpoint",
    _decode_publish_result,
)


class AsyncJobs(AsyncResource, _JobLifecycle):
    """``client.jobs``: the life of a job posting — create, edit, publish (and solve
    checkpoints), get, list, wait for a state, close — and bulk publishing."""

    async def publish(
        self,
        draft_id: str,
        *,
        account_id: str,
        mode: Mode | str,
        service: Service | str | None = None,
        hiring_photo_frame: bool | None = None,
        bypass_email_verification: bool | None = None,
        budget: DailyBudget | MonthlyBudget | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Publish a draft; returns :class:`Published` or a :class:`Checkpoint` to solve.

        Raises :class:`InvalidRequestError` (nothing sent) for bad arguments, an
        :class:`APIStatusError` subclass for an error answer, and
        :class:`AlreadyPublishedError` when the draft is already live. The
        ``Idempotency-Key`` is generated per call (reused by its retries) unless given.
        """
        request = PublishRequest(
            draft_id,
            account_id=account_id,
            mode=mode,
            service=service,
            hiring_photo_frame=hiring_photo_frame,
            bypass_email_verification=bypass_email_verification,
            budget=budget,
        )
        return await self._publish(request, idempotency_key, timeout, max_retries)

    async def publish_request(
        self,
        request: PublishRequest,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Like :meth:`publish`, for a :class:`PublishRequest` built beforehand."""
        if not isinstance(request, PublishRequest):
            raise InvalidRequestError(
                "request", f"must be a PublishRequest, got {type(request).__name__}"
            )
        return await self._publish(request, idempotency_key, timeout, max_retries)

    def _send_draft(
        self,
        request: PublishRequest,
        *,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> Coroutine[Any, Any, PublishResult]:
        # The bulk runs' send: publish_request less its own frame (a coroutine created per
        # draft and resumed through at every await of it), whose one check admission has
        # made already (a run performs PublishRequest items only).
        return self._publish(request, None, timeout, max_retries)

    def _publish(
        self,
        request: PublishRequest,
        idempotency_key: str | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> Coroutine[Any, Any, PublishResult]:
        # A plain function returning the call's coroutine: publish and publish_request
        # share it without an await layer more on the hot path of bulk publishing.
        if idempotency_key is not None:
            check_idempotency_key(idempotency_key)
        return self._client._request(
            PUBLISH,
            timeout,
            max_retries,
            path_params={"draft_id": request.draft_id},
            body=dump_body(request),
            idempotency_key=idempotency_key,
        )

    async def solve_checkpoint(
        self,
        draft_id: str,
        *,
        account_id: str,
        input: str,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> PublishResult:
        """Submit the OTP code or email token for a draft's pending checkpoint.

        Returns :class:`Published`, or a follow-up :class:`Checkpoint` to solve in turn.
        """
        request = SolveCheckpointRequest(draft_id, account_id=account_id, input=input)
        if idempotency_key is not None:
            check_idempotency_key(idempotency_key)
        return await self._client._request(
            SOLVE_CHECKPOINT,
            timeout,
            max_retries,
            path_params={"draft_id": request.draft_id},
            body=dump_body(request),
            idempotency_key=idempotency_key,
        )

    async def publish_many(
        self,
        requests: Iterable[PublishRequest | NewJob] | AsyncIterable[PublishRequest | NewJob],
        *,
        concurrency: int = 16,
        rate: float | None = None,
        per_account_concurrency: int | None = None,
        per_account_rate: float | None = None,
        check_accounts: bool = False,
        connecting_timeout: float = DEFAULT_CONNECTING_TIMEOUT,
        max_parked: int = DEFAULT_MAX_PARKED,
        journal: str | os.PathLike[str] | None = None,
        on_outcome: Callable[[Outcome], object] | None = None,
        stop_on: StopOn = DEFAULT_STOP_ON,
        stop_scopes: StopScopes = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> BulkReport:
        """Publish many drafts concurrently; never one twice. Returns a :class:`BulkReport`.

        ``requests`` (an iterable or async iterable of :class:`PublishRequest`) is read
        lazily, one item per free slot; at most ``concurrency`` drafts are in flight and
        ``rate`` caps drafts sent per second. Every draft is sent as
        :meth:`publish_request` sends it, so the retry policy applies; a 429 pauses the whole batch
        (or one account, when it concerns one) and the draft is tried again. A failure in
        ``stop_on`` (default :data:`DEFAULT_STOP_ON`) stops what its scope says
        (:data:`STOP_SCOPES`, overridable with ``stop_scopes``): the run for an unusable
        API key, that account's drafts for a disconnected or restricted account, that
        account's promoted drafts for no credits; drafts in flight finish, the stopped
        ones are ``not_attempted``. ``per_account_concurrency`` / ``per_account_rate``
        limit each account (a busy account's drafts wait without holding a slot; at most
        ``max_parked`` of them). ``check_accounts=True`` reads each account once before
        its first draft: one whose source is not OK (``CONNECTING`` after
        ``connecting_timeout`` s) has its drafts ``not_attempted``.
        ``journal`` (a JSON Lines path) makes the run resumable after a crash: settled
        drafts are skipped on a re-run. ``on_outcome`` is called with each :class:`Outcome`.
        Cancelling the call cancels the drafts in flight and re-raises ``CancelledError``.
        Items may also be :class:`NewJob` (a job definition with its publish options and
        your ``ref``): each is created (:meth:`create_request`, at most one draft per
        ``ref``, even across crashes with the journal), then published.
        See ``docs/bulk.md``.
        """
        from . import _bulk  # the bulk machinery loads with the first run

        options = _bulk.BulkOptions(
            concurrency=concurrency, rate=rate, per_account_concurrency=per_account_concurrency,
            per_account_rate=per_account_rate, check_accounts=check_accounts,
            connecting_timeout=connecting_timeout, max_parked=max_parked, journal=journal,
            on_outcome=on_outcome, stop_on=stop_on, stop_scopes=stop_scopes, timeout=timeout,
            max_retries=max_retries,
        )
        return await _bulk.publish_many(
            self._send_draft, requests, options,
            create=self.create_request, get_account=self._client.accounts.get,
        )

    def iter_publish(
        self,
        requests: Iterable[PublishRequest | NewJob] | AsyncIterable[PublishRequest | NewJob],
        *,
        concurrency: int = 16,
        rate: float | None = None,
        per_account_concurrency: int | None = None,
        per_account_rate: float | None = None,
        check_accounts: bool = False,
        connecting_timeout: float = DEFAULT_CONNECTING_TIMEOUT,
        max_parked: int = DEFAULT_MAX_PARKED,
        journal: str | os.PathLike[str] | None = None,
        on_outcome: Callable[[Outcome], object] | None = None,
        stop_on: StopOn = DEFAULT_STOP_ON,
        stop_scopes: StopScopes = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncGenerator[Outcome, None]:
        """Like :meth:`publish_many`, yielding each :class:`Outcome` as its draft finishes.

        No new draft is started while the consumer is not reading. Leaving the loop
        early (``break``) stops the run and cancels what is in flight; wrap it in
        ``contextlib.aclosing(...)`` for that to happen at once rather than when the
        generator is garbage collected.
        """
        from . import _bulk  # the bulk machinery loads with the first run

        options = _bulk.BulkOptions(
            concurrency=concurrency, rate=rate, per_account_concurrency=per_account_concurrency,
            per_account_rate=per_account_rate, check_accounts=check_accounts,
            connecting_timeout=connecting_timeout, max_parked=max_parked, journal=journal,
            on_outcome=on_outcome, stop_on=stop_on, stop_scopes=stop_scopes, timeout=timeout,
            max_retries=max_retries,
        )
        return _bulk.iter_publish(
            self._send_draft, requests, options,
            create=self.create_request, get_account=self._client.accounts.get,
        )
