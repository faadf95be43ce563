"""A real proxy server (proxy.py from PyPI) in a subprocess, and a tap in front of it.

``ProxyServer`` starts ``proxy`` on 127.0.0.1 with an ephemeral port (read back from its
``--port-file``), optionally with ``--basic-auth``, and waits (bounded) until it accepts
connections. ``Tap`` is a TCP relay placed between the client and the proxy: it records
every byte the client sends, which is exactly what the proxy can read.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

# Proxy credentials in the tests: distinctive, so a leak is found by a substring search.
PROXY_USER = "proxyuser"
PROXY_PASSWORD = "pr0xy-PaSsW0rd-42"

_READY_WITHIN = 20.0  # seconds; proxy.py starts in about one


def _command() -> list[str]:
    # The console script where installed; the module otherwise (same interpreter).
    script = shutil.which("proxy")
    return [script] if script else [sys.executable, "-m", "proxy"]


class ProxyServer:
    """One proxy.py process on 127.0.0.1; ``url`` is ``http://127.0.0.1:PORT``."""

    def __init__(self, workdir: Path, *, basic_auth: str | None = None) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self._port_file = workdir / "port"
        args = [
            *_command(),
            "--hostname", "127.0.0.1",
            "--port", "0",
            "--port-file", str(self._port_file),
            "--num-workers", "1",
            "--num-acceptors", "1",
            "--data-dir", str(workdir / "data"),
            "--log-level", "ERROR",
        ]
        if basic_auth is not None:
            args += ["--basic-auth", basic_auth]
        self._log = (workdir / "proxy.log").open("wb")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT)
        self.port = 0

    def wait_ready(self) -> None:
        """Until the port file names a port that accepts connections (bounded)."""
        deadline = time.monotonic() + _READY_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"proxy.py exited with {self.process.returncode}")
            text = self._port_file.read_text().strip() if self._port_file.exists() else ""
            if text.isdigit():
                with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", int(text)), timeout=1
                ):
                    self.port = int(text)
                    return
            time.sleep(0.05)
        raise RuntimeError(f"proxy.py did not accept connections within {_READY_WITHIN}s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_with(self, user: str, password: str) -> str:
        return f"http://{user}:{password}@127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()


class Tap:
    """A relay on 127.0.0.1 in front of ``target_port``, recording what clients send."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.received = bytearray()
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)

    async def _relay(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.connections += 1
        proxy_r, proxy_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers += [client_w, proxy_w]

        async def pipe(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: bool
        ) -> None:
            with contextlib.suppress(OSError, asyncio.TimeoutError):
                # Bounded: an idle connection ends after a while instead of hanging.
                while data := await asyncio.wait_for(reader.read(65536), timeout=15):
                    if record:
                        self.received += data
                    writer.write(data)
                    await writer.drain()
            writer.close()

        await asyncio.gather(pipe(client_r, proxy_w, True), pipe(proxy_r, client_w, False))

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in self._writers:
                writer.close()
            await self._server.wait_closed()
