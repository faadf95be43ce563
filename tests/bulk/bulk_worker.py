"""A bulk run in its own process, for the SIGKILL test: ``bulk_worker.py BASE_URL JOURNAL N``.

Publishes drafts ``d00000``... with a journal; the API key comes from POSTPRESS_API_KEY.
Prints the report's counts as one JSON line when (if) it finishes.
"""

from __future__ import annotations

import asyncio
import json
import sys

from postpress_async import AsyncPostpress, PublishRequest
from postpress_async.testing import set_retry_waits


async def main(base_url: str, journal: str, n: int) -> None:
    set_retry_waits(False)
    requests = (PublishRequest(f"d{i:05d}", account_id="acc_1", mode="FREE") for i in range(n))
    async with AsyncPostpress(base_url=base_url, max_retries=8) as client:
        report = await client.jobs.publish_many(requests, concurrency=8, journal=journal)
    print(json.dumps(report.counts), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
