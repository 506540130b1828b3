"""What goes on the wire for a test send: the body with envelope and variables filled in."""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from rcs_composer.core import codecs
from rcs_composer.core.model import Message
from rcs_composer.core.variables import substitute

API_KEY_VARIABLE = "KALEYRA_API_KEY"


def prepare_send(
    message: Message,
    *,
    sender: str | None,
    recipients: Sequence[str] | None,
    values: Mapping[str, str],
) -> Message:
    """The message as sent: envelope from the profile and the dialog, variables filled."""
    changes: dict[str, Any] = {}
    if sender:
        changes["sender"] = sender
    if recipients is not None:
        changes["recipients"] = tuple(recipients)
    filled = substitute(message, values)
    return dataclasses.replace(filled, **changes) if changes else filled


def _segment(value: str) -> str:
    return quote(value, safe="")


def api_path(sid: str, resource: str, item: str | None = None) -> str:
    """The one spelling of an RCS API path: ``/v1/{sid}/rcs/{resource}[/{item}]``, each part
    escaped (an id with a slash stays one segment)."""
    path = f"/v1/{_segment(sid)}/rcs/{resource}"
    return f"{path}/{_segment(item)}" if item is not None else path


def messages_path(sid: str) -> str:
    """Where a message is sent (K:send-message)."""
    return api_path(sid, "messages")


def templates_path(sid: str, template_id: str | None = None) -> str:
    """A template (create without an id; read, update, delete with one)."""
    return api_path(sid, "template", template_id)


def template_history_path(sid: str, template_id: str) -> str:
    return api_path(sid, "template_history", template_id)


def api_url(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}"


def messages_url(base_url: str, sid: str) -> str:
    return api_url(base_url, messages_path(sid))


def curl_command(url: str, body: Mapping[str, Any]) -> str:
    """A runnable curl command; the key is read from $KALEYRA_API_KEY, never written out.

    The shell's own printf hands the header to curl on its standard input (``--header @-``,
    curl 7.55 and later): in curl's arguments the key would show in ``ps`` to every user."""
    payload = codecs.dumps(dict(body)).rstrip("\n")
    return f"printf 'api-key: %s\\n' \"${API_KEY_VARIABLE}\" |\n  " + " \\\n  ".join(
        [
            f"curl --request POST {shlex.quote(url)}",
            "--header 'Content-Type: application/json'",
            "--header @-",
            f"--data-raw {shlex.quote(payload)}",
        ]
    )
