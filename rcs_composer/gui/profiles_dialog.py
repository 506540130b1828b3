"""Profiles: add, edit, remove Kaleyra accounts; keys go to the keyring and never come back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core.issues import Region
from rcs_composer.gui.session import AppSession
from rcs_composer.gui.widgets import dialog_buttons
from rcs_composer.services.profiles import PODS, Profile, ProfileError
from rcs_composer.services.secrets import KeyringUnavailable, PlaintextKeyring

NEW = "(new profile)"


class ProfilesDialog(QDialog):
    changed = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Profiles")
        self.session = session
        self.list = QListWidget(self)
        self.list.setAccessibleName("Profiles")
        self.list.currentTextChanged.connect(self.show_profile)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        self.name = self._line(form, "name", "Name")
        self.pod = QComboBox(self)
        self.pod.addItems(list(PODS))
        self.pod.setAccessibleName("Pod")
        form.addRow("Pod", self.pod)
        self.base_url = self._line(form, "base_url", "Base URL (custom pod)")
        self.sid = self._line(form, "sid", "SID")
        self.sender_field = self._line(form, "sender", "Sender (from)")
        self.agent_number = self._line(form, "agent_number", "Agent number")
        self.region = QComboBox(self)
        self.region.addItems([region.value for region in Region])
        self.region.setAccessibleName("Region")
        form.addRow("Region", self.region)
        self.agent_name = self._line(form, "agent_name", "Agent name (preview)")
        self.logo_url = self._line(form, "logo_url", "Logo URL (preview)")
        self.brand_color = self._line(form, "brand_color", "Brand colour (preview)")
        self.verified = QCheckBox("Verified agent (preview badge)", self)
        form.addRow("", self.verified)
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("API key")
        self.key_state = QLabel(self)
        self.key_state.setWordWrap(True)
        form.addRow("API key", self.key)
        form.addRow("", self.key_state)
        plaintext = session.keys.plaintext_warning()
        self.where = QLabel(
            f"⚠ {plaintext}"
            if plaintext
            else f"Keys are stored in {session.keys.describe_backend()}, never in a file.",
            self,
        )
        self.where.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.save_button = QPushButton("Save", self)
        self.save_button.clicked.connect(self.on_save)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.on_remove)
        buttons = dialog_buttons(self, self.remove_button, self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.where)
        right.addWidget(self.message)
        right.addLayout(buttons)
        body = QHBoxLayout(self)
        body.addWidget(self.list, 1)
        body.addLayout(right, 3)
        self.resize(760, 520)
        self.reload()

    def _line(self, form: QFormLayout, key: str, label: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setAccessibleName(label)
        form.addRow(label, field)
        self.fields[key] = field
        return field

    def reload(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for profile in self.session.profiles.list():
            self.list.addItem(profile.name)
        self.list.addItem(NEW)
        self.list.blockSignals(False)
        matches = self.list.findItems(select or NEW, Qt.MatchFlag.MatchExactly)
        self.list.setCurrentItem(matches[0] if matches else self.list.item(0))
        self.show_profile(self.list.currentItem().text())

    def show_profile(self, name: str) -> None:
        profile = Profile(name="") if name == NEW or not name else self.session.profiles.get(name)
        for key, field in self.fields.items():
            field.setText(str(getattr(profile, key)))
        self.pod.setCurrentText(profile.pod)
        self.region.setCurrentText(profile.region.value)
        self.verified.setChecked(profile.verified)
        self.key.clear()
        builtin = profile.is_sandbox
        for widget in [
            *self.fields.values(),
            self.pod,
            self.region,
            self.verified,
            self.key,
            self.save_button,
            self.remove_button,
        ]:
            widget.setEnabled(not builtin)
        self.remove_button.setEnabled(not builtin and name != NEW)
        if builtin:
            self.key_state.setText(
                "The built-in sandbox needs no key: sends are simulated on this computer."
            )
            return
        try:
            stored = bool(name != NEW and self.session.keys.get(name))
        except KeyringUnavailable as exc:
            self.key_state.setText(f"⚠ {exc}")
            return
        self.key.setPlaceholderText(
            "•••••••• (stored; type to replace it)" if stored else "paste the API key"
        )
        self.key_state.setText(
            "A key is stored for this profile. It is never shown again."
            if stored
            else "No key stored yet."
        )

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.text() == NEW else item.text()

    def on_save(self) -> None:
        profile = Profile(
            name=self.name.text().strip(),
            pod=self.pod.currentText(),
            base_url=self.base_url.text().strip(),
            sid=self.sid.text().strip(),
            sender=self.sender_field.text().strip(),
            agent_number=self.agent_number.text().strip(),
            region=Region(self.region.currentText()),
            agent_name=self.agent_name.text().strip(),
            logo_url=self.logo_url.text().strip(),
            brand_color=self.brand_color.text().strip() or "#1A73E8",
            verified=self.verified.isChecked(),
        )
        key = self.key.text()
        try:
            self.session.profiles.save(profile, replacing=self.current_name())
            if key.strip():
                self.store_key(profile.name, key)
        except ProfileError as exc:
            self.message.setText(f"✖ {exc}")
            return
        except KeyringUnavailable as exc:
            self.message.setText(f"Profile saved, but the key was not: {exc}")
            self.reload(profile.name)
            return
        finally:
            self.key.clear()
        self.message.setText(f"✔ Saved {profile.name}.")
        self.reload(profile.name)
        self.changed.emit()

    def store_key(self, name: str, key: str) -> None:
        """Into the keyring; a keyring that is only a file needs the user's explicit yes."""
        try:
            self.session.keys.set(name, key)
        except PlaintextKeyring as refused:
            answer = QMessageBox.warning(
                self,
                "The key would be stored in a file",
                f"{refused.warning}\n\nStore the API key in that file anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise
            self.session.keys.set(name, key, allow_plaintext=True)

    def on_remove(self) -> None:
        name = self.current_name()
        if not name:
            return
        try:
            self.session.profiles.remove(name)
        except (ProfileError, KeyringUnavailable) as exc:
            self.message.setText(f"✖ {exc}")
            return
        self.message.setText(f"Removed {name} and its key.")
        self.reload()
        self.changed.emit()
