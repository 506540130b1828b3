"""The daily uses, against the real sandbox: first run, send, template, drafts, profiles, keys."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from rcs_composer.app.sending import parse_recipients
from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.send_dialog import SendDialog
from rcs_composer.gui.template_dialog import TemplateDialog
from rcs_composer.services.profiles import Profile
from tests.support.drafts import crashed_session, text_draft
from tests.support.faulty_sandbox import Faults
from tests.support.faulty_sandbox import FaultySandbox as SandboxServer
from tests.support.real_account import add_real_account

KEY = "gui-key-8e41f0-UNIQUE-planted"
Make = Callable[..., MainWindow]


def sandbox_window(
    make_window: Make, qtbot: QtBot, sample: str = "standalone_card.json"
) -> MainWindow:
    window = make_window(sample, sandbox=True)
    qtbot.waitUntil(lambda: window.context.sandbox is not None, timeout=5000)
    return window


def test_first_run_opens_the_sample_on_the_sandbox(qtbot: QtBot, make_window: Make) -> None:
    window = sandbox_window(make_window, qtbot)
    assert window.document.draft.name.startswith("Diwali offer")
    assert window.account.profile_name == "sandbox"
    assert window.account.banner_bar.isVisible()
    assert "sandbox" in window.windowTitle()
    # The profiles are read once the window has painted, beside the sandbox's start.
    qtbot.waitUntil(lambda: "built-in sandbox" in window.account.label.text(), timeout=5000)
    assert window.context.profiles.get("sandbox").messages_base_url == window.context.sandbox.url  # type: ignore[union-attr]


def test_recipients_in_any_common_form() -> None:
    numbers, problems = parse_recipients(
        "+91 98765 43210, 0091 98765 43211\n98765 43212; hello", "IN"
    )
    assert numbers == ["919876543210", "919876543211", "919876543212"]
    assert len(problems) == 1
    assert "hello" in problems[0]


def send_dialog(window: MainWindow, qtbot: QtBot, profile: str = "sandbox") -> SendDialog:
    """The Send test dialog, once it has read the profiles (in the background)."""
    dialog = SendDialog(window.context, window.document.draft, profile, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    return dialog


def test_send_to_two_recipients_shows_ids_and_the_timeline(
    qtbot: QtBot, make_window: Make, isolated_dirs: Path
) -> None:
    window = sandbox_window(make_window, qtbot)
    dialog = send_dialog(window, qtbot)
    assert not dialog.send_button.isEnabled()  # no recipients yet
    dialog.recipients.setPlainText("+91 98765 43210, 0091 98765 43211")
    assert dialog.send_button.isEnabled()
    assert json.loads(dialog.json_view.toPlainText())["to"] == ["919876543210", "919876543211"]
    dialog.send_button.click()
    dialog.send_button.click()  # a double click never sends twice
    qtbot.waitUntil(lambda: len(dialog.message_ids) == 2, timeout=5000)
    sandbox = window.context.sandbox
    assert sandbox is not None
    assert sandbox.send_count == 1
    assert dialog.timeline.topLevelItemCount() == 2
    assert "Sent" in dialog.status.text()
    qtbot.waitUntil(
        lambda: all(
            dialog.timeline.topLevelItem(i).childCount() == 3  # type: ignore[union-attr]
            for i in range(2)
        ),
        timeout=8000,
    )
    events = [dialog.timeline.topLevelItem(0).child(i).text(0) for i in range(3)]  # type: ignore[union-attr]
    assert events == ["SENT", "DELIVERED", "READ"]
    history = (isolated_dirs / "data" / "history.jsonl").read_text()
    assert all(message_id in history for message_id in dialog.message_ids.values())


def test_send_is_off_while_the_message_has_errors(qtbot: QtBot, make_window: Make) -> None:
    window = sandbox_window(make_window, qtbot)
    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    long_title = m.RichCard(content=m.CardContent(title="x" * 250, description="d"))
    window.document.set_message(m.Message(content=long_title), "long title")
    qtbot.waitUntil(lambda: not window.messages.send_action.isEnabled())
    assert "1 error" in window.messages.send_action.toolTip()
    dialog = send_dialog(window, qtbot)
    dialog.recipients.setPlainText("919876543210")
    assert not dialog.send_button.isEnabled()
    assert "Card > Title:" in dialog.send_button.toolTip()  # the field as the editor names it


def test_a_server_error_names_the_field_and_the_editor_focuses_it(
    qtbot: QtBot, make_window: Make
) -> None:
    window = sandbox_window(make_window, qtbot)
    window.activateWindow()
    sandbox = window.context.sandbox
    assert sandbox is not None
    body = json.dumps(
        {
            "code": 1400,
            "message": "Request invalid: Path $.richCardStandalone.content.description: bad",
            "data": {"error": {"error_code": "INVALID_FIELD_FORMAT", "error_message": "bad"}},
        }
    )
    sandbox.set_faults(Faults(status=400, body=body, remaining=1))
    dialog = send_dialog(window, qtbot)
    dialog.recipients.setPlainText("919876543210")
    with qtbot.waitSignal(dialog.field_error, timeout=5000) as named:
        dialog.send_button.click()
    assert named.args == ["$.richCardStandalone.content.description"]
    assert "Not sent" in dialog.status.text()
    assert "Kaleyra found a problem" in dialog.status.text()


def test_an_unknown_outcome_says_so_and_is_not_resent(qtbot: QtBot, make_window: Make) -> None:
    window = sandbox_window(make_window, qtbot)
    sandbox = window.context.sandbox
    assert sandbox is not None
    sandbox.set_faults(Faults(drop=True, remaining=1))
    dialog = send_dialog(window, qtbot)
    dialog.recipients.setPlainText("919876543210")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: "Outcome unknown" in dialog.status.text(), timeout=8000)
    assert "may have been sent" in dialog.status.text()
    assert dialog.send_button.text().replace("&", "") == "Send again…"
    assert window.context.runner.drain(5000)  # nothing is left in flight that could resend
    assert sandbox.send_count == 1


def test_save_as_template_stores_the_id_with_the_draft(qtbot: QtBot, make_window: Make) -> None:
    window = sandbox_window(make_window, qtbot, "template_with_variables.json")
    dialog = TemplateDialog(window.context, window.document.draft, "sandbox", window)
    dialog.saved.connect(window.messages.on_template_saved)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.status.count() > 0, timeout=5000)  # the profile is read
    dialog.name.setText("bad name!")
    assert not dialog.save_button.isEnabled()
    assert "letters, digits" in dialog.name_note.text()
    dialog.name.setText("bill_reminder")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    template = window.document.draft.template
    assert template is not None
    assert template.template_id and template.template_number
    assert "✔" in dialog.outcome.text()
    assert dialog.delete_button.isVisible() or not dialog.isVisible()


def test_save_reopen_and_library(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sandbox_window(make_window, qtbot)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Festival card", True))
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()
    assert window.document.undo_stack.isClean()
    draft_id = window.document.draft_id
    assert draft_id is not None
    window.docks.toggle_library(True)
    library = window.docks.library
    qtbot.waitUntil(lambda: library.model.rowCount() == 1, timeout=5000)
    window.files.open_sample("carousel_with_chips.json")
    assert isinstance(window.document.message.content, m.Carousel)
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        window.files.open_draft(draft_id)
    assert window.document.draft.name == "Festival card"
    assert isinstance(window.document.message.content, m.RichCard)
    library.search.setText("nothing-matches")
    assert library.model.rowCount() == 0


def test_import_export_and_copy_as_curl(qtbot: QtBot, make_window: Make, tmp_path: Path) -> None:
    window = sandbox_window(make_window, qtbot)
    fixture = Path(__file__).parent.parent / "fixtures" / "seed001_carousel.json"
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        window.files.import_file(fixture)
    assert isinstance(window.document.message.content, m.Carousel)
    out = tmp_path / "template.json"
    from rcs_composer.core import codecs

    text = codecs.dumps(codecs.export_as(codecs.Format.TEMPLATE, window.document.draft))
    with qtbot.waitSignal(window.files.exported, timeout=5000):
        window.files.write_export(out, text)
    assert json.loads(out.read_text())["template_type"] == "5"
    with qtbot.waitSignal(window.files.curl_copied, timeout=5000) as copied:
        window.files.copy_as_curl(window.account.profile(), ["919876543210"])
    command = copied.args[0]
    assert QApplication.clipboard().text() == command
    assert "$KALEYRA_API_KEY" in command
    assert "sandbox-key" not in command


def test_export_and_copy_as_curl_leave_the_disk_and_the_sandbox_to_a_worker(
    qtbot: QtBot, make_window: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export is written, and the sandbox Copy as curl needs is started, off the GUI
    thread: the clipboard is set when the command comes back."""
    import threading

    from rcs_composer.app.services import Services
    from rcs_composer.services import paths

    gui = threading.get_ident()
    threads: dict[str, int] = {}

    class WatchedSandbox(SandboxServer):
        def start(self) -> WatchedSandbox:
            threads["sandbox"] = threading.get_ident()
            super().start()
            return self

    write = paths.atomic_write_text

    def watched_write(path: Path, text: str) -> None:
        threads["export"] = threading.get_ident()
        write(path, text)

    monkeypatch.setattr(paths, "atomic_write_text", watched_write)
    window = make_window(services=Services(sandbox_factory=WatchedSandbox))  # not started yet
    out = tmp_path / "message.json"
    with qtbot.waitSignal(window.files.exported, timeout=5000):
        window.files.write_export(out, "{}")
    assert out.read_text() == "{}"
    sandbox = window.context.profiles.get("sandbox")
    assert sandbox is not None and window.context.sandbox is None
    with qtbot.waitSignal(window.files.curl_copied, timeout=5000) as copied:
        window.files.copy_as_curl(sandbox, ["919876543210"])
    assert window.context.sandbox is not None
    assert window.context.sandbox.url in copied.args[0]
    assert QApplication.clipboard().text() == copied.args[0]
    assert threads.keys() == {"export", "sandbox"}
    assert gui not in threads.values()


