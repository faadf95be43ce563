"""The pytest plugin, run in a fresh pytest process through ``pytester``."""

from __future__ import annotations

import importlib.metadata
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def plugin_args() -> list[str]:
    # Once the package is installed the entry point loads the plugin itself; loading it a
    # second time under its module name would be a duplicate registration.
    installed = any(
        ep.name == "postpress_sandbox" for ep in importlib.metadata.entry_points(group="pytest11")
    )
    return [] if installed else ["-p", "postpress_async.pytest_plugin"]


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    )
    pytester.makeini("[pytest]\nasyncio_mode = auto\n")

    def run_pytest(source: str):
        pytester.makepyfile(source)
        return pytester.runpytest_subprocess(*plugin_args(), "-q", "-p", "no:cacheprovider")

    return run_pytest


def test_postpress_sandbox_fixture_serves_raw_aiohttp_requests(run):
    result = run(
        """
        import aiohttp

        async def test_publish(postpress_sandbox):
            async with aiohttp.ClientSession() as session:
                async with session.post(
                    postpress_sandbox.base_url + "/linkedin/jobs/d1/publish",
                    json={"account_id": "a", "mode": "FREE"},
                    headers={"X-API-KEY": postpress_sandbox.api_key},
                ) as response:
                    assert response.status == 200
            assert postpress_sandbox.ledger.published_count("d1") == 1

        def test_sync_use(postpress_sandbox):
            assert postpress_sandbox.base_url.startswith("http://127.0.0.1:")
        """
    )
    result.assert_outcomes(passed=2)


def test_postpress_sandbox_factory_builds_configured_sandboxes(run):
    result = run(
        """
        import aiohttp
        from postpress_async.sandbox import Faults

        async def test_faulty(postpress_sandbox_factory):
            sandbox = postpress_sandbox_factory(faults=Faults(provider_error=1.0))
            async with aiohttp.ClientSession() as session:
                async with session.post(
                    sandbox.base_url + "/linkedin/jobs/d1/publish",
                    json={"account_id": "a", "mode": "FREE"},
                    headers={"X-API-KEY": sandbox.api_key},
                ) as response:
                    assert response.status == 500
        """
    )
    result.assert_outcomes(passed=1)


def test_the_plugin_does_not_disturb_a_run_that_does_not_use_it(run):
    result = run("def test_nothing():\n    assert True\n")
    result.assert_outcomes(passed=1)


def test_postpress_client_fixture_publishes_through_the_sandbox(run):
    result = run(
        """
        async def test_publish(postpress_client, postpress_sandbox):
            published = await postpress_client.jobs.publish("d1", account_id="a", mode="FREE")
            assert published.job_id == "d1"
            assert postpress_sandbox.ledger.published_count("d1") == 1
        """
    )
    result.assert_outcomes(passed=1)
