"""``python -m lexsim``: the same as the ``lexsim`` command."""

from .cli import main

raise SystemExit(main())
