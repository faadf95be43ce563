"""``postpress jobs create|edit|get|list|wait|close``: the life of a job posting.

Each subcommand is one SDK call through the sync client (Ctrl-C works at any point),
with the shared connection options, ``--account-id`` and ``--json``. ``create`` and
``edit`` take the common fields as options and the nested ones (screening questions, the
Recruiter block, the apply method) from a JSON file (``--file``); an option overrides the
file's value. How each result is printed is in :mod:`._jobs_view`.

Exit status: 0 done (``wait``: the state was reached), 1 an API error, a job that can no
longer reach the state, or a wait that timed out, 2 usage errors (nothing was sent),
130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import secrets
import shlex
from typing import TYPE_CHECKING, Any, Final

from .._enums import JobState, Service
from .._job_lifecycle import JOB_CATEGORIES
from .._lifecycle_enums import EmploymentStatus, Workplace
from ._common import (
    Interrupted,
    UsageError,
    add_connection_options,
    api_key,
    client_options,
    enum_option,
    guarded,
    log_client,
    positive_number,
    whole_number,
)
from ._job_definition import read_definition
from ._jobs_view import print_closed, print_created, print_edited, print_job, print_jobs

if TYPE_CHECKING:
    from .._sync import Postpress

__all__ = ["add_account_option", "register", "sync_client"]

DEFAULT_WAIT_TIMEOUT: Final = 600.0
_REQUIRED_TO_CREATE: Final = ("job_title", "company", "workplace", "location", "description")
_page_size = whole_number(1, 250, expected="must be between 1 and 250")
_max_items = whole_number(1, expected="must be at least 1")


def _choices(enum_class: Any) -> str:
    return "{" + ",".join(member.value for member in enum_class) + "}"


def add_account_option(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``--account-id A``, named as in ``publish``, ``checkpoint`` and ``bulk``."""
    parser.add_argument(
        "--account-id", metavar="A", required=required, help="the account to act from"
    )


def _common(parser: argparse.ArgumentParser, *, required_account: bool = True) -> None:
    add_account_option(parser, required=required_account)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_connection_options(parser)


def _service_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--service",
        type=enum_option(Service, "service"),
        metavar=_choices(Service),
        help="the service the job was published with (default: CLASSIC)",
    )


def _key_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help="reuse the key of an earlier attempt of this very call (e.g. after Ctrl-C): "
        "the API answers it again instead of acting twice (default: a new key)",
    )


