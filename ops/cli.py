"""The ``pendamping`` command: ``token``, ``migrate``, ``wait-for-migrations``, ``run``,
``console-user``, ``dev-sign-in``, ``rotate-data-key``, ``rekey-clients`` and ``index-key``."""

from __future__ import annotations

import argparse
import sys

from shared.settings import CONSOLE, SERVICES, ConfigurationError, load_settings
from shared.vocabulary import FOUNDATION_ROLES, Locale, Role, values

# as shared.auth has them; imported there only by the commands that sign (Flask and JWT
# stay out of `pendamping run`'s long-lived supervisor)
ROLES = values(Role)
DEFAULT_TTL_SECONDS = 3600


def _token(args: argparse.Namespace) -> int:
    from shared.auth import SUB_MAX_LENGTH, claims_fit, issue_token

    settings = load_settings(service=args.service)
    if args.role == "operator" and args.foundation:
        print("an operator token names no foundation", file=sys.stderr)
        return 2
    if args.role != "operator" and not args.foundation:
        print(f"a {args.role} token needs --foundation SLUG", file=sys.stderr)
        return 2
    sub = args.sub or (args.role if args.role == "operator" else f"{args.role}@{args.foundation}")
    if not claims_fit(sub, args.foundation):
        print(
            f"--sub takes at most {SUB_MAX_LENGTH} characters, and --foundation a slug "
            "(a-z, 0-9 and -, at most 40)",
            file=sys.stderr,
        )
        return 2
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
    from ops.migrations import upgrade_all

    upgrade_all(load_settings())
    print("migrations applied: intake, assessment, notifications, console")
    return 0


