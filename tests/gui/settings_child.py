"""Writes window settings and profiles in a tight loop until killed (crash-safety test)."""

import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["RCS_COMPOSER_CONFIG_DIR"] = sys.argv[1]

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

from rcs_composer.gui.app import configure_settings
from rcs_composer.services.profiles import Profile, ProfileStore
from tests.support.memory_keyring import MemoryKeyring


def main() -> None:
    app = QCoreApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("rcs-composer")
    QCoreApplication.setApplicationName("rcs-composer")
    configure_settings()
    from rcs_composer.services.secrets import KeyStore

    store = ProfileStore(Path(sys.argv[1]), KeyStore(MemoryKeyring()))
    settings = QSettings()
    print("ready", flush=True)
    counter = 0
    while True:
        counter += 1
        settings.setValue("window/geometry", QByteArray(os.urandom(64 + counter % 500)))
        settings.setValue("profile", f"acme{counter % 3}")
        settings.sync()
        store.save(
            Profile(name=f"acme{counter % 3}", sid=f"SID{counter}", sender="s"),
            replacing=f"acme{counter % 3}",
        )
    del app


if __name__ == "__main__":
    main()
