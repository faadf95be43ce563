"""``postpress search-parameters TYPE KEYWORDS``: free text to the LinkedIn ids that job
fields take (``--location``, ``--job-title``, ``--company`` of ``postpress jobs create``).

Exit status: 0 done (no match included: an empty list), 1 an API error, 2 usage errors,
130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .._lifecycle_enums import SearchParameterType
from .._search import SEARCH_SERVICES
from ._common import add_connection_options, guarded, print_json, whole_number
from ._jobs_cmd import add_account_option, sync_client
from ._records import record, shown

__all__ = ["register"]

_limit = whole_number(1, 100, expected="must be between 1 and 100")


def _type(text: str) -> str:
    # The SDK sends any upper-case type name (the provider's list is open-ended); the
    # command reads it in any case, like every other enum value on the command line.
    return text.upper() if text.isascii() else text


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``search-parameters``."""
    parser = subparsers.add_parser(
        "search-parameters",
        help="find the LinkedIn ids of a location, job title, company...",
        description="Resolve free text into LinkedIn ids: several may match one text "
        "(cities of the same name): choose by title. Exit status: 0 done (no match "
        "included), 1 API error, 2 usage error.",
    )
    parser.add_argument(
        "type", type=_type, metavar="TYPE",
        help="LOCATION, JOB_TITLE, COMPANY, INDUSTRY, SKILL... (any case): "
        + ", ".join(SearchParameterType),
    )
    parser.add_argument("keywords", metavar="KEYWORDS", nargs="?",
                        help="the text to look up (every word must match)")
    add_account_option(parser)
    parser.add_argument("--limit", type=_limit, metavar="N",
                        help="at most N candidates, 1-100 (default: the API's, 10)")
    parser.add_argument("--service", choices=SEARCH_SERVICES,
                        help="default: the API's, CLASSIC")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    add_connection_options(parser)
    parser.set_defaults(func=run)


@guarded("search-parameters")
def run(args: argparse.Namespace) -> int:
    """Look the text up."""
    with sync_client(args) as client:
        pager = client.search.parameters(
            args.type, account_id=args.account_id, keywords=args.keywords,
            limit=args.limit, service=args.service,
        )
        # One page: limit bounds the answer (the endpoint documents no cursor).
        found = pager.to_list(max_items=args.limit)
    if args.json:
        print_json([record(parameter) for parameter in found])
        return 0
    if not found:
        print(f"no {args.type} matches", file=sys.stderr)
    width = max((len(shown(p.id, 40)) for p in found), default=0)
    for parameter in found:
        print(f"{shown(parameter.id, 40):<{width}}  {shown(parameter.title)}")
    return 0
