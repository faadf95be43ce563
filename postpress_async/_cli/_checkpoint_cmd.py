"""``postpress checkpoint DRAFT_ID --input CODE``: solve a draft's pending checkpoint.

Exit status: 0 published, 1 an API error (a wrong code included) or a follow-up
checkpoint to solve, 2 usage errors.
"""

from __future__ import annotations

import argparse
from typing import Any

from .._bulk import Outcome, OutcomeKind, outcome_record
from .._exceptions import PostpressError
from .._models import PublishRequest, SolveCheckpointRequest
from ._common import add_connection_options, api_key, guarded, print_json
from ._publish_cmd import interrupted_while_sending, report, without_mode

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``checkpoint`` subcommand."""
    parser = subparsers.add_parser(
        "checkpoint",
        help="submit the OTP code or email token of a draft's pending checkpoint",
        description=(
            "Solve the checkpoint LinkedIn demanded when the draft was published. Exit "
            "status: 0 published, 1 error or another checkpoint to solve, 2 usage error."
        ),
    )
    parser.add_argument("draft_id", metavar="DRAFT_ID")
    parser.add_argument("--account-id", metavar="A", required=True)
    parser.add_argument(
        "--input", metavar="CODE", required=True, help="the OTP code or email-verification token"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_connection_options(parser)
    parser.set_defaults(func=run)


@guarded("checkpoint")
def run(args: argparse.Namespace) -> int:
    """Run the checkpoint command; returns the exit status."""
    from .._sync import Postpress

    # Validated before anything is sent (and before the key is looked for).
    SolveCheckpointRequest(args.draft_id, account_id=args.account_id, input=args.input)
    key = api_key(args)
    # For printing only: the draft is identified by its id and account, like in publish.
    shown = PublishRequest(args.draft_id, account_id=args.account_id, mode="FREE")
    with Postpress(key, base_url=args.base_url) as client:
        try:
            result = client.jobs.solve_checkpoint(
                args.draft_id, account_id=args.account_id, input=args.input
            )
        except KeyboardInterrupt:
            raise interrupted_while_sending(
                f"the checkpoint of draft {args.draft_id} (and so its publish)",
                args.draft_id,
                args.account_id,
                "MODE",
            ) from None
        except PostpressError as exc:
            if args.json:
                record = outcome_record(Outcome(OutcomeKind.FAILED, 0, shown, error=exc))
                print_json(without_mode(record))
            raise
    return report(shown, result, json_output=args.json, mode_known=False)
