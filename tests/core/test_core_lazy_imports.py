"""What ``import postpress_async`` loads, pinned: what an async call needs, and not the bulk
machinery, cattrs, orjson, decimal, the lifecycle enums and checks, the hooks' classes,
``APIResponse``, ``Page`` or the sync facade. Those load on first use (see
docs/performance.md, import time), and the public names behave as if imported eagerly.

Each check runs in a fresh interpreter: this test process has long imported everything.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import postpress_async
from postpress_async import _bulk_options, _bulk_stop
from postpress_async._jobs import AsyncJobs
from postpress_async._sync import Jobs

ROOT = Path(__file__).resolve().parents[2]
# Loaded on first use; nothing in ``import postpress_async`` may pull them in again.
LAZY_MODULES = [
    "cattrs",
    "decimal",
    "orjson",
    "postpress_async._api_response",
    "postpress_async._bulk",
    "postpress_async._bulk_engine",
    "postpress_async._bulk_new_job",
    "postpress_async._bulk_options",
    "postpress_async._bulk_outcomes",
    "postpress_async._bulk_plan",
    "postpress_async._bulk_publish",
    "postpress_async._bulk_stop",
    "postpress_async._event_hooks",
    "postpress_async._events",
    "postpress_async._journal",
    "postpress_async._lifecycle_enums",
    "postpress_async._lifecycle_models",
    "postpress_async._loop_thread",
    "postpress_async._page",
    "postpress_async._search_models",
    "postpress_async._sync",
    "postpress_async._validators",
]


def _fresh(code: str) -> object:
    """Run ``code`` in a new interpreter (this checkout first on the path); it ends by
    printing one JSON value, returned here."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_package_loads_none_of_the_modules_loaded_on_first_use() -> None:
    loaded = _fresh(f"""
        import json, sys
        import postpress_async
        print(json.dumps([name for name in {LAZY_MODULES!r} if name in sys.modules]))
    """)
    assert loaded == []


def test_a_lazy_name_loads_the_module_defining_it_on_first_use() -> None:
    found = _fresh("""
        import json, sys
        import postpress_async
        from postpress_async import NewJob
        print(json.dumps([NewJob.__module__, "postpress_async._bulk_new_job" in sys.modules,
                          "postpress_async._bulk_engine" in sys.modules]))
    """)
    # The class itself, from its own module; the engine waits for a run.
    assert found == ["postpress_async._bulk_new_job", True, False]


def test_every_public_name_imports_in_a_fresh_interpreter() -> None:
    missing = _fresh("""
        import json
        import postpress_async
        namespace = {}
        exec("from postpress_async import *", namespace)
        print(json.dumps([n for n in postpress_async.__all__ if n not in namespace]))
    """)
    assert missing == []


def test_dir_lists_the_lazy_names_before_they_are_used() -> None:
    listed = _fresh("""
        import json
        import postpress_async
        names = dir(postpress_async)
        print(json.dumps(all(n in names for n in ("BulkReport", "NewJob", "Outcome",
                                                   "STOP_SCOPES", "RetryEvent",
                                                   "Postpress"))))
    """)
    assert listed is True


def test_the_first_publish_and_the_first_bulk_run_load_what_they_need() -> None:
    found = _fresh("""
        import json, sys
        from postpress_async import Postpress, PublishRequest
        from postpress_async.testing import MockResponse, MockTransport

        def handler(request):
            return MockResponse(200, json={"object": "LinkedinJobPostingPublished",
                                           "job_id": "1", "job_state": "active"})

        with Postpress(api_key="test", transport=MockTransport(handler)) as client:
            published = client.jobs.publish("d1", account_id="a", mode="free")
            after_publish = "cattrs" in sys.modules
            report = client.jobs.publish_many(
                [PublishRequest("d2", account_id="a", mode="free")], concurrency=1)
        print(json.dumps([published.job_id, after_publish, report.counts["published"],
                          "postpress_async._bulk_engine" in sys.modules]))
    """)
    assert found == ["1", True, 1, True]


def test_raw_responses_hooks_pages_and_lifecycle_checks_load_on_first_use() -> None:
    found = _fresh("""
        import asyncio, json, sys
        from postpress_async import AsyncPostpress, InvalidRequestError
        from postpress_async.testing import MockResponse, MockTransport

        def handler(request):
            if request.method == "GET":
                return MockResponse(200, json={"object": "LinkedinJobPostingList",
                                               "items": [], "cursor": None})
            return MockResponse(200, json={"object": "LinkedinJobPostingPublished",
                                           "job_id": "1", "job_state": "active"})

        def loaded(*names):
            return [f"postpress_async.{name}" in sys.modules for name in names]

        async def main():
            steps = {}
            async with AsyncPostpress(api_key="test", transport=MockTransport(handler)) as client:
                steps["client"] = loaded("_event_hooks", "_api_response", "_page")
                raw = await client.jobs.with_raw_response.publish(
                    "d1", account_id="a", mode="free")
                steps["raw"] = [type(raw).__name__, raw.parse().job_id,
                                "orjson" in sys.modules, *loaded("_api_response")]
                pages = [page async for page in client.jobs.list(account_id="a").pages()]
                steps["page"] = [type(pages[0]).__name__, pages[0].items, *loaded("_page")]
                try:
                    await client.jobs.get("1", account_id="a", service="nope")
                except InvalidRequestError as exc:
                    steps["check"] = [exc.field, *loaded("_validators")]
                steps["hooks"] = [client.event_hooks.request, *loaded("_event_hooks")]
            with_hooks = AsyncPostpress(api_key="test", transport=MockTransport(handler),
                                        event_hooks={"request": [print]})
            steps["given hooks"] = [len(with_hooks.event_hooks.request)]
            await with_hooks.close()
            from postpress_async import Workplace
            steps["enum"] = [Workplace.REMOTE.value, *loaded("_lifecycle_enums")]
            return steps

        print(json.dumps(asyncio.run(main())))
    """)
    assert found == {
        "client": [False, False, False],
        "raw": ["APIResponse", "1", True, True],
        "page": ["Page", [], True],
        "check": ["service", True],
        "hooks": [[], True],
        "given hooks": [1],
        "enum": ["REMOTE", True],
    }


def test_the_default_stop_on_in_signatures_is_the_one_the_engine_uses() -> None:
    default = postpress_async.DEFAULT_STOP_ON
    assert _bulk_stop.DEFAULT_STOP_ON is default
    assert _bulk_options.BulkOptions().stop_on is default
    for method in (AsyncJobs.publish_many, AsyncJobs.iter_publish, Jobs.publish_many):
        assert inspect.signature(method).parameters["stop_on"].default is default
