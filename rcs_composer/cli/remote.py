"""``send``, ``template`` and ``sandbox``: commands that talk to Kaleyra (or the sandbox)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from pathlib import Path

from rcs_composer.app import templates_account as account
from rcs_composer.app.send_guard import SentBefore
from rcs_composer.app.sending import COUNTRY_OF_REGION, plan_send, send_test
from rcs_composer.app.services import Services
from rcs_composer.app.templates import template_errors, template_info
from rcs_composer.cli.common import read_document
from rcs_composer.cli.output import EXIT_FAILED, EXIT_OK, CommandError, terminal_text
from rcs_composer.cli.parser import number_argument
from rcs_composer.core import codecs
from rcs_composer.core.draft_diff import Change
from rcs_composer.core.local_time import local_time
from rcs_composer.core.model import Draft
from rcs_composer.core.validation import normalize_recipient
from rcs_composer.services.kaleyra import KaleyraClient
from rcs_composer.services.kaleyra_replies import KaleyraError, TemplateResult
from rcs_composer.services.paths import StorageError
from rcs_composer.services.profiles import Profile, ProfileError
from rcs_composer.services.secrets import KeyringUnavailable, MissingApiKey


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


def run_send(args: argparse.Namespace, values: dict[str, str], services: Services) -> int:
    profile = load_profile(services, args.profile)
    draft = read_document(args.file).draft
    recipients = None
    if args.recipient:
        country = COUNTRY_OF_REGION.get(profile.region)
        try:
            recipients = [normalize_recipient(number, country) for number in args.recipient]
        except ValueError as exc:
            raise CommandError(f"--recipient: {exc}") from None
        for number in dict.fromkeys(recipients):  # one message per phone, however written
            if (times := recipients.count(number)) > 1:
                print(
                    f"rcs-composer: note: {number} is given {times} times: it gets one message",
                    file=sys.stderr,
                )
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
        for place in () if plan.literal_variables else plan.left:
            literally = "--send-variables-literally"
            hint = f"--var {place.name}=VALUE, or {literally}" if place.name else literally
            print(f"error   {place.path}: {place.sentence} ({hint})")
        print(f"Not sent: {len(plan.reasons)} problem(s) in the message.")
        return EXIT_FAILED
    try:
        outcome = send_test(services, profile, plan, draft.name, again=args.send_again)
    except SentBefore as exc:
        raise CommandError(
            f"{exc.user_message()} To send it again anyway, add --send-again.", EXIT_FAILED
        ) from None
    except KaleyraError as exc:
        raise CommandError(exc.user_message(), EXIT_FAILED) from None
    except (MissingApiKey, KeyringUnavailable) as exc:
        raise CommandError(str(exc), EXIT_FAILED) from None
    for recipient, message_id in outcome.message_ids.items():  # as the server wrote them
        print(
            f"{terminal_text(recipient, one_line=True)}\t{terminal_text(message_id, one_line=True)}"
        )
    if outcome.history_problem:
        print(f"rcs-composer: warning: {terminal_text(outcome.history_problem)}", file=sys.stderr)
    if outcome.missing_sentence:
        print(f"rcs-composer: warning: {outcome.missing_sentence}", file=sys.stderr)
    return EXIT_OK


def _template_draft(draft: Draft, profile: Profile, args: argparse.Namespace) -> Draft:
    """The file's draft with the template fields the command line gives, checked."""
    info = template_info(
        draft, profile, name=args.name or None, status=args.status, agent_number=args.agent_number
    )
    errors = template_errors(draft, info, profile)
    if errors:
        lines = "; ".join(f"{issue.path}: {issue.message}" for issue in errors[:5])
        raise CommandError(f"not sent: {lines}", EXIT_FAILED)
    return dataclasses.replace(draft, template=info)


def _print_result(result: TemplateResult) -> None:
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


def run_template(args: argparse.Namespace, services: Services) -> int:
    profile = load_profile(services, args.profile)
    if args.action not in ("list", "forget") or getattr(args, "refresh", False):
        # a missing key is told before anything
        client_for(services, profile, templates=True)
    try:
        return _template_action(services, profile, args)
    except KaleyraError as exc:
        raise CommandError(exc.user_message(), EXIT_FAILED) from None
    except account.UpdateBlocked as exc:
        raise CommandError(f"not sent: {exc}", EXIT_FAILED) from None
    except (StorageError, ValueError) as exc:
        raise CommandError(str(exc), EXIT_FAILED) from None