def _field_options(parser: argparse.ArgumentParser, *, edit: bool) -> None:
    what = "fields to change" if edit else "the job"
    group = parser.add_argument_group(what, "an option overrides the --file value")
    group.add_argument(
        "--file",
        metavar="PATH",
        help="a JSON object in the shape of the API body, for nested fields: "
        "screening_questions, recruiter, apply_method (see docs/cli.md)",
    )
    group.add_argument("--job-title", metavar="TEXT|ID", help="free text or a JOB_TITLE id")
    group.add_argument("--company", metavar="TEXT|ID", help="free text or a COMPANY id")
    group.add_argument(
        "--workplace", type=enum_option(Workplace, "workplace"), metavar=_choices(Workplace)
    )
    group.add_argument(
        "--location",
        metavar="ID",
        help="a LOCATION id (postpress search-parameters LOCATION Berlin finds it)",
    )
    description = group.add_mutually_exclusive_group()
    description.add_argument("--description", metavar="HTML")
    description.add_argument(
        "--description-file", metavar="PATH", help="read the (HTML) description from a file"
    )
    group.add_argument(
        "--employment-status",
        type=enum_option(EmploymentStatus, "employment status"),
        metavar=_choices(EmploymentStatus),
    )
    group.add_argument("--auto-rejection-template", metavar="TEXT")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``jobs`` and its subcommands."""
    jobs = subparsers.add_parser(
        "jobs",
        help="create, edit, read, list, wait for and close job postings",
        description="The life of a job posting: create a draft, edit it, read it, list "
        "the account's postings, wait for LinkedIn's review, close it. Publish with "
        "'postpress publish'. Exit status: 0 done, 1 API error (or, for wait, a timeout "
        "or a state that can no longer come), 2 usage error, 130 Ctrl-C.",
    )
    commands = jobs.add_subparsers(dest="jobs_command", metavar="SUBCOMMAND", required=True)

    create = commands.add_parser("create", help="create a draft (nothing is published)",
                                 description="Create a job-posting draft.")
    _field_options(create, edit=False)
    _key_option(create)
    _common(create, required_account=False)
    create.set_defaults(func=run_create)

    edit = commands.add_parser("edit", help="change some fields of a draft or posting",
                               description="Change the fields given; the others keep "
                               "their values (screening_questions is replaced whole).")
    edit.add_argument("job_id", metavar="JOB_ID")
    _field_options(edit, edit=True)
    _key_option(edit)
    _common(edit, required_account=False)
    edit.set_defaults(func=run_edit)

    get = commands.add_parser("get", help="one posting with its state and counters",
                              description="Read one job posting (drafts too).")
    get.add_argument("job_id", metavar="JOB_ID")
    _service_option(get)
    _common(get)
    get.set_defaults(func=run_get)

    listing = commands.add_parser("list", help="the account's postings, every page",
                                  description="List the account's postings of a category.")
    listing.add_argument(
        "--category", choices=JOB_CATEGORIES, default="active",
        help="active (with review and paused), draft or closed (default: %(default)s)",
    )
    listing.add_argument("--page-size", type=_page_size, metavar="N",
                         help="jobs per request, 1-250 (default: the API's, 100)")
    listing.add_argument("--max-items", type=_max_items, metavar="N",
                         help="stop after N jobs (default: every page)")
    _common(listing)
    listing.set_defaults(func=run_list)

    wait = commands.add_parser(
        "wait", help="wait until a posting reaches a state (LinkedIn's review)",
        description="Read the job until it is in --state (polling with backoff: no "
        "webhook exists for job events). Exit 0 when it is, 1 when it can no longer get "
        "there (closed) or --wait-timeout passes.",
    )
    wait.add_argument("job_id", metavar="JOB_ID")
    wait.add_argument("--state", type=enum_option(JobState, "state"),
                      default=JobState.ACTIVE, metavar=_choices(JobState),
                      help="the state to wait for (default: active)")
    wait.add_argument("--wait-timeout", type=positive_number, default=DEFAULT_WAIT_TIMEOUT,
                      metavar="SECONDS",
                      help="give up after this long in all (default: %(default)g; "
                      "--timeout bounds each read)")
    wait.add_argument("--poll-interval", type=positive_number, default=2.0,
                      metavar="SECONDS", help="first pause between reads, growing x1.5 up "
                      "to 30 s (default: %(default)g)")
    _service_option(wait)
    _common(wait)
    wait.set_defaults(func=run_wait)

    close = commands.add_parser("close", help="close a posting (irreversible)",
                                description="Close a posted job; nothing reopens it.")
    close.add_argument("job_id", metavar="JOB_ID")
    _service_option(close)
    _key_option(close)
    _common(close)
    close.set_defaults(func=run_close)


def sync_client(args: argparse.Namespace) -> Postpress:
    """The sync client of the connection options (the key is looked for last, so a
    usage mistake is reported before a missing key)."""
    from .._sync import Postpress

    client = Postpress(api_key(args), **client_options(args))
    log_client(client)
    return client


def _read_text(path: str, option: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except OSError as exc:
        raise UsageError(f"{option}: cannot read {path!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{option}: {path!r} is not UTF-8 text") from None


def _fields(args: argparse.Namespace, *, edit: bool) -> dict[str, Any]:
    """The file's fields, then the options over them."""
    fields = read_definition(args.file, edit=edit) if args.file else {}
    if args.description_file:
        fields["description"] = _read_text(args.description_file, "--description-file")
    for name in ("account_id", "job_title", "company", "workplace", "location", "description",
                 "employment_status", "auto_rejection_template"):
        value = getattr(args, name)
        if value is not None:
            fields[name] = value
    if "account_id" not in fields:
        raise UsageError("missing --account-id (or account_id in --file)")
    location = fields.get("location")
    if isinstance(location, str) and not location.isdigit():
        # The API takes no text here; say how to find the id rather than the SDK's hint.
        raise UsageError(
            "the location must be a LOCATION id (digits); find it with: "
            "postpress search-parameters LOCATION KEYWORDS --account-id "
            + shlex.quote(str(fields["account_id"]))
        )
    return fields


