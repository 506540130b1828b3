"""``profile list|add|remove|set-key``: profiles on disk, keys only into the keyring."""

from __future__ import annotations

import argparse
import getpass
import sys

from rcs_composer.app.connection import check_connection
from rcs_composer.app.services import Services
from rcs_composer.cli.output import EXIT_FAILED, EXIT_OK, CommandError, terminal_text
from rcs_composer.core.issues import Region
from rcs_composer.services.profiles import (
    PODS,
    KeyLeftBehind,
    Profile,
    ProfileError,
)
from rcs_composer.services.secrets import KeyringUnavailable


def _read_key(name: str) -> str:
    """From a hidden prompt on a terminal, else the first line of stdin; never from argv."""
    if sys.stdin.isatty():
        return getpass.getpass(f"API key for {name} (input hidden): ")
    return sys.stdin.readline().strip()


def _test(services: Services, name: str, details: bool) -> int:
    """One harmless authenticated request; exit 0 when the key is accepted."""
    profile = services.profiles.get(name)
    check = check_connection(services, profile)
    print(f"{terminal_text(name, one_line=True)}: {terminal_text(check.message)}")
    if details and check.details:
        print(terminal_text(check.details))
    if not check.ok:
        raise CommandError(f"connection test failed: {check.verdict.value}", EXIT_FAILED)
    return EXIT_OK


def run_profile(args: argparse.Namespace, services: Services) -> int:
    if args.action == "test":
        try:
            return _test(services, args.name, args.details)
        except (ProfileError, ValueError) as exc:
            raise CommandError(str(exc), EXIT_FAILED) from None
    store = services.profiles
    try:
        if args.action == "list":
            for profile in store.list():
                where = profile.messages_base_url
                columns = [profile.name, profile.pod, profile.region.value, profile.sender or "-"]
                # read from a file anyone may have edited: one field each, on one line
                print("\t".join(terminal_text(c, one_line=True) for c in [*columns, where]))
            sys.stdout.flush()
            # What the file holds that this version cannot use, or why it could not be read:
            # on stderr, so the list stays machine-readable; an unread file fails the command.
            if store.unreadable:
                raise CommandError(" ".join(store.problems), EXIT_FAILED)
            for problem in store.problems:
                print(f"rcs-composer: warning: {terminal_text(problem)}", file=sys.stderr)
        elif args.action == "add":
            store.save(
                Profile(
                    name=args.name,
                    pod=args.pod,
                    base_url=args.base_url or "",
                    sid=args.sid or "",
                    sender=args.sender or "",
                    agent_number=args.agent_number or "",
                    region=Region(args.region),
                    agent_name=args.agent_name or "",
                )
            )
            print(f"Added profile {args.name}. Store its key with:")
            print(f"  rcs-composer profile set-key {args.name}")
        elif args.action == "remove":
            try:
                store.remove(args.name)
            except KeyLeftBehind as left:  # the profile did go: say so, and what is left
                print(f"rcs-composer: warning: {left}", file=sys.stderr)
                return EXIT_OK
            print(f"Removed profile {args.name} and its key.")
        elif args.action == "set-key":
            store.get(args.name)
            allow = bool(args.allow_plaintext_keyring)
            warning = store.keys.plaintext_warning()
            if warning and not allow:
                # Refused before the key is asked for: nothing is typed in vain.
                raise CommandError(
                    f"refusing to store the key. {warning} Install and unlock a system keyring, "
                    "or set RCS_COMPOSER_API_KEY for scripts. To store it in that file anyway, "
                    "run again with --allow-plaintext-keyring.",
                    EXIT_FAILED,
                )
            if warning:
                print(f"WARNING: {warning}", file=sys.stderr)
            key = _read_key(args.name)
            if not key:
                raise CommandError("no key was given", EXIT_FAILED)
            stored_in = store.keys.set(args.name, key, allow_plaintext=allow)
            if stored_in and stored_in != warning:  # a chain that passed the key on to a file
                print(f"WARNING: {stored_in}", file=sys.stderr)
            print(f"Stored the key for {args.name} in {store.keys.describe_backend()}.")
    except (ProfileError, KeyringUnavailable, ValueError) as exc:
        raise CommandError(str(exc), EXIT_FAILED) from None
    return EXIT_OK


def add_profile_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    profile = sub.add_parser("profile", help="manage Kaleyra account profiles and their keys")
    actions = profile.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list profiles")
    add = actions.add_parser("add", help="add a profile (then set-key)")
    add.add_argument("name")
    add.add_argument("--pod", choices=PODS, default="IN")
    add.add_argument("--base-url", help="with --pod custom: a proxy or another host")
    add.add_argument("--sid", help="account SID from the kaleyra.io dashboard")
    add.add_argument("--sender", help="the agent's service code, sent as 'from'")
    add.add_argument("--agent-number", help="used when creating templates")
    add.add_argument("--region", choices=[r.value for r in Region], default="IN")
    add.add_argument("--agent-name", help="name shown in the preview header")
    remove = actions.add_parser("remove", help="remove a profile and its key")
    remove.add_argument("name")
    test = actions.add_parser(
        "test", help="check the profile's address and key with one harmless request"
    )
    test.add_argument("name")
    test.add_argument(
        "--details", action="store_true", help="also print the request and the raw answer"
    )
    set_key = actions.add_parser("set-key", help="store the API key in the system keyring")
    set_key.add_argument("name")
    set_key.add_argument(
        "--allow-plaintext-keyring",
        action="store_true",
        help="store the key even if the keyring in use is a file (keyrings.alt), "
        "which anyone who can read the file can use",
    )