def _template_action(services: Services, profile: Profile, args: argparse.Namespace) -> int:
    action = args.action
    if action == "create":
        draft = _template_draft(read_document(args.file).draft, profile, args)
        assert draft.template is not None
        result, _ = account.create(services, profile, draft, draft.template)
        _print_result(result)
    elif action == "update":
        draft = _template_draft(read_document(args.file).draft, profile, args)
        result, _ = account.update(services, profile, draft, args.id)
        _print_result(result)
    elif action == "get":
        result = account.read(services, profile, args.id)
        print(json.dumps(result.raw, ensure_ascii=False, indent=2))
    elif action == "open":
        opened = account.open_template(services, profile, args.id)
        text = codecs.dumps(codecs.export_draft(opened.draft))
        if args.output:
            try:
                Path(args.output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{args.output}: {exc.strerror or exc}") from None
            print(f"Template {opened.entry.name} ({opened.entry.status}) saved as {args.output}.")
        else:
            print(text)
    elif action == "history":
        return _print_history(services, profile, args)
    elif action == "list":
        return _print_list(services, profile, args)
    elif action == "diff":
        return _print_diff(services, profile, args)
    elif action == "forget":
        if services.template_register.get(profile.name, args.id) is None:
            raise CommandError(
                f"template {args.id} is not listed for profile {profile.name}", EXIT_FAILED
            )
        account.forget(services, profile, args.id)
        print(f"Template {args.id} is no longer listed here (it stays on the account, if there).")
    elif account.delete(services, profile, args.id):
        print(f"Deleted template {args.id}.")
    else:
        print(f"Template {args.id} was not on the account any more; it is no longer listed here.")
    return EXIT_OK


def _print_history(services: Services, profile: Profile, args: argparse.Namespace) -> int:
    steps = account.history(services, profile, args.id)
    if args.json:
        print(
            json.dumps([dataclasses.asdict(step) for step in steps], ensure_ascii=False, indent=2)
        )
        return EXIT_OK
    if not steps:
        print(f"Kaleyra reports no status changes for {args.id}.")
    for step in steps:
        reason = f"  ({account.printable(step.reason)})" if step.reason else ""
        at = local_time(step.at) if step.at else "(no time given)"
        print(f"{at:20} {account.status_words(step.status)}{reason}")
    return EXIT_OK


def _print_list(services: Services, profile: Profile, args: argparse.Namespace) -> int:
    failures: dict[str, str] = {}
    if args.refresh:
        outcome = account.refresh(services, profile)
        entries, problems, failures = outcome.entries, outcome.register_problems, outcome.failures
    else:
        loaded = account.listing(services, profile)
        entries, problems = loaded.entries, loaded.problems
        if loaded.kept_aside is not None:
            problems = (*problems, f"The template list as it was is kept as {loaded.kept_aside}.")
    for problem in problems:
        print(f"rcs-composer: warning: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps([entry.to_json() for entry in entries], ensure_ascii=False, indent=2))
    elif not entries:
        print(
            f"No templates recorded for {profile.name} yet: create one, or "
            "`template open ID` one that is on the account."
        )
    else:
        print(f"{'NAME':21} {'TYPE':9} {'STATUS':23} {'CHECKED':20} ID")
        # What the server named is printed as one safe line each: no escape sequence reaches
        # the terminal, no line break forges a row (a register written before may hold them).
        clean = account.printable
        for entry in entries:
            status = clean(account.status_words(entry.status))
            kind = clean(account.type_words(entry.template_type))
            checked = local_time(entry.checked_at) if entry.checked_at else "never"
            print(
                f"{clean(entry.name)[:21]:21} {kind[:9]:9} {status[:23]:23} "
                f"{checked[:20]:20} {clean(entry.template_id)}"
            )
            if entry.problem:
                print(f"  ✖ {clean(entry.problem)}")
    for template_id, sentence in failures.items():
        print(
            f"rcs-composer: {account.printable(template_id)}: {account.printable(sentence)}",
            file=sys.stderr,
        )
    return EXIT_FAILED if failures else EXIT_OK


def _print_diff(services: Services, profile: Profile, args: argparse.Namespace) -> int:
    draft = read_document(args.file).draft
    comparison = account.compare(services, profile, draft, args.id)
    changes = comparison.changes
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "path": c.path,
                        "label": c.label,
                        "change": c.change.value,
                        "server": c.before,
                        "file": c.after,
                    }
                    for c in changes
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not changes:
        print(f"{args.file} and template {comparison.server.entry.name} are the same.")
    else:
        for c in changes:
            if c.change is Change.CHANGED:
                print(f"changed  {c.label}: {c.shown('before')!r} -> {c.shown('after')!r}")
            elif c.change is Change.ADDED:
                print(f"added    {c.label}: {c.shown('after')!r}")
            else:
                print(f"removed  {c.label}: {c.shown('before')!r}")
    if changes and comparison.blocked and not args.json:
        print(f"note: {comparison.blocked}", file=sys.stderr)
    return EXIT_FAILED if changes else EXIT_OK


def run_sandbox(args: argparse.Namespace, services: Services) -> int:
    from rcs_composer.app.services import sandbox_options
    from rcs_composer.services.sandbox import serve_forever

    options = sandbox_options(services.paths.data_dir)
    if args.template_step is not None:
        options["template_step_s"] = args.template_step
    try:
        serve_forever(args.port, **options)
    except OSError as exc:  # the port is taken, or not ours to open
        raise CommandError(
            f"the sandbox cannot listen on 127.0.0.1:{args.port}: "
            f"{exc.strerror or exc}; choose another --port, or 0 for a free one"
        ) from None
    return EXIT_OK


def _template_id(text: str) -> str:
    """A template id as the account gave it: not empty (an empty one asks for the list's
    address, which answers 'Method not allowed')."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the template id is empty")
    return text.strip()


_port = number_argument(
    int, 0, 65535, what="a port number", outside="is not a port: use 0 to 65535"
)
_seconds = number_argument(
    float, 0.0, math.inf, what="a number of seconds", outside="is not zero or more seconds"
)


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
    send.add_argument(
        "--send-again",
        action="store_true",
        help="send even though the same message went to the same numbers with no answer "
        "(it may have arrived), or a moment ago",
    )

    template = sub.add_parser(
        "template", help="create, list, open, compare, update, delete Kaleyra templates"
    )
    actions = template.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name in ("create", "update"):
        action = actions.add_parser(name, help=f"{name} a template from a file")
        if name == "update":
            action.add_argument("id", type=_template_id, help="template id")
        action.add_argument("file")
        action.add_argument("--profile", required=True)
        action.add_argument("--name", help="template name: 1-20 of letters, digits, _")
        action.add_argument(
            "--status", help="CREATED (default), ACTIVE; DRAFT, SUBMITTEDFORAPPROVAL in IN"
        )
        action.add_argument("--agent-number", help="default: the profile's agent number")
    for name, what in (
        ("get", "print the server's copy of a template (and record it)"),
        ("open", "the server's copy of a template as a draft file linked to it"),
        ("delete", "delete a template on the account (one already gone is forgotten)"),
        ("forget", "stop listing a template here; it stays on the account"),
        ("history", "the status changes of a template over time"),
    ):
        action = actions.add_parser(name, help=what)
        action.add_argument("id", type=_template_id, help="template id")
        action.add_argument("--profile", default="sandbox", help="default: sandbox")
        if name == "open":
            action.add_argument("-o", "--output", metavar="DRAFT.json", help="default: stdout")
        if name == "history":
            action.add_argument("--json", action="store_true", help="the steps as JSON")
    listing = actions.add_parser("list", help="the templates recorded for a profile")
    listing.add_argument("--profile", default="sandbox", help="default: sandbox")
    listing.add_argument(
        "--refresh", action="store_true", help="read each one's status and history from Kaleyra"
    )
    listing.add_argument("--json", action="store_true")
    diff = actions.add_parser(
        "diff", help="compare a file with the server's copy of a template (exit 1: differences)"
    )
    diff.add_argument("file", help="a draft, message body or template body")
    diff.add_argument("--id", type=_template_id, required=True, help="template id")
    diff.add_argument("--profile", default="sandbox", help="default: sandbox")
    diff.add_argument("--json", action="store_true")

    sandbox = sub.add_parser("sandbox", help="run the built-in sandbox server in the foreground")
    sandbox.add_argument(
        "--port", type=_port, default=0, help="port on 127.0.0.1 (default: a free one)"
    )
    sandbox.add_argument(
        "--template-step",
        type=_seconds,
        metavar="SECONDS",
        help="seconds between a new template's lifecycle steps (default 4; "
        "RCS_COMPOSER_SANDBOX_TEMPLATE_STEP_S)",
    )
