"""API keys in the OS keyring, and nowhere else; every keyring failure becomes a clear message."""

from __future__ import annotations

import os
import sys
from typing import Any

from rcs_composer.services.env_key import ENV_KEY, take_env_key
from rcs_composer.services.redaction import register_secret

SERVICE = "rcs-composer"
SANDBOX_KEY = "sandbox-key"  # not a secret: the built-in sandbox accepts only this value


class KeyringUnavailable(Exception):
    """The keyring could not be used; the message says what happened and how to fix it."""


class MissingApiKey(Exception):
    """No key is stored for the profile."""


class PlaintextKeyring(KeyringUnavailable):
    """The keyring in use keeps keys in a file; storing there needs the user's explicit yes."""

    def __init__(self, warning: str) -> None:
        super().__init__(
            f"Did not store the API key. {warning} {_how_to_fix()} "
            "To keep the key in that file anyway, allow it explicitly."
        )
        self.warning = warning


def _file_of(backend: Any) -> str | None:
    """Where a file-based backend keeps its keys, or None for a backend that is not one.

    keyrings.alt's file backends (PlaintextKeyring, EncryptedKeyring; some desktops install
    them) are known by their module; any other backend by the ``file_path`` it declares.
    """
    try:
        path = getattr(backend, "file_path", None)
    except Exception:  # a property that fails to compute its path still means a file
        path = None
    module = type(backend).__module__
    if isinstance(path, str | os.PathLike):
        return os.fspath(path)
    if module.startswith("keyrings.alt.file"):
        return "a file in its data folder"
    return None


def _chained(backend: Any) -> list[Any]:
    """The backends a new key may go to, in order: keyring's chainer offers it to each one it
    chains until one does not answer NotImplementedError; any other backend is the only one."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        return list(backend.backends)
    return [backend]


def _receiving_backend(backend: Any) -> Any:
    """The backend a new key goes to first: for keyring's chainer, the first one it chains."""
    chained = _chained(backend)
    return chained[0] if chained else backend


def plaintext_warning_for(backend: Any) -> str | None:
    """A sentence naming the file a key would sit in, or None for a real keyring."""
    return _file_warning(_receiving_backend(backend))


def _file_warning(target: Any) -> str | None:
    path = _file_of(target)
    if path is None:
        return None
    kind = type(target)
    name = f"{kind.__module__}.{kind.__name__}"
    if kind.__name__ == "EncryptedKeyring":
        how = "in a file, encrypted only with a password typed at the terminal"
    elif kind.__name__ == "PlaintextKeyring":
        how = "in plain text in a file"
    else:
        how = "in a file, perhaps in plain text"
    return (
        f"The keyring in use ({name}) is not the system keyring: it keeps keys {how}: "
        f"{path}. Anyone who can read that file can send messages with the key."
    )


def _how_to_fix() -> str:
    if sys.platform.startswith("linux"):
        return (
            "Install and unlock a Secret Service keyring (GNOME Keyring: "
            "'sudo apt install gnome-keyring', or KWallet), "
            "or set RCS_COMPOSER_API_KEY for scripts."
        )
    if sys.platform == "darwin":
        return "Unlock the login keychain in Keychain Access, or set RCS_COMPOSER_API_KEY."
    return "Check Windows Credential Manager, or set RCS_COMPOSER_API_KEY."


def _explain(action: str, exc: BaseException) -> KeyringUnavailable:
    from keyring import errors

    if isinstance(exc, errors.NoKeyringError):
        what = "no system keyring is available"
    elif isinstance(exc, errors.KeyringLocked):
        what = "the keyring is locked"
    elif isinstance(exc, errors.InitError):
        what = "the keyring could not be opened"
    else:
        what = f"the keyring refused ({type(exc).__name__})"
    return KeyringUnavailable(f"Could not {action} the API key: {what}. {_how_to_fix()}")


