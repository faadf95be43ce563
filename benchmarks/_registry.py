"""The benchmarks in running order: name -> module with ``run(size)``, ``SIZES``, ``COLUMNS``."""

from __future__ import annotations

from types import ModuleType

from . import bulk, import_time, models, overhead, pager, sync_facade

BENCHMARKS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (overhead, bulk, sync_facade, import_time, models, pager)
}
