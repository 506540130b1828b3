"""Which account sends: the profile selector, the account line, the sandbox notice, the agent."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.elided_label import ElidedLabel
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.outline import ERROR_COLOR, set_outline, set_tone
from rcs_composer.gui.preview.widget import PhonePreview
from rcs_composer.gui.samples import SANDBOX_BANNER
from rcs_composer.gui.theme import is_dark
from rcs_composer.services.profiles import Profile, sandbox_profile

SANDBOX = "sandbox"
BANNER_DISMISSED_KEY = "notice/sandbox-dismissed"
BANNER_LIGHT = ("#E8F0FE", "#174EA6")  # background, text
BANNER_DARK = ("#1F3760", "#D2E3FC")  # the same blue notice on a dark window


def banner_palette(window_palette: QPalette) -> QPalette:
    """The notice's colours on a window of ``window_palette``: only its background and text
    roles are set (a palette, not a style sheet, which would restyle the toolbar's notice
    and its button with a style of their own before the first paint)."""
    back, text = BANNER_DARK if is_dark(window_palette) else BANNER_LIGHT
    palette = QPalette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Button):  # a toolbar's item: Button
        palette.setColor(role, QColor(back))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(role, QColor(text))
    return palette


class AccountSelector(QObject):
    """Owns the chosen profile. Profiles are read in the background; until then only the
    built-in sandbox is known, so ``profile()`` never touches the disk or the keyring."""

    profile_changed = Signal(object)  # the Profile sends now go through

    def __init__(
        self,
        context: AppContext,
        settings: QSettings,
        preview: PhonePreview,
        images: ImageLoader,
        status: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.context, self.settings, self.preview, self.images = context, settings, preview, images
        self.status = status
        self.profile_name = str(settings.value("profile", SANDBOX))
        self.profiles: dict[str, Profile] = {SANDBOX: sandbox_profile()}
        self.box = QComboBox(parent)
        self.box.setAccessibleName("Profile: which account sends")
        self.box.setMinimumWidth(200)
        self.label = QLabel(parent)
        self.label.setAccessibleName("Current account")
        self.banner_bar = QWidgetAction(parent)  # shown in the main toolbar, at its end
        self.banner_bar.setDefaultWidget(self._build_banner())
        self.banner_dismissed = settings.value(BANNER_DISMISSED_KEY, False) in (True, "true")
        self.banner_bar.setVisible(not self.banner_dismissed)
        self.box.currentIndexChanged.connect(self.on_choice_changed)
        images.image_ready.connect(self.on_image_ready)
        context.sandbox_ready.connect(self.reload)  # its address joins the sandbox profile

    def _build_banner(self) -> QWidget:
        """The sandbox notice, with a button that puts it away for good (the status bar
        still says where sends go)."""
        notice = QWidget()
        notice.setObjectName("sandbox-notice")
        notice.setPalette(banner_palette(QGuiApplication.palette()))
        notice.installEventFilter(self)  # the colours follow a light/dark switch
        notice.setAutoFillBackground(True)
        self.banner = ElidedLabel(SANDBOX_BANNER, notice)
        self.banner.setAccessibleName("Sandbox notice")
        self.banner.setMinimumWidth(120)
        dismiss = QToolButton(notice)
        dismiss.setText("×")  # in the bundled Roboto: drawn on a machine with no fonts
        dismiss.setAutoRaise(True)
        dismiss.setAccessibleName("Hide the sandbox notice")
        dismiss.setToolTip("Hide this notice (the status bar still says where sends go)")
        dismiss.clicked.connect(self.dismiss_banner)
        row = QHBoxLayout(notice)
        row.setContentsMargins(10, 0, 2, 0)
        row.addWidget(self.banner, 1)
        row.addWidget(dismiss)
        return notice

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.PaletteChange and isinstance(watched, QWidget):
            wanted = banner_palette(QGuiApplication.palette())
            role = QPalette.ColorRole.Window
            if watched.palette().color(role) != wanted.color(role):
                watched.setPalette(wanted)
        return False

    def dismiss_banner(self) -> None:
        self.banner_dismissed = True
        self.settings.setValue(BANNER_DISMISSED_KEY, True)
        self.banner_bar.setVisible(False)

    def profile(self) -> Profile:
        """The chosen profile as last read (call it from any slot)."""
        return self.profiles.get(self.profile_name) or self.profiles[SANDBOX]

    def profile_label(self) -> str:
        return (
            "sandbox (simulated)"
            if self.profile_name == SANDBOX
            else f"{self.profile_name} (real account)"
        )

    def reload(self) -> None:
        """Read the profiles in the background, then show them in the selector."""
        context = self.context
        # The store itself is made on the worker too: making it creates folders and the log.
        context.runner.op(lambda: context.profiles.list()).on_success(self.show_profiles).report_to(
            self.status, "Profiles unavailable: {error}"
        ).run()

    def show_profiles(self, profiles: list[Profile]) -> None:
        self.profiles = {profile.name: profile for profile in profiles}
        self.profiles.setdefault(SANDBOX, sandbox_profile())
        self.box.blockSignals(True)
        self.box.clear()
        for profile in profiles:
            label = (
                "sandbox · simulated sends"
                if profile.is_sandbox
                else f"{profile.name} · {profile.pod} · real"
            )
            self.box.addItem(label, profile.name)
        self.box.setCurrentIndex(max(self.box.findData(self.profile_name), 0))
        self.box.blockSignals(False)
        self.on_choice_changed()

    def on_choice_changed(self) -> None:
        self.profile_name = str(self.box.currentData() or SANDBOX)
        self.settings.setValue("profile", self.profile_name)
        profile = self.profile()
        real = not profile.is_sandbox
        sandbox_down = profile.is_sandbox and self.context.sandbox is None
        where = "simulated on this computer" if sandbox_down else profile.messages_base_url
        self.label.setText(
            f"Sends go to: {profile.name} · "
            f"{'REAL Kaleyra account' if real else 'built-in sandbox'}"
            f" · {where}"
        )
        set_tone(self.label, ERROR_COLOR if real else None, bold=True)  # a real account, in red
        set_outline(self.box, ERROR_COLOR if real else None)
        self.banner_bar.setVisible(not real and not self.banner_dismissed)
        self.show_agent(profile)
        self.profile_changed.emit(profile)

    def show_agent(self, profile: Profile) -> None:
        """The preview's header: the agent's name, colour, badge, and its logo once loaded."""
        logo = self.images.image(profile.logo_url) if profile.logo_url else None
        self.preview.set_agent(profile.display_agent, profile.brand_color, profile.verified, logo)
        if profile.logo_url and logo is None:
            self.images.request(profile.logo_url)

    def on_image_ready(self, url: str) -> None:
        profile = self.profile()
        if url and url == profile.logo_url:
            self.show_agent(profile)

    def edit_profiles(self) -> None:
        from rcs_composer.gui.profiles_dialog import ProfilesDialog  # built on first use

        dialog = ProfilesDialog(self.context, self.box.window())
        dialog.changed.connect(self.reload)
        dialog.exec()
