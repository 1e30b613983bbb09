"""Entry point of the ``itl`` command (argparse; each sub-command is a small function)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any

from itl_adapters.observability.logging import configure_logging
from itl_adapters.settings import Settings, SettingsError
from itl_core.errors import DomainError

from itl_cli import admin
from itl_cli import ingest as knowledge_ingest
from itl_cli import jobs as background_jobs
from itl_cli.serve import serve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="itl", description="ITL Chatbot platform command.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the API and the widget host (embedded default if unset)")
    sub.add_parser("migrate", help="apply database migrations and create the runtime role")
    tenant = sub.add_parser("create-tenant", help="create a tenant")
    tenant.add_argument("tenant_id")
    tenant.add_argument("--name", required=True)
    user = sub.add_parser(
        "create-user", help="create a user (or reset an existing user's password)"
    )
    user.add_argument("--email", required=True)
    user.add_argument(
        "--role", required=True, choices=["platform_admin", "tenant_admin", "operator", "member"]
    )
    user.add_argument("--tenant", default=None)
    user.add_argument("--password", default=None, help="prompted for when omitted")
    ingest = sub.add_parser("ingest", help="load files or folders into a tenant's knowledge base")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--tenant", required=True)
    embedding = sub.add_parser(
        "embedding", help="show a tenant's embedding model, or set it (queues re-embedding)"
    )
    embedding.add_argument("--tenant", required=True)
    embedding.add_argument("--model", default=None)
    jobs = sub.add_parser("jobs", help="a tenant's background jobs and their progress")
    jobs.add_argument("--tenant", required=True)
    keys = sub.add_parser("keys", help="key material")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("rotate", help="re-encrypt every stored secret under the newest key")
    keys_sub.add_parser("generate-jwks", help="print a new private JWKS for ITL_JWT_KEYS")
    keys_sub.add_parser("generate-fernet", help="print a new key to prepend to ITL_SECRET_KEYS")
    return parser


def _run_fast(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run the servers on uvloop where it is installed (Linux, macOS): its event loop and
    transports are C, and a chat turn's platform work took 3.2 instead of 3.9 ms of CPU
    (``python -m bench chat``, which gets uvloop through uvicorn's own ``--loop auto``)."""
    try:
        import uvloop
    except ImportError:  # Windows: the standard loop
        asyncio.run(coroutine)
        return
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(coroutine)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        configure_logging(
            level=settings.log_level, fmt=settings.log_format, log_bodies=settings.log_bodies
        )
        match args.command:
            case "serve":
                _run_fast(serve(settings))
            case "migrate":
                asyncio.run(admin.migrate(settings))
            case "create-tenant":
                asyncio.run(admin.create_tenant(settings, args.tenant_id, args.name))
            case "create-user":
                password = args.password or getpass.getpass("Password: ")
                asyncio.run(
                    admin.create_user(settings, args.email, password, args.role, args.tenant)
                )
            case "ingest":
                summary = asyncio.run(knowledge_ingest.ingest(settings, args.paths, args.tenant))
                print("\n".join(summary.lines()))
                return 1 if summary.problems else 0
            case "embedding":
                lines = asyncio.run(background_jobs.embedding(settings, args.tenant, args.model))
                print("\n".join(lines))
            case "jobs":
                print("\n".join(asyncio.run(background_jobs.jobs(settings, args.tenant))))
            case "keys":
                admin.keys(settings, args.keys_command)
    except (SettingsError, DomainError) as e:
        print(f"itl: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
