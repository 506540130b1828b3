"""The desktop window: the only package that imports PySide6."""

from rcs_composer.gui import import_scan  # before PySide6, so the hook never reads it

import_scan.skip_source_scans()