def _dev_sign_in(args: argparse.Namespace) -> int:
    """The console's dev admin as one JSON line (``null`` once other accounts are in use);
    made on a first run. ``pendamping run`` calls this in a child process, so the console's
    models and password hashing never stay in its supervisor's memory."""
    import json
    from dataclasses import asdict

    from services.console.bootstrap import BootstrapError, ensure_dev_sign_in

    try:
        sign_in = ensure_dev_sign_in(load_settings(), args.intake_url)
    except (BootstrapError, OSError) as exc:
        print(f"no dev sign-in for the console: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(asdict(sign_in) if sign_in else None))
    return 0


def _wait_for_migrations(args: argparse.Namespace) -> int:
    from ops.migrations import wait_until_migrated

    settings = load_settings(service=args.service)
    if args.service == CONSOLE:
        from services.console.config import console_config

        url = console_config(settings).database_url
    else:
        url = settings.database_url(args.service)
    if wait_until_migrated(args.service, url, args.timeout):
        print(f"{args.service}: the database is at the code's migrations")
        return 0
    print(
        f"{args.service}: the database is not at the code's migrations after "
        f"{args.timeout:g} s (has `pendamping migrate` run for this version?)",
        file=sys.stderr,
    )
    return 1


def _run(_args: argparse.Namespace) -> int:
    from ops.runner import run_suite

    return run_suite()


def _console_user(args: argparse.Namespace) -> int:
    from ops.migrations import upgrade
    from services.console.bootstrap import BootstrapError, create_user
    from services.console.config import console_config

    settings = load_settings(service=CONSOLE)
    upgrade(CONSOLE, console_config(settings).database_url)
    try:
        sign_in = create_user(
            settings,
            foundation=args.foundation,
            email=args.email,
            role=args.role,
            password=args.password,
            name=args.name,
            staff_id=args.staff_id,
            locale=args.locale,
        )
    except BootstrapError as exc:
        print(f"console-user: {exc}", file=sys.stderr)
        return 1
    print(f"console account created: {sign_in.email} ({args.role}, {sign_in.foundation})")
    if not args.password:
        print(f"password (shown once): {sign_in.password}")
    return 0


def _rotate_data_key(args: argparse.Namespace) -> int:
    from ops.key_rotation import ROTATED_SERVICES, run_rotation

    return run_rotation(
        load_settings(service=args.service),
        [args.service] if args.service else ROTATED_SERVICES,
        batch_size=args.batch_size,
        dry_run=args.dry_run,
    )


def _rekey_clients(args: argparse.Namespace) -> int:
    from ops.client_rekey import run_rekey

    return run_rekey(
        load_settings(service=args.service),
        [args.service] if args.service else SERVICES,
        batch_size=args.batch_size,
        dry_run=args.dry_run,
    )


def _index_key(args: argparse.Namespace) -> int:
    from shared.crypto import DataCipher

    settings = load_settings(service=args.service)
    print(DataCipher(settings.data_keys, settings.index_key).index_key)
    return 0


def _batch_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 10000, not {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pendamping", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    token = commands.add_parser("token", help="print a signed JWT")
    token.add_argument("--role", required=True, choices=ROLES)
    token.add_argument("--foundation", help="the foundation's slug (not for operators)")
    token.add_argument("--sub", help="who the token speaks for (e.g. a staff id)")
    token.add_argument("--ttl", type=int, default=DEFAULT_TTL_SECONDS, help="lifetime in seconds")
    token.add_argument(
        "--service",
        choices=SERVICES,
        help="in production: the service whose container this runs in (its own secrets only)",
    )
    token.set_defaults(handler=_token)

    commands.add_parser("migrate", help="apply every service's migrations").set_defaults(
        handler=_migrate
    )
    wait = commands.add_parser(
        "wait-for-migrations",
        help="wait until one service's database is at this code's migrations",
        description="Exit 0 once SERVICE's database is at the revision this code expects, "
        "1 if it is not after --timeout seconds. Run before a process whose migrations "
        "another step applies (the Kubernetes manifests' init containers).",
    )
    wait.add_argument("--service", required=True, choices=(*SERVICES, CONSOLE))
    wait.add_argument("--timeout", type=float, default=600.0, help="seconds to wait at most (600)")
    wait.set_defaults(handler=_wait_for_migrations)
    commands.add_parser("run", help="run the whole suite in the foreground").set_defaults(
        handler=_run
    )

    console_user = commands.add_parser(
        "console-user", help="create a staff console account (and its intake staff record)"
    )
    console_user.add_argument("--foundation", required=True, help="the foundation's slug")
    console_user.add_argument("--email", required=True)
    console_user.add_argument("--role", required=True, choices=values(FOUNDATION_ROLES))
    console_user.add_argument("--password", help="default: a random one, printed once")
    console_user.add_argument("--name", help="the staff member's name (default: from the email)")
    console_user.add_argument(
        "--staff-id", help="an existing intake staff record (else one is made)"
    )
    console_user.add_argument(
        "--locale",
        choices=values(Locale),
        help="the account's language (default: none stored; the first sign-in's is kept)",
    )
    console_user.set_defaults(handler=_console_user)

    dev = commands.add_parser(
        "dev-sign-in",
        help="development only: the console's dev admin (made on a first run), as JSON",
    )
    dev.add_argument("--intake-url", required=True, help="where intake answers")
    dev.set_defaults(handler=_dev_sign_in)

    rotate = commands.add_parser(
        "rotate-data-key",
        help="re-encrypt stored personal data under the first PENDAMPING_DATA_KEY",
        description="Re-encrypt every encrypted value (and the personal fields of stored "
        "events) under the first key of PENDAMPING_DATA_KEY, and re-wrap the clients' keys "
        "in each service's key store (values under a client's key are left as they are), in "
        "batches, one transaction each; safe to interrupt and to run again. Prints counts "
        "per table, never values.",
    )
    rotate.add_argument(
        "--service",
        choices=(*SERVICES, CONSOLE),
        help="only this service's database (default: every one)",
    )
    rotate.add_argument(
        "--batch-size", type=_batch_size, default=200, help="rows per transaction (200)"
    )
    rotate.add_argument(
        "--dry-run", action="store_true", help="count what would be rotated; write nothing"
    )
    rotate.set_defaults(handler=_rotate_data_key)

    rekey = commands.add_parser(
        "rekey-clients",
        help="put each client's stored personal data under the client's own key",
        description="Once, after upgrading a deployment that kept every client's data under "
        "PENDAMPING_DATA_KEY: re-encrypt each personal value of each client-owned table "
        "under that client's key in the service's key store (<SERVICE>_KEYS_DATABASE_URL), "
        "so that an erasure, which destroys the key, leaves nothing readable. In batches, "
        "one transaction each; safe to interrupt and to run again (values already under a "
        "client key are left alone). Events in the outboxes are not rewritten: they are "
        "pruned a week after publication. Prints counts per table, never values.",
    )
    rekey.add_argument(
        "--service", choices=SERVICES, help="only this service's database (default: every one)"
    )
    rekey.add_argument(
        "--batch-size", type=_batch_size, default=200, help="rows per transaction (200)"
    )
    rekey.add_argument(
        "--dry-run", action="store_true", help="count what would be rekeyed; write nothing"
    )
    rekey.set_defaults(handler=_rekey_clients)

    index_key = commands.add_parser(
        "index-key",
        help="print the blind-index key in effect, to pin as PENDAMPING_INDEX_KEY",
    )
    index_key.add_argument(
        "--service",
        choices=(*SERVICES, CONSOLE),
        help="in production: the service whose container this runs in (its own secrets only)",
    )
    index_key.set_defaults(handler=_index_key)

    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ConfigurationError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
