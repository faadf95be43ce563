"""Benchmarks for postpress-async: the SDK's cost against bare aiohttp, httpx and naive wrappers.

Run ``python -m benchmarks`` (or ``nox -s bench``); see ``benchmarks/README.md``.
Each benchmark is a module with ``NAME``, ``SIZES`` and ``run(size) -> dict``;
the registry in :mod:`benchmarks._registry` lists them in running order.
"""
