"""Profiles: add, edit, remove Kaleyra accounts; keys go to the keyring and never come back."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

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

from rcs_composer.app.connection import ConnectionCheck, check_connection
from rcs_composer.core.issues import Region
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.plain_text import plain_label, plain_text
from rcs_composer.gui.tasks import BackgroundOp, Busy
from rcs_composer.gui.widgets import dialog_buttons, give_labels_mnemonics
from rcs_composer.services.profiles import PODS, Profile
from rcs_composer.services.secrets import KeyringUnavailable, PlaintextKeyring, unusable_character

NEW = "(new profile)"
T = TypeVar("T")


@dataclass(frozen=True)
class Saved:
    """What a save did: the profiles as they now are, and why the key was not stored, if not."""

    profiles: list[Profile]
    key_problem: KeyringUnavailable | None = None


class ProfilesDialog(QDialog):
    """Every keyring and profiles.json call runs on the context's runner, off the GUI thread;
    the dialog shows "Reading…" states meanwhile and keeps the profile list it last read."""

    changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Profiles")
        self.context = context
        self.profiles: dict[str, Profile] = {}
        self.calls = Busy(self)  # this dialog's background calls still in flight
        self.saving = Busy(self)  # a save or a removal is out
        self.testing = Busy(self)  # a connection test of this dialog is out
        self.saving.changed.connect(self.update_buttons)
        self.testing.changed.connect(self.update_buttons)
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
        self.where = plain_label(QLabel("Looking for the keyring…", self))  # a file path
        self.where.setWordWrap(True)
        self.message = plain_label(QLabel("Reading the profiles…", self))
        self.message.setWordWrap(True)
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.setToolTip(
            "Checks the address and the key with one request that sends and changes nothing"
        )
        self.test_button.clicked.connect(self.on_test)
        self.connection = plain_label(QLabel(self))  # a server's answer
        self.connection.setWordWrap(True)
        self.connection.setAccessibleName("Connection test result")
        self.connection.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.connection, 1)
        self.save_button = QPushButton("Save", self)
        self.save_button.clicked.connect(self.on_save)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.on_remove)
        buttons = dialog_buttons(self, self.remove_button, self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.where)
        right.addLayout(test_row)
        right.addWidget(self.message)
        right.addLayout(buttons)
        body = QHBoxLayout(self)
        body.addWidget(self.list, 1)
        body.addLayout(right, 3)
        self.resize(760, 520)
        give_labels_mnemonics(self, set())  # Alt+letter reaches each field
        self.set_editable(False)
        profiles, keys = context.profiles, context.keys
        self.op(
            lambda: (
                profiles.list(),
                keys.plaintext_warning(),
                keys.describe_backend(),
                profiles.load_problem,
            )
        ).on_success(self.on_opened).report_to(
            self.message.setText, "✖ Could not read the profiles: {error}"
        ).run()

    @property
    def busy(self) -> bool:
        """Whether a keyring or profiles.json call of this dialog is still running."""
        return self.calls.active

    def op(self, work: Callable[[], T]) -> BackgroundOp[T]:
        """``work`` on the context's runner, counted in this dialog's ``busy``."""
        return self.context.runner.op(work).busy_while(self.calls)

    def _line(self, form: QFormLayout, key: str, label: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setAccessibleName(label)
        form.addRow(label, field)
        self.fields[key] = field
        return field

    def on_opened(self, found: tuple[list[Profile], str | None, str, str | None]) -> None:
        profiles, plaintext, backend, file_problem = found
        self.where.setText(
            f"⚠ {plaintext}" if plaintext else f"Keys are stored in {backend}, never in a file."
        )
        self.show_list(profiles)
        # What reading profiles.json found (an entry skipped, a file moved aside) stays in view.
        self.message.setText(f"⚠ {file_problem}" if file_problem else "")

    def show_list(self, profiles: list[Profile], select: str | None = None) -> None:
        """Show ``profiles`` (as just read in the background) and select one of them."""
        self.profiles = {profile.name: profile for profile in profiles}
        self.list.blockSignals(True)
        self.list.clear()
        for profile in profiles:
            self.list.addItem(profile.name)
        self.list.addItem(NEW)
        self.list.blockSignals(False)
        matches = self.list.findItems(select or NEW, Qt.MatchFlag.MatchExactly)
        self.list.setCurrentItem(matches[0] if matches else self.list.item(0))
        self.show_profile(self.list.currentItem().text())

    def set_editable(self, editable: bool) -> None:
        for widget in [*self.fields.values(), self.pod, self.region, self.verified, self.key]:
            widget.setEnabled(editable)
        self.update_buttons()

    def update_buttons(self) -> None:
        """Save and Remove are off for the sandbox, before the list is read, and mid-save."""
        item = self.list.currentItem()
        known = self.profiles.get(item.text()) if item is not None else None
        builtin = known is not None and known.is_sandbox
        self.save_button.setEnabled(bool(self.profiles) and not builtin and not self.saving)
        self.test_button.setEnabled(bool(self.profiles) and not self.testing)
        self.remove_button.setEnabled(known is not None and not builtin and not self.saving)

    def show_profile(self, name: str) -> None:
        known = self.profiles.get(name)
        profile = known if known is not None and name != NEW else Profile(name="")
        for key, field in self.fields.items():
            field.setText(str(getattr(profile, key)))
        self.pod.setCurrentText(profile.pod)
        self.region.setCurrentText(profile.region.value)
        self.verified.setChecked(profile.verified)
        self.key.clear()
        if not self.testing:
            self.connection.clear()
        builtin = profile.is_sandbox
        self.set_editable(not builtin)
        if builtin:
            self.key_state.setText(
                "The built-in sandbox needs no key: sends are simulated on this computer."
            )
            return
        self.key.setPlaceholderText("paste the API key")
        if known is None:
            self.key_state.setText("No key stored yet.")
            return
        self.key_state.setText("Looking in the keyring…")
        keys = self.context.keys
        # Only whether there is one: the key stays there.
        self.op(lambda: bool(keys.get(name))).on_success(
            lambda stored: self.show_key_state(name, stored)
        ).on_failure(lambda error: self.show_key_problem(name, error)).run()

    def show_key_state(self, name: str, stored: bool) -> None:
        if name != self.current_name():
            return  # the user has moved on to another profile
        self.key.setPlaceholderText(
            "•••••••• (stored; type to replace it)" if stored else "paste the API key"
        )
        self.key_state.setText(
            "A key is stored for this profile. It is never shown again."
            if stored
            else "No key stored yet."
        )

    def show_key_problem(self, name: str, error: BaseException) -> None:
        if name == self.current_name():
            self.key_state.setText(f"⚠ {error}")

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.text() == NEW else item.text()

    def on_save(self) -> None:
        if self.saving:
            return
        profile = self.profile_from_fields()
        key = self.key.text().strip()
        unusable = unusable_character(key)
        if unusable:  # nothing is saved: the field keeps the paste, to be done again
            self.message.setText(f"✖ Not saved: the API key cannot be used: {unusable}.")
            self.key.setFocus()
            return
        self.key.clear()
        replacing = self.current_name()
        profiles, keys = self.context.profiles, self.context.keys

        def work() -> Saved:
            key_problem: KeyringUnavailable | None = None
            try:
                profiles.save(profile, replacing=replacing)  # a ProfileError saves nothing
                if key:
                    keys.set(profile.name, key)
            except KeyringUnavailable as exc:  # the profile is saved; the key is not
                key_problem = exc
            return Saved(profiles.list(), key_problem)

        self.message.setText(f"Saving {profile.name}…")
        self.op(work).on_success(lambda saved: self.on_saved(profile.name, key, saved)).on_failure(
            self.on_failed
        ).busy_while(self.saving).run()

    def profile_from_fields(self) -> Profile:
        """The profile as the fields show it now, saved or not."""
        return Profile(
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

    # ------------------------------------------------------------ connection test

    def on_test(self) -> None:
        """Test the profile as the fields show it (edits not saved yet included), with the key
        typed in the field or else the stored one; on the runner, never on the GUI thread."""
        if self.testing or not self.profiles:
            return
        item = self.list.currentItem()
        known = self.profiles.get(item.text()) if item is not None else None
        if known is not None and known.is_sandbox:
            profile = known
        else:
            fields = self.profile_from_fields()
            # The stored key is filed under the saved name, whatever the name field says now.
            profile = dataclasses.replace(fields, name=self.current_name() or fields.name)
        typed = self.key.text().strip() or None
        if typed is None and not profile.is_sandbox and self.current_name() is None:
            self.connection.setText("✖ Paste the API key first: a new profile has none stored.")
            return
        services = self.context.services
        self.connection.setText(f"Testing {profile.name or 'the new profile'}…")
        self.connection.setToolTip("")
        self.op(lambda: check_connection(services, profile, typed)).on_success(
            lambda check: self.on_tested(profile.name, check)
        ).on_failure(self.on_test_failed).busy_while(self.testing).run()

    def on_tested(self, name: str, check: ConnectionCheck) -> None:
        shown = self.current_name() or self.name.text().strip()
        prefix = "" if name == shown else f"{name or 'The new profile'}: "
        self.connection.setText(("✔ " if check.ok else "✖ ") + prefix + check.message)
        self.connection.setToolTip(check.details)

    def on_test_failed(self, error: BaseException) -> None:
        self.connection.setText(f"✖ The test could not run: {error}")

    def on_saved(self, name: str, key: str, saved: Saved) -> None:
        problem = saved.key_problem
        if isinstance(problem, PlaintextKeyring) and self.confirm_plaintext(problem):
            keys = self.context.keys
            self.op(lambda: keys.set(name, key, allow_plaintext=True)).on_success(
                lambda _none: self.on_saved(name, key, Saved(saved.profiles))
            ).on_failure(
                lambda error: self.on_saved(name, key, Saved(saved.profiles, _unavailable(error)))
            ).busy_while(self.saving).run()
            return
        self.message.setText(
            f"Profile saved, but the key was not: {problem}" if problem else f"✔ Saved {name}."
        )
        self.show_list(saved.profiles, name)
        self.changed.emit()

    def confirm_plaintext(self, refused: PlaintextKeyring) -> bool:
        """A keyring that is only a file gets a key only after the user's explicit yes."""
        answer = QMessageBox.warning(
            self,
            "The key would be stored in a file",
            plain_text(f"{refused.warning}\n\nStore the API key in that file anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def on_failed(self, error: BaseException) -> None:
        self.message.setText(f"✖ {error}")

    def on_remove(self) -> None:
        name = self.current_name()
        if not name or self.saving:
            return
        profiles = self.context.profiles

        def work() -> list[Profile]:
            profiles.remove(name)
            return profiles.list()

        self.message.setText(f"Removing {name}…")
        self.op(work).on_success(lambda left: self.on_removed(name, left)).on_failure(
            self.on_failed
        ).busy_while(self.saving).run()

    def on_removed(self, name: str, profiles: list[Profile]) -> None:
        self.message.setText(f"Removed {name} and its key.")
        self.show_list(profiles)
        self.changed.emit()


def _unavailable(error: BaseException) -> KeyringUnavailable:
    return error if isinstance(error, KeyringUnavailable) else KeyringUnavailable(str(error))
