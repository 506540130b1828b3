"""The fields of one suggestion, the right ones for its kind (reply, open URL, dial, ...)."""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QMenuBar,
    QPushButton,
    QRadioButton,
    QWidget,
)

from rcs_composer.core import model as m
from rcs_composer.core.field_paths import FieldPath
from rcs_composer.core.message_schemas import ACTIONS
from rcs_composer.core.rules import RULES
from rcs_composer.gui.editors.fields import (
    FieldRegistry,
    MomentField,
    NumberField,
    TextField,
    commit,
    format_number,
)
from rcs_composer.gui.editors.suggestion_kinds import kind_name
from rcs_composer.gui.widgets import mnemonic

if TYPE_CHECKING:
    from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor


def _chain_to(widget: QWidget, top: QWidget) -> list[QWidget]:
    """``widget`` and its parents up to (not including) ``top``."""
    chain = []
    current: QWidget | None = widget
    while current is not None and current is not top:
        chain.append(current)
        current = current.parentWidget()
    return chain


# The key an action is stored under on the wire, from the schema: OpenUrl -> openUrlAction.
ACTION_KEYS: dict[type, str] = {
    variant.model: variant.key for variant in ACTIONS if variant.model is not None
}


def mnemonic_letter(text: str) -> str | None:
    """The Alt+letter ``text`` gives ("&Title" -> "t"), if any ("&&" is a plain ampersand)."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else None


def menu_letters(window: QWidget) -> set[str]:
    """The Alt+letters of the menus in ``window``'s menu bar."""
    texts = [action.text() for bar in window.findChildren(QMenuBar) for action in bar.actions()]
    return {letter for letter in map(mnemonic_letter, texts) if letter is not None}


def letters_in_use(window: QWidget) -> set[str]:
    """The Alt+letters a user can press in ``window`` now: its menus' and those of the
    labels and buttons it shows (a hidden page's letters do not fire, so they are free)."""
    taken = menu_letters(window)
    shown: list[QAbstractButton | QLabel] = [
        *window.findChildren(QAbstractButton),
        *window.findChildren(QLabel),
    ]
    texts = [widget.text() for widget in shown if widget.isVisibleTo(window)]
    for text in texts:
        letter = mnemonic_letter(text)
        if letter is not None:
            taken.add(letter)
    return taken