class KeyStore:
    """``get`` / ``set`` / ``delete`` of one key per profile (service "rcs-composer")."""

    def __init__(self, backend: Any | None = None) -> None:
        self._backend = backend  # None: the keyring library's configured backend

    def _keyring(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring  # imported on first use: start-up does not pay for backend discovery

        return keyring.get_keyring()

    def get(self, profile_name: str) -> str | None:
        try:
            value = self._keyring().get_password(SERVICE, profile_name)
        except Exception as exc:
            raise _explain("read", exc) from None
        if not isinstance(value, str):
            return None
        register_secret(value)  # whatever echoes it later is redacted
        return value

    def plaintext_warning(self) -> str | None:
        """Why storing a key here is unsafe (naming the file), or None for a real keyring."""
        try:
            return plaintext_warning_for(self._keyring())
        except Exception:
            return None  # no usable keyring at all: describe_backend and set() say so

    def set(self, profile_name: str, key: str, *, allow_plaintext: bool = False) -> str | None:
        """Store ``key``; a keyring that is a file raises PlaintextKeyring, unless allowed.

        Returns the warning naming the file the key went to, when it was allowed into one."""
        if not key.strip():
            raise ValueError("The API key is empty.")
        register_secret(key)
        unusable = unusable_character(key.strip())
        if unusable:  # a zero-width space pasted with it: every request would fail
            raise ValueError(f"Did not store the API key: {unusable}. Copy it again without it.")
        try:
            candidates = _chained(self._keyring())
        except Exception as exc:
            raise _explain("store", exc) from None
        for candidate in candidates:  # as keyring's chainer does, each file checked first
            warning = _file_warning(candidate)
            if warning is not None and not allow_plaintext:
                raise PlaintextKeyring(warning)
            try:
                candidate.set_password(SERVICE, profile_name, key.strip())
            except NotImplementedError:
                continue  # a backend that only reads: the next one in the chain is offered it
            except Exception as exc:
                raise _explain("store", exc) from None
            return warning
        raise KeyringUnavailable(
            "Did not store the API key: no keyring in use can store keys "
            f"(only ones that read them). {_how_to_fix()}"
        )

    def delete(self, profile_name: str) -> None:
        """Remove the key; a key that is not there is not an error."""
        from keyring import errors

        try:
            self._keyring().delete_password(SERVICE, profile_name)
        except errors.PasswordDeleteError:
            return
        except Exception as exc:
            raise _explain("remove", exc) from None

    def describe_backend(self) -> str:
        """Where keys live, in words for the profiles dialog."""
        try:
            backend = self._keyring()
        except Exception as exc:
            return str(_explain("find", exc))
        name = getattr(backend, "name", type(backend).__name__)
        module = type(backend).__module__
        if "SecretService" in module:
            return "the system keyring (Secret Service: GNOME Keyring or KWallet)"
        if "macOS" in module:
            return "the macOS Keychain"
        if "Windows" in module:
            return "Windows Credential Manager"
        if "fail" in module:
            return "nowhere: no system keyring is available. " + _how_to_fix()
        path = _file_of(_receiving_backend(backend))
        if path is not None:
            return f"a file, {path} (keyring backend {name}), not the system keyring"
        return f"the keyring backend {name}"

    def __repr__(self) -> str:
        return "KeyStore(service='rcs-composer')"


def unusable_character(key: str) -> str | None:
    """Why a request header cannot carry ``key``: its first character outside visible ASCII
    (a zero-width or non-breaking space copied from a web page), named; None when it can."""
    for position, character in enumerate(key, start=1):
        if not "!" <= character <= "~":
            from rcs_composer.core.urls import char_name

            return f"its character {position} is {char_name(character)}, which no request can carry"
    return None


def resolve_api_key(keys: KeyStore, profile_name: str, *, is_sandbox: bool) -> str:
    """The key a request uses: RCS_COMPOSER_API_KEY, the sandbox's fixed key, or the keyring."""
    if is_sandbox:
        return SANDBOX_KEY
    from_env = take_env_key()
    if from_env:
        register_secret(from_env)  # whatever echoes it later is redacted
        unusable = unusable_character(from_env)
        if unusable:
            raise MissingApiKey(f"{ENV_KEY} cannot be used: {unusable}. Set it again without it.")
        return from_env
    key = keys.get(profile_name)
    if not key:
        raise MissingApiKey(
            f"No API key is stored for the profile '{profile_name}'. "
            "Add it in Profiles (it goes into the system keyring)."
        )
    unusable = unusable_character(key)
    if unusable:  # stored by an older version, which did not check
        raise MissingApiKey(
            f"The API key stored for the profile '{profile_name}' cannot be used: {unusable}. "
            "Store it again in Profiles."
        )
    return key
