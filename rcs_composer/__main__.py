"""``python -m rcs_composer`` runs the same entry point as the ``rcs-composer`` command."""

from rcs_composer.entry import main

raise SystemExit(main())
