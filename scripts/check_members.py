"""Sync each workspace member alone and import every module it ships.

A member that imports a package only another member depends on works in the shared venv and
breaks for anyone who installs it alone (``pip install itl-core`` in another service). This
syncs one member at a time (``uv sync --frozen --package NAME``) into a throwaway venv and
imports all of its modules there.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
MEMBERS = {
    "itl-core": "packages/itl_core/src/itl_core",
    "itl-adapters": "packages/itl_adapters/src/itl_adapters",
    "itl-web": "packages/itl_web/src/itl_web",
    "http-api": "apps/http_api/src/http_api",
    "widget-host": "apps/widget_host/src/widget_host",
    "itl-cli": "apps/cli/src/itl_cli",
}
SKIP = {"asgi"}  # process entry points read the environment on import, by design


def modules(package_dir: pathlib.Path) -> list[str]:
    names = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts[-1] not in SKIP:
            names.append(".".join(parts))
    return names


def main() -> int:
    uv = os.environ.get("UV", str(ROOT / ".tools/bin/uv"))
    failed = []
    for member, src in MEMBERS.items():
        with tempfile.TemporaryDirectory(prefix=f"itl-member-{member}-") as venv:
            env = {**os.environ, "UV_PROJECT_ENVIRONMENT": venv}
            sync = [uv, "sync", "--frozen", "--no-dev", "--package", member, "--quiet"]
            subprocess.run(sync, cwd=ROOT, env=env, check=True)  # noqa: S603
            code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)"
            python = pathlib.Path(venv) / "bin" / "python"
            result = subprocess.run(  # noqa: S603
                [str(python), "-c", code, *modules(ROOT / src)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            status = "ok" if result.returncode == 0 else "FAILED"
            print(f"{member:<14} {status}")
            if result.returncode:
                print(result.stderr.strip().splitlines()[-1], file=sys.stderr)
                failed.append(member)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
