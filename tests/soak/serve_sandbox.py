"""Runs a sandbox with soak faults in its own process, so the soak measures the client alone.

``python tests/soak/serve_sandbox.py --seed N`` prints ``ROOT <url>`` and ``BASE <url>`` once
listening and serves until its stdin closes, so it never outlives the soak.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from postpress_async.sandbox import Faults, Sandbox

# Retryable faults (retried by the SDK), commit-then-fail (the publish happened, the client
# sees a 504: the exactly-once path) and dropped connections (fate unknown to the client).
SOAK_FAULTS = Faults(
    provider_error=0.02,
    service_unavailable=0.02,
    request_timeout=0.02,
    commit_then_fail=0.02,
    drop_connection=0.005,
    latency=(0.0, 0.002),
)
SOAK_API_KEY = "pp_test_soak_key"


async def _serve(seed: int) -> None:
    async with Sandbox(faults=SOAK_FAULTS, seed=seed, api_key=SOAK_API_KEY) as sandbox:
        print(f"ROOT {sandbox.root_url}", flush=True)
        print(f"BASE {sandbox.base_url}", flush=True)
        loop = asyncio.get_running_loop()
        stdin_closed = loop.create_future()

        def on_stdin() -> None:
            if not os.read(sys.stdin.fileno(), 4096) and not stdin_closed.done():
                stdin_closed.set_result(None)

        loop.add_reader(sys.stdin.fileno(), on_stdin)
        try:
            await stdin_closed
        finally:
            loop.remove_reader(sys.stdin.fileno())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    asyncio.run(_serve(parser.parse_args().seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