def test_broken_json_import_says_where(
    qtbot: QtBot, make_window: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sandbox_window(make_window, qtbot)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    bad = tmp_path / "bad.json"
    bad.write_text('{"from": "a", "to": ["919876543210"], "text": 5}')
    window.files.import_file(bad)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "$.text" in shown[0]
    assert window.document.draft.name != "bad"  # the open draft is untouched


def test_crashed_session_work_is_offered_back(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    crashed_session(isolated_dirs / "data", text_draft("Lost work", "hi"))
    asked: list[str] = []

    def restore(box: QMessageBox) -> int:
        asked.append(f"{box.text()} {box.informativeText()}")
        assert not box.iconPixmap().isNull()  # the prompt shows what the draft looks like
        return int(QMessageBox.StandardButton.Yes.value)

    monkeypatch.setattr(QMessageBox, "exec", restore)
    window = sandbox_window(make_window, qtbot)
    qtbot.waitUntil(lambda: window.document.draft.name == "Lost work", timeout=5000)
    assert not window.document.undo_stack.isClean()
    assert len(asked) == 1 and "Restore “Lost work”, last changed " in asked[0]


def test_a_real_account_asks_before_sending(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SandboxServer(api_key=KEY) as server:
        window = sandbox_window(make_window, qtbot)
        add_real_account(window.context, server.url, KEY)
        asked: list[str] = []

        def answer_no(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
            asked.append(str(args[2]))
            return QMessageBox.StandardButton.No

        monkeypatch.setattr(QMessageBox, "question", answer_no)
        dialog = send_dialog(window, qtbot, "acme")
        dialog.recipients.setPlainText("919876543210")
        dialog.send_button.click()
        assert window.context.runner.drain(5000)  # any send started in the background is done
        assert "real RCS message" in asked[0]
        assert "acme" in asked[0]
        assert server.send_count == 0
        assert not dialog.in_flight


def test_full_session_with_a_real_key_leaks_it_nowhere(
    qtbot: QtBot,
    make_window: Make,
    isolated_dirs: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with SandboxServer(api_key=KEY, event_delays=(0, 0, 0)) as server:
        window = sandbox_window(make_window, qtbot)
        profile = Profile(
            name="acme",
            pod="custom",
            base_url=server.url,
            sid="S1",
            sender="acme-rcs",
            agent_number="116002",
        )
        window.context.profiles.save(profile)
        window.context.keys.set("acme", KEY)
        window.account.reload()  # read in the background
        qtbot.waitUntil(lambda: window.account.box.findData("acme") >= 0, timeout=5000)
        window.account.box.setCurrentIndex(window.account.box.findData("acme"))
        assert "REAL" in window.account.label.text()
        dialog = send_dialog(window, qtbot, "acme")
        dialog.recipients.setPlainText("919876543210")
        dialog.send_button.click()
        qtbot.waitUntil(lambda: bool(dialog.message_ids), timeout=5000)
        server.set_faults(Faults(status=401, remaining=1))
        dialog.send_button.click()
        qtbot.waitUntil(lambda: "Not sent" in dialog.status.text(), timeout=5000)
        template = TemplateDialog(window.context, window.document.draft, "acme", window)
        qtbot.addWidget(template)
        qtbot.waitUntil(lambda: template.status.count() > 0, timeout=5000)
        template.name.setText("leak_check")
        with qtbot.waitSignal(template.saved, timeout=5000):
            template.save_button.click()
        with qtbot.waitSignal(window.files.curl_copied, timeout=5000):
            window.files.copy_as_curl(window.account.profile(), ["919876543210"])
        clipboard = QApplication.clipboard().text()
        title = window.windowTitle()
        window.shutdown()
    out, err = capsys.readouterr()
    written = [path for path in isolated_dirs.rglob("*") if path.is_file()]
    assert any(path.name == "rcs-composer.log" for path in written)
    for path in written:
        assert KEY not in path.read_bytes().decode("utf-8", "replace"), path
    for text in (out, err, clipboard, title, dialog.status.text(), dialog.details.toPlainText()):
        assert KEY not in text


def test_a_broken_keyring_leaves_composing_and_the_sandbox_usable(
    qtbot: QtBot, make_window: Make
) -> None:
    import keyring
    from keyring.errors import KeyringLocked

    from rcs_composer.gui.profiles_dialog import ProfilesDialog
    from tests.services.test_profiles import Broken

    keyring.set_keyring(Broken(KeyringLocked()))
    window = sandbox_window(make_window, qtbot)
    window.context.profiles.save(Profile(name="acme", sid="S1", sender="acme-rcs"))
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 3, timeout=5000)  # sandbox, acme, new
    dialog.list.setCurrentRow(1)
    qtbot.waitUntil(lambda: "locked" in dialog.key_state.text(), timeout=5000)
    assert "RCS_COMPOSER_API_KEY" in dialog.key_state.text()
    dialog.key.setText(KEY)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "the key was not" in dialog.message.text(), timeout=5000)
    assert KEY not in dialog.message.text()
    window.editor.card.title.input.selectAll()
    qtbot.keyClicks(window.editor.card.title.input, "Still composing")
    card = window.document.message.content
    assert isinstance(card, m.RichCard)
    assert card.content.title == "Still composing"
    send = send_dialog(window, qtbot)
    send.recipients.setPlainText("919876543210")
    send.send_button.click()
    qtbot.waitUntil(lambda: bool(send.message_ids), timeout=5000)


def test_closing_with_unsaved_edits_keeps_them_for_the_next_start(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sandbox_window(make_window, qtbot)
    qtbot.waitUntil(lambda: window.context.session_id is not None)
    window.editor.card.title.input.selectAll()
    qtbot.keyClicks(window.editor.card.title.input, "Not saved yet")
    window.close()
    window.shutdown()
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: QMessageBox.StandardButton.Yes.value)
    again = sandbox_window(make_window, qtbot)
    qtbot.waitUntil(
        lambda: (
            isinstance(again.document.message.content, m.RichCard)
            and again.document.message.content.content.title == "Not saved yet"
        ),
        timeout=5000,
    )


@pytest.mark.parametrize(
    ("faults", "words"),
    [
        (Faults(html=True, remaining=1), "not Kaleyra's JSON"),
        (Faults(status=500, remaining=1), "server had a problem"),
        (Faults(status=429, retry_after=3, remaining=1), "limiting the request rate"),
        (
            Faults(status=413, body='{"code": 413, "message": "Payload too large"}', remaining=1),
            "Payload too large",
        ),
        (Faults(status=200, body="", remaining=1), "empty body"),
        (
            Faults(
                status=400, body='{"code": 1419, "message": "Invalid service code"}', remaining=1
            ),
            "Check the sender in Profiles",
        ),
        (Faults(latency=6.0, remaining=1), "may have been sent"),
    ],
    ids=["html-502", "500", "429", "413", "empty-200", "1419", "read-timeout"],
)
def test_fault_matrix_in_the_window(
    qtbot: QtBot, make_window: Make, faults: Faults, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each fault: a sentence for the user, the draft intact, the window responsive, one send."""
    import time

    from PySide6.QtCore import QTimer

    from rcs_composer.services import kaleyra

    original = kaleyra.KaleyraClient.__init__

    def short_timeouts(self: object, *args: object, **kwargs: object) -> None:
        kwargs["read_timeout"] = 1.5
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kaleyra.KaleyraClient, "__init__", short_timeouts)
    window = sandbox_window(make_window, qtbot)
    sandbox = window.context.sandbox
    assert sandbox is not None
    before = window.document.draft
    sandbox.set_faults(faults)
    dialog = send_dialog(window, qtbot)
    dialog.recipients.setPlainText("919876543210")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    dialog.send_button.click()
    qtbot.waitUntil(lambda: not dialog.in_flight, timeout=10000)
    timer.stop()
    assert words in dialog.status.text()
    assert "Traceback" not in dialog.status.text()
    assert window.document.draft == before
    assert sandbox.send_count == 1
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert not gaps or max(gaps) < 0.5  # the window kept painting while the send was out


def test_profiles_dialog_stores_the_key_in_the_keyring_and_never_shows_it(
    qtbot: QtBot, make_window: Make, memory_keyring: object, isolated_dirs: Path
) -> None:
    from rcs_composer.gui.profiles_dialog import NEW, ProfilesDialog

    window = make_window()
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "never in a file" in dialog.where.text(), timeout=5000)
    dialog.list.setCurrentItem(dialog.list.findItems(NEW, Qt.MatchFlag.MatchExactly)[0])
    dialog.name.setText("acme")
    dialog.sid.setText("HXAP16")
    dialog.sender_field.setText("acme-rcs")
    dialog.key.setText(KEY)
    dialog.save_button.click()
    assert dialog.key.text() == ""  # gone from the field at once, while the save runs
    qtbot.waitUntil(lambda: "Saved acme" in dialog.message.text(), timeout=5000)
    assert memory_keyring.secrets[("rcs-composer", "acme")] == KEY  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "stored" in dialog.key.placeholderText(), timeout=5000)
    assert dialog.current_name() == "acme"
    assert dialog.key.echoMode() == dialog.key.EchoMode.Password
    for path in isolated_dirs.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace")
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: "Removed acme" in dialog.message.text(), timeout=5000)
    assert ("rcs-composer", "acme") not in memory_keyring.secrets  # type: ignore[attr-defined]
    assert [p.name for p in window.context.profiles.list()] == ["sandbox"]


def test_the_profile_logo_appears_in_the_preview_header(qtbot: QtBot, make_window: Make) -> None:
    from tests.gui.imageserver import ImageServer

    with ImageServer() as images:
        window = sandbox_window(make_window, qtbot)
        window.context.profiles.save(
            Profile(
                name="acme",
                sid="S1",
                sender="acme-rcs",
                agent_name="Acme Sweets",
                logo_url=images.url("/green.png"),
                brand_color="#D81B60",
            )
        )
        window.account.reload()  # read in the background
        qtbot.waitUntil(lambda: window.account.box.findData("acme") >= 0, timeout=5000)
        window.account.box.setCurrentIndex(window.account.box.findData("acme"))
        preview = window.preview_pane.preview
        qtbot.waitUntil(lambda: preview.agent.logo is not None, timeout=5000)
        assert preview.agent.name == "Acme Sweets"
        assert preview.agent.brand_color == "#D81B60"


def test_history_lists_sends_and_filters(qtbot: QtBot, make_window: Make) -> None:
    from rcs_composer.gui.history_dialog import HistoryDialog

    window = sandbox_window(make_window, qtbot)
    dialog = send_dialog(window, qtbot)
    dialog.recipients.setPlainText("919876543210")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: bool(dialog.message_ids), timeout=5000)
    history = HistoryDialog(window.context.history, window.context.runner, window)
    qtbot.addWidget(history)
    qtbot.waitUntil(lambda: history.tree.topLevelItemCount() == 1, timeout=5000)
    child = history.tree.topLevelItem(0).child(0)  # type: ignore[union-attr]
    assert child.text(4) == dialog.message_ids["919876543210"]  # type: ignore[union-attr]
    history.filter.setText("nobody")
    assert history.tree.topLevelItemCount() == 0


def test_library_rows_show_a_thumbnail_of_the_drafts_picture(
    qtbot: QtBot, make_window: Make
) -> None:
    from tests.gui.imageserver import ImageServer

    with ImageServer() as images:
        window = sandbox_window(make_window, qtbot)
        card = m.RichCard(
            content=m.CardContent(
                title="T",
                media=m.Media(
                    height=m.MediaHeight.SHORT, file=m.FileRef(file_url=images.url("/blue.png"))
                ),
            )
        )
        window.context.drafts.save(
            None, m.Draft(name="With picture", message=m.Message(content=card))
        )
        window.docks.toggle_library(True)
        library = window.docks.library
        library.reload()
        qtbot.waitUntil(lambda: library.model.rowCount() == 1, timeout=5000)
        library.model.data(library.model.index(0), Qt.ItemDataRole.DecorationRole)
        qtbot.waitUntil(lambda: images.url("/blue.png") in library.model.thumbnails, timeout=5000)
        icon = library.model.data(library.model.index(0), Qt.ItemDataRole.DecorationRole)
        color = icon.pixmap(40, 40).toImage().pixelColor(20, 20)
        assert color.blue() > 150 and color.red() < 100


def test_library_opens_and_searches_ten_thousand_drafts(qtbot: QtBot, isolated_dirs: Path) -> None:
    from rcs_composer.core import codecs
    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.library import LibraryPanel

    folder = isolated_dirs / "data" / "drafts"
    folder.mkdir(parents=True)
    for index in range(10_000):
        draft = m.Draft(
            name=f"Campaign {index}", message=m.Message(content=m.TextContent(f"Offer {index}"))
        )
        (folder / f"d{index:05d}.json").write_text(codecs.dumps(codecs.export_draft(draft)))
    session = AppContext(start_sandbox=False)
    panel = LibraryPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 10_000, timeout=30_000)
    panel.search.setText("campaign 9999")
    assert panel.model.rowCount() == 1
    assert panel.model.rows[0].name == "Campaign 9999"
    panel.search.setText("offer 42")
    assert {entry.name for entry in panel.model.rows} >= {"Campaign 42"}
    session.shutdown()


def test_preview_media_land_in_the_disk_cache(
    qtbot: QtBot, make_window: Make, isolated_dirs: Path
) -> None:
    from tests.gui.imageserver import ImageServer

    with ImageServer() as images:
        window = sandbox_window(make_window, qtbot)
        card = m.RichCard(
            content=m.CardContent(
                title="T",
                media=m.Media(
                    height=m.MediaHeight.SHORT, file=m.FileRef(file_url=images.url("/red.png"))
                ),
            )
        )
        window.document.set_message(m.Message(content=card), "picture")
        loader = window.preview_pane.preview.loader
        qtbot.waitUntil(lambda: images.url("/red.png") in loader.images, timeout=5000)
    assert list((isolated_dirs / "cache" / "media").glob("*.bin"))
