"""A many-account bulk run in its own process, for the SIGKILL test:
``accounts_worker.py BASE_URL JOURNAL PER_ACCOUNT``.

Publishes the drafts of 20 accounts (``acc_1``..``acc_20``, interleaved; ``acc_12``'s every
other draft promoted) with a journal, per-account limits and the health check; the API
key comes from POSTPRESS_API_KEY. Prints the report's counts as one JSON line at the end.
"""

from __future__ import annotations

import asyncio
import json
import sys

from postpress_async import AsyncPostpress, PublishRequest
from postpress_async.testing import set_retry_waits

ACCOUNTS = [f"acc_{i}" for i in range(1, 21)]


async def main(base_url: str, journal: str, per_account: int) -> None:
    set_retry_waits(False)
    requests = (
        PublishRequest(
            f"{account_id}-d{i:04d}",
            account_id=account_id,
            mode="PROMOTED" if account_id == "acc_12" and i % 2 else "FREE",
        )
        for i in range(per_account)
        for account_id in ACCOUNTS
    )
    async with AsyncPostpress(base_url=base_url, max_retries=8) as client:
        report = await client.jobs.publish_many(
            requests,
            concurrency=16,
            per_account_concurrency=2,
            per_account_rate=200,
            check_accounts=True,
            journal=journal,
        )
    print(json.dumps(report.counts), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
