"""``python -m postpress_async``: the ``postpress`` command line."""

from postpress_async._cli import main

raise SystemExit(main())
