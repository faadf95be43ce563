"""Running ``postpress`` as a subprocess against a sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from postpress_async.sandbox import SandboxThread

COMMAND = [sys.executable, "-m", "postpress_async"]


def cli_env(sandbox: SandboxThread | None, **extra: str) -> dict[str, str]:
    """The environment of a CLI run: the sandbox's key and URL, no inherited ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTPRESS_")}
    if sandbox is not None:
        env["POSTPRESS_API_KEY"] = sandbox.api_key
        env["POSTPRESS_BASE_URL"] = sandbox.base_url
    env.update(extra)
    return env


def run_cli(
    *args: str, sandbox: SandboxThread | None, cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    """``postpress ARGS...`` to completion (stdout and stderr captured as text)."""
    return subprocess.run(
        [*COMMAND, *args],
        env=cli_env(sandbox, **env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def json_out(result: subprocess.CompletedProcess[str]) -> Any:
    """The one JSON document a ``--json`` run printed."""
    return json.loads(result.stdout)
