"""The lifecycle's public names, its errors (picklable, in the tree), and with_options."""

from __future__ import annotations

import enum
import pickle

import pytest

import postpress_async
from postpress_async import (
    APITimeoutError,
    JobStateError,
    PostpressError,
    RepeatedCursorError,
    WaitTimeoutError,
)
from postpress_async.testing import MockResponse

from .lifecycle_support import ACCOUNT_ID, JOB_ID, job

NAMES = [
    "DraftCreated", "PublishOptions", "JobEdited", "JobPosting", "JobClosed", "Applicant",
    "SearchParameter", "Account", "Workplace", "EmploymentStatus", "JobPostingState",
    "SearchParameterType", "ApplicantRating", "AccountSourceStatus", "AsyncPager", "Pager",
    "Page", "JobStateError", "WaitTimeoutError", "RepeatedCursorError", "NumericQuestion",
    "MultipleChoiceQuestion", "Recruiter", "RecruiterEdit", "LinkedInApply", "ExternalApply",
]


@pytest.mark.parametrize("name", NAMES)
def test_lifecycle_names_are_exported(name):
    assert name in postpress_async.__all__


@pytest.mark.parametrize("name", ["Workplace", "EmploymentStatus", "JobPostingState",
                                  "SearchParameterType", "ApplicantRating",
                                  "AccountSourceStatus", "Seniority"])
def test_lifecycle_enums_compare_equal_to_wire_values(name):
    enum_cls = getattr(postpress_async, name)
    assert issubclass(enum_cls, enum.Enum)
    assert all(member == member.value and str(member) == member.value for member in enum_cls)


def test_account_source_status_has_the_documented_members():
    assert [m.value for m in postpress_async.AccountSourceStatus] == [
        "OK", "STOPPED", "ERROR", "CREDENTIALS", "PERMISSIONS", "CONNECTING"
    ]


@pytest.mark.parametrize(
    "error",
    [
        RepeatedCursorError("c1", page=3, endpoint="jobs.list"),
        JobStateError(JOB_ID, state="closed", expected="active", job=None),
        WaitTimeoutError(JOB_ID, expected="active", last_state="review", timeout=600),
    ],
)
def test_lifecycle_errors_are_postpress_errors_and_survive_pickling(error):
    assert isinstance(error, PostpressError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.__dict__ == error.__dict__


def test_a_wait_timeout_is_a_timeout_but_not_a_connection_error():
    error = WaitTimeoutError(JOB_ID, expected="active", last_state=None, timeout=1)
    assert isinstance(error, TimeoutError)
    assert not isinstance(error, APITimeoutError)


async def test_with_options_copies_have_every_resource(mock_client):
    client, transport = mock_client(lambda request: MockResponse(200, json=job()))
    copy = client.with_options(max_retries=0)
    assert (await copy.jobs.get(JOB_ID, account_id=ACCOUNT_ID)).id == JOB_ID
    assert copy.applicants is not client.applicants
    assert {type(r).__name__ for r in (copy.search, copy.accounts)} == {
        "AsyncSearch", "AsyncAccounts"
    }
    assert len(transport.requests) == 1
