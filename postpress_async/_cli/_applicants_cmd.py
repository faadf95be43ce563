"""``postpress applicants list|get|resume``: who applied to a job, and their résumés.

``list`` walks every page and exports the applicants as CSV or JSON Lines, to a file
(``--output``) or stdout, with a progress bar on a terminal (see :mod:`._export`).
``resume`` streams one résumé to a path; neither ever leaves a partial file behind.

Exit status: 0 done, 1 an API error, 2 usage errors (nothing was sent), 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, Final

from .._config import DEFAULT_MAX_RESUME_BYTES
from .._enums import Service
from .._lifecycle_enums import ApplicantRating
from ._common import (
    UsageError,
    add_connection_options,
    enum_option,
    guarded,
    print_json,
    whole_number,
)
from ._jobs_cmd import add_account_option, sync_client

__all__ = ["register"]

FORMATS: Final = ("csv", "jsonl")
_page_size = whole_number(1, 250, expected="must be between 1 and 250")
_max_items = whole_number(1, expected="must be at least 1")
_max_bytes = whole_number(1, expected="must be at least 1")
# Characters kept in a default résumé file name; anything else (a "/" in an id) becomes "_".
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]")


def _ratings(text: str) -> list[ApplicantRating]:
    parse = enum_option(ApplicantRating, "rating")
    return [parse(part.strip()) for part in text.split(",")]  # type: ignore[misc]


def _service(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--service", type=enum_option(Service, "service"),
        metavar="{" + ",".join(Service) + "}",
        help="the service the job was published with (default: the API's, CLASSIC)",
    )


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``applicants`` and its subcommands."""
    applicants = subparsers.add_parser(
        "applicants",
        help="export a job's applicants, read one, download a résumé",
        description="A job's applicants: export them (CSV or JSON Lines), read one, "
        "download a résumé. Exit status: 0 done, 1 API error, 2 usage error, 130 Ctrl-C.",
    )
    commands = applicants.add_subparsers(
        dest="applicants_command", metavar="SUBCOMMAND", required=True
    )

    listing = commands.add_parser(
        "list", help="export every applicant of a job as CSV or JSON Lines",
        description="Walk every page of a job's applicants and write them to --output "
        "(default: stdout), with a progress bar on a terminal. A file is written whole "
        "or not at all.",
    )
    listing.add_argument("job_id", metavar="JOB_ID")
    add_account_option(listing)
    listing.add_argument("--format", choices=FORMATS, default="csv",
                         help="csv (one row per applicant, flat columns) or jsonl (every "
                         "field) (default: %(default)s)")
    listing.add_argument("--output", metavar="PATH", help="write here (default: stdout)")
    listing.add_argument("--ratings", type=_ratings, metavar="LIST",
                         help="keep only these ratings, comma-separated: "
                         + ",".join(ApplicantRating))
    listing.add_argument("--keywords", metavar="TEXT", help="match name, headline, location")
    listing.add_argument("--page-size", type=_page_size, metavar="N",
                         help="applicants per request, 1-250 (default: the API's)")
    listing.add_argument("--max-items", type=_max_items, metavar="N",
                         help="stop after N applicants (default: every page)")
    _service(listing)
    listing.add_argument("--json", action="store_true",
                         help="print a JSON summary on stdout (needs --output)")
    add_connection_options(listing)
    listing.set_defaults(func=run_list)

    get = commands.add_parser("get", help="one applicant",
                              description="Read one applicant (Classic postings).")
    get.add_argument("applicant_id", metavar="APPLICANT_ID")
    add_account_option(get)
    get.add_argument("--json", action="store_true", help="print every field as JSON")
    add_connection_options(get)
    get.set_defaults(func=run_get)

    resume = commands.add_parser(
        "resume", help="download an applicant's résumé to a file",
        description="Stream the résumé to --output; the file appears only once the "
        "whole body has arrived (an existing one is replaced only then).",
    )
    resume.add_argument("applicant_id", metavar="APPLICANT_ID")
    add_account_option(resume)
    resume.add_argument("--output", metavar="PATH",
                        help="where to write it (default: resume-APPLICANT_ID.pdf)")
    resume.add_argument("--max-bytes", type=_max_bytes, default=DEFAULT_MAX_RESUME_BYTES,
                        metavar="N", help="refuse a longer file (default: %(default)s, 10 MiB)")
    _service(resume)
    resume.add_argument("--json", action="store_true", help="print the result as JSON")
    add_connection_options(resume)
    resume.set_defaults(func=run_resume)


@guarded("applicants list")
def run_list(args: argparse.Namespace) -> int:
    """Export a job's applicants."""
    from ._export import export_applicants

    if args.json and not args.output:
        raise UsageError("--json prints a summary on stdout, where the export goes without "
                         "--output: add --output PATH")
    with sync_client(args) as client:
        pager = client.applicants.list(
            args.job_id, account_id=args.account_id, service=args.service,
            limit=args.page_size, ratings=args.ratings, keywords=args.keywords,
        )
        count = export_applicants(
            pager, output=args.output, file_format=args.format, max_items=args.max_items
        )
    if args.json:
        print_json({"job_id": args.job_id, "exported": count, "format": args.format,
                    "output": args.output})
    elif args.output:
        print(f"exported {count} applicant{'' if count == 1 else 's'} of job {args.job_id} "
              f"to {args.output}", file=sys.stderr)
    return 0


@guarded("applicants get")
def run_get(args: argparse.Namespace) -> int:
    """Read one applicant."""
    from ._records import field_lines, record

    with sync_client(args) as client:
        person = client.applicants.get(args.applicant_id, account_id=args.account_id)
    if args.json:
        print_json(record(person))
        return 0
    current = next((w for w in person.work_experience if w.end is None), None)
    print(field_lines([
        ("id", person.id),
        ("name", person.name),
        ("rating", person.rating),
        ("headline", person.headline),
        ("location", person.location),
        ("email", person.email_address),
        ("phone", person.phone_number),
        ("profile", person.public_profile_url),
        ("position", f"{current.position} at {current.company}" if current else None),
        ("screening", f"{sum(1 for q in person.screening_questions if q.success)} of "
                      f"{len(person.screening_questions)} met"
                      if person.screening_questions else None),
    ]))
    return 0


@guarded("applicants resume")
def run_resume(args: argparse.Namespace) -> int:
    """Download a résumé."""
    output = args.output or f"resume-{_UNSAFE.sub('_', args.applicant_id)}.pdf"
    with sync_client(args) as client:
        path = client.applicants.download_resume(
            args.applicant_id, account_id=args.account_id, to=output,
            service=args.service, max_bytes=args.max_bytes,
        )
    size = path.stat().st_size
    if args.json:
        print_json({"applicant_id": args.applicant_id, "path": str(path), "bytes": size})
    else:
        print(f"saved the résumé of {args.applicant_id} to {path} ({size} bytes)")
    return 0
