"""``POSTPRESS_LOG=info|debug``: the SDK's logging to stderr without a line of code.

Like ``OPENAI_LOG``: read once, when ``postpress_async`` is imported. Every record the SDK
emits carries structured fields in ``extra`` (``method``, ``path``, ``status``,
``attempt``, ``request_id``, ``elapsed_ms``, ``draft_id``/``job_id`` where known), which
JSON formatters and structlog pick up. Records never hold the API key or a password.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from typing import Final

__all__ = ["LOG_ENV", "configure_from_environment"]

LOG_ENV: Final = "POSTPRESS_LOG"
_LEVELS: Final = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler ``POSTPRESS_LOG`` installs (a class of its own, so it is found again)."""


def configure_from_environment() -> None:
    """Send the ``postpress_async`` logger to stderr at the level ``$POSTPRESS_LOG`` names."""
    value = os.environ.get(LOG_ENV, "").strip().lower()
    if not value:
        return
    level = _LEVELS.get(value)
    if level is None:
        warnings.warn(
            f"{LOG_ENV}={value!r} is not one of {', '.join(_LEVELS)}; ignored", stacklevel=2
        )
        return
    logger = logging.getLogger("postpress_async")
    if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
        handler = _StderrHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        logger.addHandler(handler)
    logger.setLevel(level)
