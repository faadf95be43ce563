"""A bulk create+publish run in its own process, for the SIGKILL test:
``new_job_worker.py BASE_URL JOURNAL N``.

Creates and publishes new jobs ``req-00000``... with a journal; the API key comes from
POSTPRESS_API_KEY. Prints the report's counts as one JSON line when (if) it finishes.
"""

from __future__ import annotations

import asyncio
import json
import sys

from new_job_helpers import new_jobs

from postpress_async import AsyncPostpress
from postpress_async.testing import set_retry_waits


async def main(base_url: str, journal: str, n: int) -> None:
    set_retry_waits(False)
    items = new_jobs([f"req-{i:05d}" for i in range(n)])
    async with AsyncPostpress(base_url=base_url, max_retries=8) as client:
        report = await client.jobs.publish_many(items, concurrency=8, journal=journal)
    print(json.dumps(report.counts), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
