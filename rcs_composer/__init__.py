"""rcs-composer: compose, preview, test and template RCS Business Messaging content for Kaleyra."""

__version__ = "0.1.0"
APP_NAME = "rcs-composer"
