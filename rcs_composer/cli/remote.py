"""``send``, ``template`` and ``sandbox``: commands that talk to Kaleyra (or the sandbox)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator

from rcs_composer.app.sending import COUNTRY_OF_REGION, plan_send, send_test, unfilled_sentence
from rcs_composer.app.services import Services
from rcs_composer.app.templates import template_body, template_errors, template_info
from rcs_composer.cli.common import EXIT_FAILED, EXIT_OK, CommandError, read_document
from rcs_composer.core.model import Draft
from rcs_composer.core.validation import normalize_recipient
from rcs_composer.services.kaleyra import KaleyraClient
from rcs_composer.services.kaleyra_replies import KaleyraError
from rcs_composer.services.profiles import Profile, ProfileError
from rcs_composer.services.secrets import KeyringUnavailable, MissingApiKey


@contextlib.contextmanager
def command_services() -> Iterator[Services]:
    """The command's one Services container; a sandbox it started stops with the command."""
    services = Services()
    try:
        yield services
    finally:
        services.stop_sandbox()


def load_profile(services: Services, name: str) -> Profile:
    try:
        return services.profiles.get(name)
    except ProfileError as exc:
        raise CommandError(f"--profile: {exc}") from None


def client_for(services: Services, profile: Profile, *, templates: bool = False) -> KaleyraClient:
    try:
        return services.client_for(profile, templates=templates)
    except (MissingApiKey, KeyringUnavailable) as exc:
        raise CommandError(str(exc), EXIT_FAILED) from None


def run_send(args: argparse.Namespace, values: dict[str, str]) -> int:
    with command_services() as services:
        profile = load_profile(services, args.profile)
        draft = read_document(args.file).draft
        recipients = None
        if args.recipient:
            country = COUNTRY_OF_REGION.get(profile.region)
            try:
                recipients = [normalize_recipient(number, country) for number in args.recipient]
            except ValueError as exc:
                raise CommandError(f"--recipient: {exc}") from None
        plan = plan_send(
            draft,
            profile,
            recipients,
            {**draft.variables, **values},
            literal_variables=args.send_variables_literally,
        )
        if not plan.ready:
            for issue in plan.errors:
                print(f"error   {issue.path}: {issue.message} [{issue.code}]")
            if plan.unfilled and not plan.literal_variables:
                print(f"error   {unfilled_sentence(plan.unfilled)} (--var NAME=VALUE)")
            print(f"Not sent: {len(plan.reasons)} problem(s) in the message.")
            return EXIT_FAILED
        try:
            outcome = send_test(services, profile, plan, draft.name)
        except KaleyraError as exc:
            raise CommandError(exc.user_message(), EXIT_FAILED) from None
        except (MissingApiKey, KeyringUnavailable) as exc:
            raise CommandError(str(exc), EXIT_FAILED) from None
    for recipient, message_id in outcome.message_ids.items():
        print(f"{recipient}\t{message_id}")
    if outcome.history_problem:
        print(f"rcs-composer: warning: {outcome.history_problem}", file=sys.stderr)
    return EXIT_OK


def _template_body(draft: Draft, profile: Profile, args: argparse.Namespace) -> dict[str, object]:
    info = template_info(
        draft, profile, name=args.name or None, status=args.status, agent_number=args.agent_number
    )
    errors = template_errors(draft, info, profile)
    if errors:
        lines = "; ".join(f"{issue.path}: {issue.message}" for issue in errors[:5])
        raise CommandError(f"not sent: {lines}", EXIT_FAILED)
    return template_body(draft, info)


def run_template(args: argparse.Namespace) -> int:
    with command_services() as services:
        profile = load_profile(services, args.profile)
        client = client_for(services, profile, templates=True)
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
    send.add_argument(
        "--send-variables-literally",
        action="store_true",
        help="send {{variables}} left without a value as they are, braces and all",
    )

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
