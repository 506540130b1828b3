"""Issue 20, item 3: a keyring that keeps keys in a file is refused unless the user opts in."""

from __future__ import annotations

import configparser
import io
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyring.errors import PasswordDeleteError

from rcs_composer.cli import main
from rcs_composer.services.profiles import ProfileStore
from rcs_composer.services.secrets import KeyringUnavailable, KeyStore, PlaintextKeyring
from tests.support.memory_keyring import MemoryKeyring

KEY = "plain-key-77d0-UNIQUE"


class FileKeyring(KeyringBackend):
    """Behaves like keyrings.alt.file.PlaintextKeyring: an INI file in the data folder."""

    priority = 0.5  # type: ignore[assignment]
    location = Path("/nonexistent")

    @property
    def file_path(self) -> str:
        return str(self.location / "keyring_pass.cfg")

    def _read(self) -> configparser.RawConfigParser:
        parser = configparser.RawConfigParser()
        parser.read(self.file_path)
        return parser

    def get_password(self, service: str, username: str) -> str | None:
        parser = self._read()
        return parser.get(service, username, fallback=None)

    def set_password(self, service: str, username: str, password: str) -> None:
        parser = self._read()
        if not parser.has_section(service):
            parser.add_section(service)
        parser.set(service, username, password)
        with open(self.file_path, "w") as stream:
            parser.write(stream)

    def delete_password(self, service: str, username: str) -> None:
        parser = self._read()
        if not parser.remove_option(service, username):
            raise PasswordDeleteError("not there")
        with open(self.file_path, "w") as stream:
            parser.write(stream)


class PlaintextKeyringLike(FileKeyring):
    pass


PlaintextKeyringLike.__module__ = "keyrings.alt.file"
PlaintextKeyringLike.__name__ = PlaintextKeyringLike.__qualname__ = "PlaintextKeyring"


class EncryptedKeyringLike(FileKeyring):
    @property
    def file_path(self) -> str:
        return str(self.location / "crypted_pass.cfg")


EncryptedKeyringLike.__module__ = "keyrings.alt.file"
EncryptedKeyringLike.__name__ = EncryptedKeyringLike.__qualname__ = "EncryptedKeyring"


class UnknownFileKeyring(FileKeyring):
    """Some other package's backend that says where its file is: judged by ``file_path``."""


@pytest.fixture
def plaintext(tmp_path: Path) -> PlaintextKeyringLike:
    backend = PlaintextKeyringLike()
    backend.location = tmp_path
    keyring.set_keyring(backend)  # the conftest fixture puts the memory keyring back afterwards
    return backend


