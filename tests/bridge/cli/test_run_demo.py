"""``intacct-bridge run`` (the README's first command) on a fresh directory with no environment:
sandbox, migrations, admin, demo workspace, web server and worker; Ctrl-C stops it cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx


def test_run_gives_a_working_app_against_the_sandbox(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "intacct_bridge.cli", "run", "--port", "0", "--sandbox-port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 90
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Sign in as") or time.monotonic() > deadline:
                break
        output = "".join(lines)
        assert "OK: Connected to" in output, output
        url = re.search(r"running at (http://\S+)/", output).group(1)  # type: ignore[union-attr]
        password = re.search(r"Sign in as admin with password (\S+)", output).group(1)  # type: ignore[union-attr]

        with httpx.Client(base_url=url, follow_redirects=False) as web:
            web.get("/login/")
            response = web.post(
                "/login/",
                data={
                    "username": "admin",
                    "password": password,
                    "csrfmiddlewaretoken": web.cookies["csrftoken"],
                },
            )
            assert response.status_code == 302, response.text
            page = web.get("/w/demo/")
            assert page.status_code == 200 and "Connected to" in page.text
    finally:
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, "".join(lines) + rest
    assert "Stopped." in rest
    assert (tmp_path / "var" / "admin-password").stat().st_mode & 0o777 == 0o600
