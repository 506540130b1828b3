"""Entry script for the PyInstaller bundle: the same entry point as the rcs-composer command."""

import sys

from rcs_composer.entry import main

if __name__ == "__main__":
    sys.exit(main())
