"""The fields of one suggestion, the right ones for its kind (reply, open URL, dial, ...)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
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
)
from rcs_composer.gui.editors.suggestion_kinds import kind_name

if TYPE_CHECKING:
    from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor

# The key an action is stored under on the wire, from the schema: OpenUrl -> openUrlAction.
ACTION_KEYS: dict[type, str] = {
    variant.model: variant.key for variant in ACTIONS if variant.model is not None
}


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
        suggestion = self._suggestion()
        path = self.action_path()
        if (
            path is not None
            and isinstance(suggestion, m.ActionChip)
            and isinstance(suggestion.action, m.ViewLocation)
        ):
            action = suggestion.action
            changed = (
                dataclasses.replace(action, lat_long=action.lat_long or m.LatLong(), query=None)
                if coordinates
                else dataclasses.replace(action, lat_long=None, query=action.query)
            )
            commit(self.owner.document, path, changed, "Change location kind", merge=False)

    def edit_lat_long(self, key: str, value: float | None) -> None:
        path = self.action_path()
        if path is not None and not self._updating:
            commit(self.owner.document, path.join("latLong", key), value, "Edit location")

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
            coordinates = action.lat_long is not None
            self.by_coordinates.setChecked(coordinates)
            self.by_query.setChecked(not coordinates)
            for widget in (self.latitude, self.longitude, self.label):
                self.form.setRowVisible(widget, coordinates)
            self.form.setRowVisible(self.query, not coordinates)
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