class SuggestionDetail(QWidget):
    """The fields of one suggestion; the right ones for its kind."""

    def __init__(self, owner: SuggestionListEditor) -> None:
        super().__init__(owner)
        self.owner = owner
        self.kind = QLabel(self)
        self.text = TextField(
            "Label", limit=RULES["suggestion.text.too_long"].limit(None), parent=self
        )
        self.postback = TextField(
            "Postback data", limit=RULES["suggestion.postback.long"].limit(None), parent=self
        )
        self.button_id = TextField("Button id (optional)", parent=self)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 4, 0, 0)
        self.rows: dict[str, list[QWidget]] = {}
        self._lettered: set[str] = set()  # the kinds whose labels have their Alt+letters
        # A location's last state in each mode (True: coordinates) while it is shown, so
        # switching mode and back brings back what was typed; only the shown mode is sent.
        self._kept_at: FieldPath | None = None
        self._location_kept: dict[bool, m.ViewLocation] = {}
        self._add_rows(
            "common",
            [(None, self.kind), (None, self.text), (None, self.postback), (None, self.button_id)],
        )
        self.text.edited.connect(
            lambda value: self.edit_chip("text", value or None, "Edit suggestion label")
        )
        self.postback.edited.connect(
            lambda value: self.edit_chip("postbackData", value or None, "Edit postback data")
        )
        self.button_id.edited.connect(
            lambda value: self.edit_chip("buttonId", value or None, "Edit button id")
        )
        self.slot: m.SuggestionSlot | None = None
        self.path: FieldPath | None = None  # the chip shown: ...suggestions[i].reply/action

    def _add_rows(self, kind: str, rows: list[tuple[str | None, QWidget]]) -> None:
        for label, widget in rows:
            if label is None:
                self.form.addRow(widget)
            else:
                self.form.addRow(label, widget)
        self.rows[kind] = [widget for _, widget in rows]
        if kind != "common":
            self._follow_common_rows(self.rows[kind])

    def _focusable(self, widgets: list[QWidget]) -> list[QWidget]:
        """The widgets in ``widgets`` (and inside them) that Tab reaches, top to bottom; a
        calendar in a pop-up menu is a window of its own and not in the form's order."""
        found = []
        for widget in widgets:
            for inner in [widget, *widget.findChildren(QWidget)]:
                if inner.focusPolicy() & Qt.FocusPolicy.TabFocus and not any(
                    part.isWindow() for part in _chain_to(inner, self)
                ):
                    found.append(inner)
        return found

    def _follow_common_rows(self, widgets: list[QWidget]) -> None:
        """A kind's fields, built when first shown, come in the Tab order right after the
        common fields above them (a widget built later would otherwise come last in the
        window, after the problems and the toolbar)."""
        common = self._focusable(self.rows["common"])
        if not common:
            return
        previous = common[-1]
        for widget in self._focusable(widgets):
            QWidget.setTabOrder(previous, widget)
            previous = widget

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._letter_shown_fields()

    def _letter_shown_fields(self) -> None:
        """Alt+letters for the fields shown, once they are on screen: a page being built
        gives its own labels theirs first, and what its window shows is known."""
        if self.slot is not None and self.isVisible():
            self._give_mnemonics("common")
            self._give_mnemonics(kind_name(self.slot.suggestion))

    def _give_mnemonics(self, kind: str) -> None:
        """The labels of ``kind``'s fields get an Alt+letter when first shown, one no label,
        button or menu shown in the window already uses (a page gives its own labels theirs
        when it is built; the chip list and the fields built later are not in a page's)."""
        if kind in self._lettered or kind not in self.rows:
            return
        self._lettered.add(kind)
        targets: list[QLabel | QAbstractButton] = []
        for widget in self.rows[kind]:
            label = (
                widget.label if isinstance(widget, TextField) else self.form.labelForField(widget)
            )
            if isinstance(label, QLabel) and label.buddy() is not None:
                targets.append(label)
            if isinstance(widget, QRadioButton | QPushButton):
                targets.append(widget)
        if not any("&" not in target.text() for target in targets):
            return
        taken = letters_in_use(self.window())
        # When every letter of a label is in use elsewhere, it shares one with a field outside
        # this list (not the menus'): pressing it again moves on to the next field with it.
        near = menu_letters(self.window()) | letters_in_use(self.owner)
        for target in targets:
            if "&" not in target.text():
                text = mnemonic(target.text(), taken)
                if "&" not in text:
                    text = mnemonic(target.text(), near)
                near.add(mnemonic_letter(text) or "")
                target.setText(text)

    def ensure_kind(self, kind: str) -> None:
        """Build the fields of ``kind`` the first time a suggestion of that kind is shown."""
        if kind not in self.rows:
            builder = {
                "Reply": self._build_reply,
                "Open URL": self._build_open_url,
                "Dial": self._build_dial,
                "View location": self._build_location,
                "Calendar event": self._build_calendar,
            }.get(kind)
            if builder is None:
                self.rows[kind] = []
            else:
                builder()

    def _build_reply(self) -> None:
        self.reply_url_note = QLabel(self)
        self.reply_url_note.setWordWrap(True)
        self.convert_button = QPushButton("Make it an Open URL action", self)
        self.convert_button.setAccessibleName("Convert reply URL into an Open URL action")
        self.convert_button.clicked.connect(self.convert_reply_url)
        self._add_rows("Reply", [(None, self.reply_url_note), (None, self.convert_button)])

    def _build_open_url(self) -> None:
        self.url = TextField("URL", placeholder="https://", parent=self)
        self.application = QComboBox(self)
        self.application.addItems(["(not set)", "BROWSER", "WEBVIEW"])
        self.application.setAccessibleName("Open in")
        self.webview_mode = QComboBox(self)
        self.webview_mode.addItems(["(not set)", "FULL", "HALF", "TALL"])
        self.webview_mode.setAccessibleName("Webview mode")
        self.url_description = TextField("Description (optional)", parent=self)
        self._add_rows(
            "Open URL",
            [
                (None, self.url),
                ("Open in", self.application),
                ("Webview mode", self.webview_mode),
                (None, self.url_description),
            ],
        )
        self.url.edited.connect(lambda value: self.edit_action("url", value or None, "Edit URL"))
        self.url_description.edited.connect(
            lambda value: self.edit_action("description", value or None, "Edit URL description")
        )
        self.application.activated.connect(self.on_application)
        self.webview_mode.activated.connect(
            lambda index: self.edit_action(
                "webviewViewMode",
                m.WebviewMode(self.webview_mode.itemText(index)) if index else None,
                "Set webview mode",
            )
        )

    def _build_dial(self) -> None:
        self.phone = TextField("Phone number", placeholder="+91 98765 43210", parent=self)
        self._add_rows("Dial", [(None, self.phone)])
        self.phone.edited.connect(
            lambda value: self.edit_action("phoneNumber", value or None, "Edit phone number")
        )

    def _build_location(self) -> None:
        self.by_coordinates = QRadioButton("Latitude and longitude", self)
        self.by_query = QRadioButton("Search query", self)
        group = QButtonGroup(self)
        group.addButton(self.by_coordinates)
        group.addButton(self.by_query)
        self.latitude = NumberField("Latitude (-90 to 90)", placeholder="e.g. 12.9716", parent=self)
        self.longitude = NumberField(
            "Longitude (-180 to 180)", placeholder="e.g. 77.5946", parent=self
        )
        self.label = TextField(
            "Location label (optional)",
            limit=RULES["location.label.too_long"].limit(None),
            parent=self,
        )
        self.query = TextField(
            "Query", limit=RULES["location.query.too_long"].limit(None), parent=self
        )
        self._add_rows(
            "View location",
            [
                (None, self.by_coordinates),
                (None, self.by_query),
                (None, self.latitude),
                (None, self.longitude),
                (None, self.label),
                (None, self.query),
            ],
        )
        self.by_coordinates.clicked.connect(lambda: self.location_mode(True))
        self.by_query.clicked.connect(lambda: self.location_mode(False))
        self.latitude.number_edited.connect(lambda value: self.edit_lat_long("latitude", value))
        self.longitude.number_edited.connect(lambda value: self.edit_lat_long("longitude", value))
        self.latitude.pair_entered.connect(partial(self.edit_pair, self.latitude))
        self.longitude.pair_entered.connect(partial(self.edit_pair, self.longitude))
        self.label.edited.connect(
            lambda value: self.edit_action("label", value or None, "Edit location label")
        )
        self.query.edited.connect(
            lambda value: self.edit_action("query", value or None, "Edit location query")
        )

    def _build_calendar(self) -> None:
        self.start = MomentField("Starts (UTC)", parent=self)
        self.end = MomentField("Ends (UTC)", parent=self)
        self.start.input.setAccessibleName("Event start")
        self.end.input.setAccessibleName("Event end")
        self.event_title = TextField(
            "Event title", limit=RULES["calendar.title.long"].limit(None), parent=self
        )
        self.event_description = TextField(
            "Event description",
            multiline=True,
            limit=RULES["calendar.description.too_long"].limit(None),
            parent=self,
        )
        self._add_rows(
            "Calendar event",
            [
                (None, self.start),
                (None, self.end),
                (None, self.event_title),
                (None, self.event_description),
            ],
        )
        self.start.moment_edited.connect(
            lambda value: self.edit_action("startTime", value, "Edit event start")
        )
        self.end.moment_edited.connect(
            lambda value: self.edit_action("endTime", value, "Edit event end")
        )
        self.event_title.edited.connect(
            lambda value: self.edit_action("title", value or None, "Edit event title")
        )
        self.event_description.edited.connect(
            lambda value: self.edit_action("description", value or None, "Edit event description")
        )

    # ------------------------------------------------------------ edits

    def _suggestion(self) -> m.Reply | m.ActionChip | None:
        return self.slot.suggestion if self.slot is not None else None

    def action_path(self) -> FieldPath | None:
        """The address of the shown chip's action (``...action.dialAction``), if it has one."""
        suggestion = self._suggestion()
        if self.path is None or not isinstance(suggestion, m.ActionChip):
            return None
        key = ACTION_KEYS.get(type(suggestion.action))
        return self.path.child(key) if key is not None else None

    def edit_chip(self, key: str, value: Any, text: str) -> None:
        if self.path is not None and not self._updating:
            commit(self.owner.document, self.path.child(key), value, text)

    def edit_action(self, key: str, value: Any, text: str) -> None:
        path = self.action_path()
        if path is not None and not self._updating:
            commit(self.owner.document, path.child(key), value, text)

    def on_application(self, index: int) -> None:
        application = m.UrlApplication(self.application.itemText(index)) if index else None
        self.edit_action("application", application, "Set where the URL opens")

    def location_mode(self, coordinates: bool) -> None:
        """Show the other way to give a location. What is sent is what the form shows: the
        mode left is taken out of the message (a label goes with the coordinates), and what
        it held while this suggestion was shown comes back when the user switches back."""
        suggestion = self._suggestion()
        path = self.action_path()
        if (
            path is None
            or not isinstance(suggestion, m.ActionChip)
            or not isinstance(suggestion.action, m.ViewLocation)
        ):
            return
        action = suggestion.action
        if (action.lat_long is not None) == coordinates:
            return  # the mode shown already
        kept = self._location_kept.get(coordinates) if self._kept_at == path else None
        source = kept or action
        changed = (
            dataclasses.replace(
                action, lat_long=source.lat_long or m.LatLong(), label=source.label, query=None
            )
            if coordinates
            else dataclasses.replace(action, lat_long=None, label=None, query=source.query)
        )
        commit(self.owner.document, path, changed, "Change location kind", merge=False)

    def forget_location_modes(self) -> None:
        """Another draft, or another list of suggestions: what a mode held is not this one's."""
        self._kept_at = None
        self._location_kept = {}

    def _keep_location_mode(self, path: FieldPath, action: m.ViewLocation) -> None:
        if self._kept_at != path:
            self.forget_location_modes()
            self._kept_at = path
        self._location_kept[action.lat_long is not None] = action

    def edit_lat_long(self, key: str, value: float | None) -> None:
        path = self.action_path()
        if path is not None and not self._updating:
            commit(self.owner.document, path.join("latLong", key), value, "Edit location")

    def edit_pair(self, field: NumberField, latitude: float, longitude: float) -> None:
        """A pair pasted in either box ("12.9716, 77.5946", as maps apps copy a place) fills
        both, in one undo step, and the box says so."""
        path = self.action_path()
        if path is None or self._updating:
            return
        pair = m.LatLong(latitude=latitude, longitude=longitude)
        old = path.child("latLong").get(self.owner.document.message)
        if isinstance(old, m.LatLong):
            pair = dataclasses.replace(old, latitude=latitude, longitude=longitude)
        commit(self.owner.document, path.child("latLong"), pair, "Paste location", merge=False)
        field.say(
            f"Read as latitude {format_number(latitude)} and longitude "
            f"{format_number(longitude)}: both boxes are filled."
        )

    def convert_reply_url(self) -> None:
        suggestion = self._suggestion()
        if isinstance(suggestion, m.Reply) and suggestion.open_url is not None:
            chip = m.ActionChip(
                text=suggestion.text,
                postback_data=suggestion.postback_data,
                button_id=suggestion.button_id,
                action=suggestion.open_url,
            )
            self.owner.replace_selected(chip, "Turn reply URL into an action")

    # ------------------------------------------------------------ view

    _updating = False

    def show_slot(
        self, slot: m.SuggestionSlot | None, path: FieldPath | None, registry: FieldRegistry
    ) -> None:
        self.slot, self.path = slot, path
        kind = kind_name(slot.suggestion) if slot is not None else None
        if kind is not None:
            self.ensure_kind(kind)
        for name, widgets in self.rows.items():
            visible = slot is not None and name in ("common", kind)
            for widget in widgets:
                self.form.setRowVisible(widget, visible)
        self._letter_shown_fields()
        if slot is None or path is None:
            return
        self._updating = True
        try:
            self._fill(slot.suggestion, kind or "", path, registry)
        finally:
            self._updating = False

    def _fill(
        self,
        suggestion: m.Reply | m.ActionChip,
        kind: str,
        path: FieldPath,
        registry: FieldRegistry,
    ) -> None:
        widget: QWidget
        self.kind.setText(f"<b>{kind}</b>")
        self.text.set_value(suggestion.text or "")
        self.postback.set_value(suggestion.postback_data or "")
        self.button_id.set_value(suggestion.button_id or "")
        for attr, widget in (
            ("text", self.text),
            ("postbackData", self.postback),
            ("buttonId", self.button_id),
        ):
            registry.register(path.child(attr), widget)
        if isinstance(suggestion, m.Reply):
            has_url = suggestion.open_url is not None
            self.reply_url_note.setText(
                f"This reply carries a URL ({getattr(suggestion.open_url, 'url', '')}) that "
                "devices ignore: a reply cannot open a link."
                if has_url
                else ""
            )
            self.form.setRowVisible(self.reply_url_note, has_url)
            self.form.setRowVisible(self.convert_button, has_url)
            registry.register(path.child("openUrlAction"), self.convert_button)
            return
        action = suggestion.action
        base = self.action_path()
        if base is None:
            return
        if isinstance(action, m.OpenUrl):
            self.url.set_value(action.url or "")
            self.application.setCurrentIndex(
                ["(not set)", "BROWSER", "WEBVIEW"].index(action.application.value)
                if action.application
                else 0
            )
            self.webview_mode.setCurrentIndex(
                ["(not set)", "FULL", "HALF", "TALL"].index(action.webview_mode.value)
                if action.webview_mode
                else 0
            )
            self.webview_mode.setEnabled(
                action.application is m.UrlApplication.WEBVIEW or action.webview_mode is not None
            )
            self.webview_mode.setToolTip(
                "" if self.webview_mode.isEnabled() else "Only for URLs that open in a WEBVIEW"
            )
            self.url_description.set_value(action.description or "")
            for attr, widget in (
                ("url", self.url),
                ("application", self.application),
                ("webviewViewMode", self.webview_mode),
                ("description", self.url_description),
            ):
                registry.register(base.child(attr), widget)
        elif isinstance(action, m.Dial):
            self.phone.set_value(action.phone_number or "")
            registry.register(base.child("phoneNumber"), self.phone)
        elif isinstance(action, m.ViewLocation):
            self._keep_location_mode(base, action)
            coordinates = action.lat_long is not None
            self.by_coordinates.setChecked(coordinates)
            self.by_query.setChecked(not coordinates)
            for widget in (self.latitude, self.longitude):
                self.form.setRowVisible(widget, coordinates)
            # A field that holds something is shown, so nothing is sent unseen (an imported
            # location can carry a label with its query, or a query with its coordinates).
            self.form.setRowVisible(self.label, coordinates or bool(action.label))
            self.form.setRowVisible(self.query, not coordinates or bool(action.query))
            lat_long = action.lat_long or m.LatLong()
            self.latitude.set_number(lat_long.latitude)
            self.longitude.set_number(lat_long.longitude)
            self.label.set_value(action.label or "")
            self.query.set_value(action.query or "")
            # "Add a latitude and longitude, or a search query" marks the way chosen.
            registry.register(base, self.latitude if coordinates else self.query)
            registry.register(base.child("latLong"), self.latitude, self.longitude)
            registry.register(base.join("latLong", "latitude"), self.latitude)
            registry.register(base.join("latLong", "longitude"), self.longitude)
            registry.register(base.child("label"), self.label)
            registry.register(base.child("query"), self.query)
        elif isinstance(action, m.CalendarEvent):
            self.start.set_moment(action.start_time)
            self.end.set_moment(action.end_time)
            self.event_title.set_value(action.title or "")
            self.event_description.set_value(action.description or "")
            for attr, widget in (
                ("startTime", self.start),
                ("endTime", self.end),
                ("title", self.event_title),
                ("description", self.event_description),
            ):
                registry.register(base.child(attr), widget)