def set_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *extra: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    code = main(["profile", "set-key", "acme", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_set_key_refuses_a_plaintext_keyring_and_names_its_file(
    plaintext: PlaintextKeyringLike,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["profile", "add", "acme", "--sid", "S1"]) == 0
    capsys.readouterr()
    code, out, err = set_key(capsys, monkeypatch)
    assert code == 1
    assert plaintext.file_path in err
    assert "plain text" in err
    assert "--allow-plaintext-keyring" in err
    assert not Path(plaintext.file_path).exists()
    assert KEY not in out + err


def test_set_key_with_the_opt_in_stores_it_and_warns_naming_the_file(
    plaintext: PlaintextKeyringLike,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["profile", "add", "acme", "--sid", "S1"]) == 0
    capsys.readouterr()
    code, out, err = set_key(capsys, monkeypatch, "--allow-plaintext-keyring")
    assert code == 0
    assert "WARNING" in err
    assert plaintext.file_path in err
    assert KEY in Path(plaintext.file_path).read_text()
    assert KEY not in out + err


@pytest.mark.parametrize(
    ("backend_class", "words"),
    [
        (PlaintextKeyringLike, "plain text"),
        (EncryptedKeyringLike, "a file"),
        (UnknownFileKeyring, "a file"),
    ],
)
def test_plaintext_warning_names_the_file_of_every_file_backend(
    backend_class: type[FileKeyring], words: str, tmp_path: Path
) -> None:
    backend = backend_class()
    backend.location = tmp_path
    warning = KeyStore(backend).plaintext_warning()
    assert warning is not None
    assert backend.file_path in warning
    assert words in warning
    with pytest.raises(PlaintextKeyring) as caught:
        KeyStore(backend).set("acme", KEY)
    assert isinstance(caught.value, KeyringUnavailable)  # existing handlers still catch it
    assert not Path(backend.file_path).exists()
    KeyStore(backend).set("acme", KEY, allow_plaintext=True)
    assert KeyStore(backend).get("acme") == KEY


def test_system_keyrings_and_no_keyring_are_not_plaintext() -> None:
    assert KeyStore(MemoryKeyring()).plaintext_warning() is None
    assert KeyStore(fail.Keyring()).plaintext_warning() is None


def test_a_chain_whose_first_backend_is_a_file_is_plaintext(tmp_path: Path) -> None:
    memory, plain = MemoryKeyring(), PlaintextKeyringLike()
    plain.location = tmp_path

    class FileFirst(chainer.ChainerBackend):
        backends = (plain, memory)

    class SystemFirst(chainer.ChainerBackend):
        backends = (memory, plain)

    warning = KeyStore(FileFirst()).plaintext_warning()
    assert warning is not None
    assert plain.file_path in warning
    with pytest.raises(PlaintextKeyring):
        KeyStore(FileFirst()).set("acme", KEY)
    assert KeyStore(SystemFirst()).plaintext_warning() is None
    KeyStore(SystemFirst()).set("acme", KEY)
    assert memory.secrets == {("rcs-composer", "acme"): KEY}


class ReadOnlyKeyring(MemoryKeyring):
    """Like an environment-variable backend: it answers reads, and refuses to store."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError


def test_a_chain_passes_a_read_only_backend_by_and_checks_the_file_behind_it(
    tmp_path: Path,
) -> None:
    plain, memory = PlaintextKeyringLike(), MemoryKeyring()
    plain.location = tmp_path

    class ReadOnlyThenFile(chainer.ChainerBackend):
        backends = (ReadOnlyKeyring(), plain)

    class ReadOnlyThenSystem(chainer.ChainerBackend):
        backends = (ReadOnlyKeyring(), memory, plain)

    with pytest.raises(PlaintextKeyring) as caught:
        KeyStore(ReadOnlyThenFile()).set("acme", KEY)
    assert plain.file_path in str(caught.value)
    assert not Path(plain.file_path).exists()
    KeyStore(ReadOnlyThenFile()).set("acme", KEY, allow_plaintext=True)
    assert KEY in Path(plain.file_path).read_text()
    KeyStore(ReadOnlyThenSystem()).set("other", KEY)
    assert memory.secrets == {("rcs-composer", "other"): KEY}


def test_set_key_warns_when_a_chain_passed_the_key_on_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = PlaintextKeyringLike()
    plain.location = tmp_path

    class ReadOnlyThenFile(chainer.ChainerBackend):
        backends = (ReadOnlyKeyring(), plain)

    keyring.set_keyring(ReadOnlyThenFile())
    assert main(["profile", "add", "acme", "--sid", "S1"]) == 0
    capsys.readouterr()
    code, _out, err = set_key(capsys, monkeypatch)
    assert code == 1 and plain.file_path in err
    assert not Path(plain.file_path).exists()
    code, out, err = set_key(capsys, monkeypatch, "--allow-plaintext-keyring")
    assert code == 0
    assert "WARNING: " in err and plain.file_path in err
    assert KEY not in out + err


def test_a_chain_that_cannot_store_says_so_instead_of_dropping_the_key() -> None:
    class OnlyReaders(chainer.ChainerBackend):
        backends = (ReadOnlyKeyring(), ReadOnlyKeyring())

    class Empty(chainer.ChainerBackend):
        backends = ()

    for backend in (OnlyReaders(), Empty()):
        with pytest.raises(KeyringUnavailable, match="no keyring in use can store keys"):
            KeyStore(backend).set("acme", KEY)


def test_renaming_a_profile_moves_a_key_already_in_a_plaintext_keyring(
    tmp_path: Path,
) -> None:
    from rcs_composer.services.profiles import Profile

    backend = PlaintextKeyringLike()
    backend.location = tmp_path
    keys = KeyStore(backend)
    keys.set("acme", KEY, allow_plaintext=True)
    store = ProfileStore(tmp_path / "config", keys)
    store.save(Profile(name="acme", sid="S1"))
    store.save(Profile(name="acme2", sid="S1"), replacing="acme")
    assert keys.get("acme2") == KEY
    assert keys.get("acme") is None
