"""``send``, ``template`` and ``sandbox``: commands that talk to Kaleyra (or the sandbox)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from rcs_composer.cli.common import EXIT_FAILED, EXIT_OK, CommandError, read_document
from rcs_composer.core import codecs
from rcs_composer.core.issues import Region
from rcs_composer.core.model import Draft, TemplateInfo
from rcs_composer.core.outgoing import prepare_send
from rcs_composer.core.validation import normalize_recipient, validate
from rcs_composer.services.history import SendHistory, SendRecord
from rcs_composer.services.kaleyra import KaleyraClient
from rcs_composer.services.kaleyra_errors import KaleyraError, OutcomeUnknown
from rcs_composer.services.paths import app_paths
from rcs_composer.services.profiles import Profile, ProfileError, ProfileStore
from rcs_composer.services.secrets import (
    KeyringUnavailable,
    KeyStore,
    MissingApiKey,
    resolve_api_key,
)

# Numbers typed without a country code are read in the profile's country.
DEFAULT_COUNTRY = {Region.IN: "IN", Region.NA: "US"}


def load_profile(name: str) -> tuple[ProfileStore, Profile]:
    store = ProfileStore(app_paths().ensure().config_dir, KeyStore())
    try:
        return store, store.get(name)
    except ProfileError as exc:
        raise CommandError(f"--profile: {exc}") from None


@contextlib.contextmanager
def client_for(profile: Profile, *, templates: bool = False) -> Iterator[KaleyraClient]:
    """A client for the profile; the sandbox profile gets a sandbox started for this command."""
    if profile.is_sandbox:
        from rcs_composer.services.sandbox import SandboxServer

        with SandboxServer() as server:
            yield KaleyraClient(
                server.url, profile.sid, resolve_api_key(KeyStore(), profile.name, is_sandbox=True)
            )
        return
    try:
        key = resolve_api_key(KeyStore(), profile.name, is_sandbox=False)
    except (MissingApiKey, KeyringUnavailable) as exc:
        raise CommandError(str(exc), EXIT_FAILED) from None
    base = profile.templates_base_url if templates else profile.messages_base_url
    yield KaleyraClient(base, profile.sid, key)


def run_send(args: argparse.Namespace, values: dict[str, str]) -> int:
    _, profile = load_profile(args.profile)
    draft = read_document(args.file).draft
    message = draft.message
    recipients = message.recipients
    if args.recipient:
        country = DEFAULT_COUNTRY.get(profile.region)
        try:
            recipients = tuple(normalize_recipient(number, country) for number in args.recipient)
        except ValueError as exc:
            raise CommandError(f"--recipient: {exc}") from None
    outgoing = prepare_send(
        message,
        sender=message.sender or profile.sender,
        recipients=recipients,
        values={**draft.variables, **values},
    )
    errors = [
        issue
        for issue in validate(outgoing, profile.region, require_envelope=True)
        if issue.is_error
    ]
    if errors:
        for issue in errors:
            print(f"error   {issue.path}: {issue.message} [{issue.code}]")
        print(f"Not sent: {len(errors)} error(s) in the message.")
        return EXIT_FAILED
    body = codecs.export_message(outgoing)
    history = SendHistory(app_paths().ensure().data_dir)
    record = SendRecord(
        time=datetime.now(UTC).isoformat(timespec="seconds"),
        profile=profile.name,
        endpoint=f"POST /v1/{profile.sid}/rcs/messages",
        draft_name=draft.name,
        recipients=tuple(outgoing.recipients or ()),
        outcome="sent",
    )
    logging.getLogger("rcs_composer.send").info(
        "test send through profile %s to %d recipient(s)", profile.name, len(record.recipients)
    )
    with client_for(profile) as client:
        try:
            result = client.send(body)
        except KaleyraError as exc:
            outcome = "unknown" if isinstance(exc, OutcomeUnknown) else "failed"
            history.append(dataclasses.replace(record, outcome=outcome, error=exc.user_message()))
            raise CommandError(exc.user_message(), EXIT_FAILED) from None
    history.append(dataclasses.replace(record, message_ids=result.message_ids))
    for recipient, message_id in result.message_ids.items():
        print(f"{recipient}\t{message_id}")
    return EXIT_OK


def _template_body(draft: Draft, profile: Profile, args: argparse.Namespace) -> dict[str, object]:
    info = draft.template or TemplateInfo()
    info = dataclasses.replace(
        info,
        name=args.name or info.name,
        status=args.status or info.status or "CREATED",
        agent_number=args.agent_number or info.agent_number or profile.agent_number,
        template_id=None,
        template_number=None,
    )
    errors = [i for i in validate(draft.message, profile.region, template=info) if i.is_error]
    if errors:
        lines = "; ".join(f"{issue.path}: {issue.message}" for issue in errors[:5])
        raise CommandError(f"not sent: {lines}", EXIT_FAILED)
    return codecs.export_template(draft.message, info)


def run_template(args: argparse.Namespace) -> int:
    _, profile = load_profile(args.profile)
    with client_for(profile, templates=True) as client:
        try:
            if args.action in ("create", "update"):
                draft = read_document(args.file).draft
                body = _template_body(draft, profile, args)
                result = (
                    client.create_template(body)
                    if args.action == "create"
                    else client.update_template(args.id, body)
                )
                print(
                    json.dumps(
                        {
                            "template_id": result.template_id,
                            "template_number": result.template_number,
                            "status": result.status,
                            "placeholders": list(result.placeholders),
                        },
                        indent=2,
                    )
                )
            elif args.action == "get":
                print(json.dumps(client.get_template(args.id).raw, ensure_ascii=False, indent=2))
            elif args.action == "history":
                print(json.dumps(client.template_history(args.id), ensure_ascii=False, indent=2))
            else:
                client.delete_template(args.id)
                print(f"Deleted template {args.id}.")
        except KaleyraError as exc:
            raise CommandError(exc.user_message(), EXIT_FAILED) from None
    return EXIT_OK


def run_sandbox(args: argparse.Namespace) -> int:
    from rcs_composer.services.sandbox import serve_forever

    serve_forever(args.port)
    return EXIT_OK


def add_remote_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    send = sub.add_parser("send", help="validate, then send a test message through a profile")
    send.add_argument("file", help="a message body, template body or draft")
    send.add_argument(
        "--profile", required=True, help="profile name (sandbox works without an account)"
    )
    send.add_argument(
        "--recipient", action="append", metavar="N", help="any common form; repeat for more"
    )
    send.add_argument("--var", action="append", metavar="NAME=VALUE", help="fill a {{variable}}")

    template = sub.add_parser("template", help="create, get, update, delete Kaleyra templates")
    actions = template.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name in ("create", "update"):
        action = actions.add_parser(name, help=f"{name} a template from a file")
        if name == "update":
            action.add_argument("id", help="template id")
        action.add_argument("file")
        action.add_argument("--profile", required=True)
        action.add_argument("--name", help="template name: 1-20 of letters, digits, _")
        action.add_argument(
            "--status", help="CREATED (default), ACTIVE; DRAFT, SUBMITTEDFORAPPROVAL in IN"
        )
        action.add_argument("--agent-number", help="default: the profile's agent number")
    for name in ("get", "delete", "history"):
        action = actions.add_parser(name, help=f"{name} a template by id")
        action.add_argument("id", help="template id")
        action.add_argument("--profile", required=True)

    sandbox = sub.add_parser("sandbox", help="run the built-in sandbox server in the foreground")
    sandbox.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)"
    )
