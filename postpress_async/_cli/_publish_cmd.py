"""``postpress publish DRAFT_ID``: publish one draft; on a terminal, solve its checkpoints.

When LinkedIn answers with a checkpoint and stdin is a terminal, the command prompts for
the OTP code or email token, submits it, and keeps going through follow-up checkpoints (a
wrong code is asked for again, a few times). Otherwise it prints the ``postpress checkpoint``
command to run. It uses the sync client, so the prompt is a plain blocking read in the main
thread and Ctrl-C works at any point.

Exit status: 0 published (or already published: it is live and is not published again),
1 an API error or a checkpoint left pending, 2 usage errors, 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final

from .._bulk import Outcome, OutcomeKind, outcome_record
from .._enums import ErrorType, Mode, Service
from .._exceptions import AlreadyPublishedError, AuthenticationError, PostpressError
from .._models import (
    Checkpoint,
    DailyBudget,
    MonthlyBudget,
    Published,
    PublishRequest,
    PublishResult,
)
from ._common import (
    EXIT_FAILED,
    EXIT_OK,
    Interrupted,
    UsageError,
    add_connection_options,
    api_key,
    enum_option,
    error_line,
    guarded,
    print_json,
)

if TYPE_CHECKING:
    from .._sync import Postpress

__all__ = ["interrupted_while_sending", "register", "solve_interactively", "without_mode"]

# Wrong codes accepted before giving up (each is one request to the API).
MAX_CODE_ATTEMPTS: Final = 5


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError("not an amount (a positive number such as 25)") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive amount, got {text}")
    return value


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``publish`` subcommand."""
    parser = subparsers.add_parser(
        "publish",
        help="publish one draft (prompts for a checkpoint code on a terminal)",
        description=(
            "Publish a LinkedIn job draft, free or promoted. If LinkedIn asks for an OTP code "
            "or email token and stdin is a terminal, prompt for it and solve the checkpoint. "
            "Exit status: 0 published or already published, 1 error or checkpoint pending, "
            "2 usage error."
        ),
    )
    parser.add_argument("draft_id", metavar="DRAFT_ID")
    parser.add_argument("--account-id", metavar="A", required=True)
    parser.add_argument(
        "--mode",
        type=enum_option(Mode, "mode"),
        required=True,
        metavar="{" + ",".join(Mode) + "}",
        help="any case: free is FREE",
    )
    parser.add_argument(
        "--service", type=enum_option(Service, "service"), metavar="{" + ",".join(Service) + "}"
    )
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--daily-budget", type=_amount, metavar="AMOUNT")
    budget.add_argument("--monthly-budget", type=_amount, metavar="AMOUNT")
    parser.add_argument(
        "--currency", metavar="CODE", help="three-letter currency of the budget, e.g. USD"
    )
    parser.add_argument("--hiring-photo-frame", action="store_true", default=None)
    parser.add_argument("--bypass-email-verification", action="store_true", default=None)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def _request(args: argparse.Namespace) -> PublishRequest:
    amount = args.daily_budget if args.daily_budget is not None else args.monthly_budget
    budget: DailyBudget | MonthlyBudget | None = None
    if amount is not None:
        if not args.currency:
            raise UsageError("a budget needs --currency (e.g. --currency USD)")
        cls = DailyBudget if args.daily_budget is not None else MonthlyBudget
        budget = cls(currency=args.currency, amount=amount)
    elif args.currency:
        raise UsageError("--currency goes with --daily-budget or --monthly-budget")
    return PublishRequest(
        args.draft_id,
        account_id=args.account_id,
        mode=args.mode,
        service=args.service,
        hiring_photo_frame=args.hiring_photo_frame,
        bypass_email_verification=args.bypass_email_verification,
        budget=budget,
    )


def report(
    request: PublishRequest, result: PublishResult, *, json_output: bool, mode_known: bool = True
) -> int:
    """Print a publish or checkpoint result; returns the exit status.

    ``mode_known=False`` (the checkpoint command, which is not told the mode) leaves
    ``mode`` out of the JSON record rather than printing a placeholder.
    """
    if isinstance(result, Published):
        kind = OutcomeKind.PUBLISHED
        text = f"published draft {request.draft_id}: job {result.job_id} is {result.job_state}"
    else:
        kind = OutcomeKind.CHECKPOINT
        text = (
            f"draft {request.draft_id} awaits a checkpoint ({result.type}); solve it with:\n"
            f"  postpress checkpoint {request.draft_id} --account-id {request.account_id} "
            "--input CODE"
        )
    if json_output:
        record = outcome_record(Outcome(kind, 0, request, result=result))
        print_json(record if mode_known else without_mode(record))
    else:
        print(text, file=sys.stdout if kind is OutcomeKind.PUBLISHED else sys.stderr)
    return EXIT_OK if kind is OutcomeKind.PUBLISHED else EXIT_FAILED


