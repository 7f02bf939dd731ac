"""The ``pendamping`` command: ``token``, ``migrate`` and ``run``."""

from __future__ import annotations

import argparse
import sys

from shared.auth import DEFAULT_TTL_SECONDS, ROLES, issue_token
from shared.settings import ConfigurationError, load_settings


def _token(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.role == "operator" and args.foundation:
        print("an operator token names no foundation", file=sys.stderr)
        return 2
    if args.role != "operator" and not args.foundation:
        print(f"a {args.role} token needs --foundation SLUG", file=sys.stderr)
        return 2
    sub = args.sub or (args.role if args.role == "operator" else f"{args.role}@{args.foundation}")
    print(
        issue_token(
            settings.secret_key,
            sub=sub,
            role=args.role,
            foundation=args.foundation,
            ttl_seconds=args.ttl,
        )
    )
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from shared.migrations import upgrade_all

    upgrade_all(load_settings())
    print("migrations applied: intake, assessment, notifications")
    return 0


def _run(_args: argparse.Namespace) -> int:
    from shared.runner import run_suite

    return run_suite()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pendamping", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    token = commands.add_parser("token", help="print a signed JWT")
    token.add_argument("--role", required=True, choices=ROLES)
    token.add_argument("--foundation", help="the foundation's slug (not for operators)")
    token.add_argument("--sub", help="who the token speaks for (e.g. a staff id)")
    token.add_argument("--ttl", type=int, default=DEFAULT_TTL_SECONDS, help="lifetime in seconds")
    token.set_defaults(handler=_token)

    commands.add_parser("migrate", help="apply every service's migrations").set_defaults(
        handler=_migrate
    )
    commands.add_parser("run", help="run the whole suite in the foreground").set_defaults(
        handler=_run
    )

    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ConfigurationError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
