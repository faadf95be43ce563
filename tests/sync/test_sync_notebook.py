"""A real notebook: ``nbclient`` runs cells in an ``ipykernel`` (whose own event loop is running)
that construct ``Postpress``, publish, rebind the client and collect it, with no warnings."""

from __future__ import annotations

import pytest

from .sync_helpers import API_KEY, ServerThread

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
kernelspec = pytest.importorskip("jupyter_client.kernelspec")

KERNEL = "python3"


@pytest.fixture(scope="module")
def kernel_name() -> str:
    """The ``python3`` kernel of this interpreter (ipykernel ships it; install it if missing)."""
    if KERNEL not in kernelspec.KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(user=True)
    return KERNEL


def _cells(base_url: str) -> list[str]:
    return [
        # Show every warning, ResourceWarning included (it is hidden by default).
        "import gc, warnings\n"
        "warnings.simplefilter('always')\n"
        "from postpress_async import Postpress",
        # The cell itself runs while the kernel's event loop is running.
        "import asyncio\n"
        "asyncio.get_running_loop() is not None",
        f"client = Postpress({API_KEY!r}, base_url={base_url!r})\n"
        "print(client.jobs.publish('nb-1', account_id='acc', mode='FREE').job_id)",
        # Re-running a cell that rebinds the name drops the first client.
        f"client = Postpress({API_KEY!r}, base_url={base_url!r})\n"
        "print(client.jobs.publish('nb-2', account_id='acc', mode='FREE').job_id)",
        "del client\n"
        "print(gc.collect() >= 0)",
    ]


def _texts(cell: dict[str, object], stream: str) -> str:
    outputs = cell["outputs"]
    assert isinstance(outputs, list)
    return "".join(
        o["text"] for o in outputs if o["output_type"] == "stream" and o["name"] == stream
    )


def test_notebook_publishes_rebinds_and_collects_without_warnings(
    server: ServerThread, kernel_name: str, tmp_path: object
) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in _cells(server.base_url)]
    client = nbclient.NotebookClient(
        notebook,
        kernel_name=kernel_name,
        timeout=30,
        startup_timeout=30,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()

    cells = notebook.cells
    for cell in cells:
        assert [o for o in cell["outputs"] if o["output_type"] == "error"] == []
        assert _texts(cell, "stderr") == "", cell["source"]
    assert cells[1]["outputs"][0]["data"]["text/plain"] == "True"
    assert [_texts(cell, "stdout") for cell in cells[2:]] == ["nb-1\n", "nb-2\n", "True\n"]
    assert server.requests == ["publish nb-1", "publish nb-2"]