def without_mode(record: dict[str, Any]) -> dict[str, Any]:
    """An outcome record without its ``mode`` (for a command that does not know it)."""
    return {key: value for key, value in record.items() if key != "mode"}


def report_error(request: PublishRequest, error: PostpressError, *, json_output: bool) -> int:
    """Print an API error (already-published is success); returns the exit status."""
    if isinstance(error, AlreadyPublishedError):
        if json_output:
            print_json(
                outcome_record(Outcome(OutcomeKind.ALREADY_PUBLISHED, 0, request, error=error))
            )
        else:
            rid = f" (request_id={error.request_id})" if error.request_id else ""
            print(f"draft {request.draft_id} is already published; it was not published again{rid}")
        return EXIT_OK
    if json_output:
        print_json(outcome_record(Outcome(OutcomeKind.FAILED, 0, request, error=error)))
    raise error  # the guard prints it as one line and exits 1


def _prompt(message: str) -> str:
    sys.stderr.write(message)
    sys.stderr.flush()
    return sys.stdin.readline().strip()


def solve_interactively(
    client: Postpress, request: PublishRequest, checkpoint: Checkpoint
) -> PublishResult:
    """Prompt for codes until the draft is published (or the user gives up: empty input).

    Follow-up checkpoints are prompted for in turn; a wrong code is asked for again.
    """
    result: PublishResult = checkpoint
    wrong = 0
    while isinstance(result, Checkpoint):
        what = "OTP code" if result.type == "OTP" else "email verification token"
        try:
            code = _prompt(f"LinkedIn asks for an {what} for draft {request.draft_id}: ")
        except KeyboardInterrupt:
            raise Interrupted(
                f"draft {request.draft_id} still awaits its checkpoint; solve it with: "
                f"postpress checkpoint {request.draft_id} --account-id {request.account_id} "
                "--input CODE"
            ) from None
        if not code:
            return result  # left pending; the caller prints how to solve it later
        try:
            result = client.jobs.solve_checkpoint(
                request.draft_id, account_id=request.account_id, input=code
            )
        except KeyboardInterrupt:
            raise interrupted_while_sending(
                f"the {what} (and so the publish of draft {request.draft_id})",
                request.draft_id,
                request.account_id,
                request.mode,
            ) from None
        except AuthenticationError as exc:
            if exc.type is not ErrorType.INVALID_CHECKPOINT_SOLUTION:
                raise
            wrong += 1
            if wrong >= MAX_CODE_ATTEMPTS:
                raise
            print(f"that code was not accepted ({error_line(exc)}); try again", file=sys.stderr)
    return result


def interrupted_while_sending(what: str, draft_id: str, account_id: str, mode: str) -> Interrupted:
    """What Ctrl-C means once a request may have left: it may have taken effect upstream."""
    again = shlex.join(["postpress", "publish", draft_id, "--account-id", account_id])
    again += f" --mode {mode}"
    return Interrupted(
        f"{what} may have gone through. To check, publish again ({again}): if it did, the "
        "answer is 'already published' and nothing is published twice"
    )


@guarded("publish")
def run(args: argparse.Namespace) -> int:
    """Run the publish command; returns the exit status."""
    from .._sync import Postpress

    request = _request(args)
    key = api_key(args)
    with Postpress(key, base_url=args.base_url) as client:
        try:
            try:
                result = client.jobs.publish_request(request)
            except KeyboardInterrupt:
                raise interrupted_while_sending(
                    f"the publish of draft {request.draft_id}",
                    request.draft_id,
                    request.account_id,
                    request.mode,
                ) from None
            if isinstance(result, Checkpoint) and sys.stdin.isatty():
                result = solve_interactively(client, request, result)
        except PostpressError as exc:
            return report_error(request, exc, json_output=args.json)
    return report(request, result, json_output=args.json)
