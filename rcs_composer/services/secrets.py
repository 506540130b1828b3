"""API keys in the OS keyring, and nowhere else; every keyring failure becomes a clear message."""

from __future__ import annotations

import os
import sys
from typing import Any

SERVICE = "rcs-composer"
ENV_KEY = "RCS_COMPOSER_API_KEY"
SANDBOX_KEY = "sandbox-key"  # not a secret: the built-in sandbox accepts only this value


class KeyringUnavailable(Exception):
    """The keyring could not be used; the message says what happened and how to fix it."""


class MissingApiKey(Exception):
    """No key is stored for the profile."""


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
        return value if isinstance(value, str) else None

    def set(self, profile_name: str, key: str) -> None:
        if not key.strip():
            raise ValueError("The API key is empty.")
        try:
            self._keyring().set_password(SERVICE, profile_name, key.strip())
        except Exception as exc:
            raise _explain("store", exc) from None

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
        return f"the keyring backend {name}"

    def __repr__(self) -> str:
        return "KeyStore(service='rcs-composer')"


def resolve_api_key(keys: KeyStore, profile_name: str, *, is_sandbox: bool) -> str:
    """The key a request uses: RCS_COMPOSER_API_KEY, the sandbox's fixed key, or the keyring."""
    if is_sandbox:
        return SANDBOX_KEY
    from_env = os.environ.get(ENV_KEY, "").strip()
    if from_env:
        return from_env
    key = keys.get(profile_name)
    if not key:
        raise MissingApiKey(
            f"No API key is stored for the profile '{profile_name}'. "
            "Add it in Profiles (it goes into the system keyring)."
        )
    return key