def _interrupted(what: str, command: str, job_id: str | None, key: str) -> Interrupted:
    target = f" {job_id}" if job_id else ""
    return Interrupted(
        f"{what} may have gone through. Run the same command again with "
        f"--idempotency-key {key}: the API then answers the first attempt's result "
        f"instead of acting twice (postpress jobs {command}{target} ... "
        f"--idempotency-key {key})"
    )


@guarded("jobs create")
def run_create(args: argparse.Namespace) -> int:
    """Create a draft."""
    fields = _fields(args, edit=False)
    missing = [name for name in _REQUIRED_TO_CREATE if name not in fields]
    if missing:
        options = ", ".join("--" + name.replace("_", "-") for name in missing)
        raise UsageError(f"missing {options} (or the same fields in --file)")
    key = args.idempotency_key or secrets.token_hex(16)
    from .._job_models import CreateJobRequest

    CreateJobRequest(**fields)  # every value checked before the key is looked for
    with sync_client(args) as client:
        try:
            draft = client.jobs.create(**fields, idempotency_key=key)
        except KeyboardInterrupt:
            raise _interrupted("the create", "create", None, key) from None
    print_created(draft, fields["account_id"], key, json_output=args.json)
    return 0


@guarded("jobs edit")
def run_edit(args: argparse.Namespace) -> int:
    """Edit a draft or posting."""
    fields = _fields(args, edit=True)
    key = args.idempotency_key or secrets.token_hex(16)
    from .._job_models import EditJobRequest

    EditJobRequest(args.job_id, **fields)
    with sync_client(args) as client:
        try:
            edited = client.jobs.edit(args.job_id, **fields, idempotency_key=key)
        except KeyboardInterrupt:
            raise _interrupted("the edit", "edit", args.job_id, key) from None
    print_edited(edited, json_output=args.json)
    return 0


@guarded("jobs get")
def run_get(args: argparse.Namespace) -> int:
    """Read one posting."""
    with sync_client(args) as client:
        job = client.jobs.get(args.job_id, account_id=args.account_id, service=args.service)
    print_job(job, json_output=args.json)
    return 0


@guarded("jobs list")
def run_list(args: argparse.Namespace) -> int:
    """List the account's postings."""
    with sync_client(args) as client:
        pager = client.jobs.list(
            account_id=args.account_id, category=args.category, limit=args.page_size
        )
        print_jobs(pager, max_items=args.max_items, json_output=args.json)
    return 0


@guarded("jobs wait")
def run_wait(args: argparse.Namespace) -> int:
    """Wait for a state."""
    from .._exceptions import JobStateError, WaitTimeoutError
    from ._common import print_json
    from ._records import record

    with sync_client(args) as client:
        try:
            job = client.jobs.wait_for_state(
                args.job_id, account_id=args.account_id, state=args.state,
                service=args.service, timeout=args.wait_timeout,
                poll_interval=args.poll_interval,
                max_interval=max(30.0, args.poll_interval),
            )
        except (JobStateError, WaitTimeoutError) as exc:
            if args.json:
                last = exc.state if isinstance(exc, JobStateError) else exc.last_state
                print_json({"job_id": args.job_id, "reached": False,
                            "expected": args.state.value, "state": last,
                            "timed_out": isinstance(exc, WaitTimeoutError)})
            raise
    if args.json:
        print_json({"job_id": args.job_id, "reached": True, "expected": args.state.value,
                    "state": args.state.value, "timed_out": False, "job": record(job)})
    else:
        print(f"job {args.job_id} is {args.state.value}")
    return 0


@guarded("jobs close")
def run_close(args: argparse.Namespace) -> int:
    """Close a posting."""
    from .._enums import ErrorType
    from .._exceptions import UnprocessableEntityError
    from .._job_results import JobClosed

    key = args.idempotency_key or secrets.token_hex(16)
    with sync_client(args) as client:
        try:
            closed = client.jobs.close(
                args.job_id, account_id=args.account_id, service=args.service,
                idempotency_key=key,
            )
        except KeyboardInterrupt:
            raise _interrupted("the close", "close", args.job_id, key) from None
        except UnprocessableEntityError as error:
            if error.type is not ErrorType.ACTION_ALREADY_PERFORMED:
                raise
            # 422 action_already_performed: closed before this command. (A close whose
            # own lost first attempt closed the job returns JobClosed from the SDK.) The
            # goal of the command is reached: like publish, that is success.
            print_closed(JobClosed(args.job_id), json_output=args.json, already=True)
            return 0
    print_closed(closed, json_output=args.json)
    return 0
