"""Every process registers the Huey tasks, so a consumer started by `run` or `worker` can run them."""

import subprocess
import sys


def test_it_registers_the_sync_tasks_and_the_scheduler_at_startup() -> None:
    # A fresh interpreter: nothing but django.setup(), as a worker process starts.
    code = (
        "import django; django.setup();"
        "from huey.contrib.djhuey import HUEY;"
        "names = set(HUEY._registry._registry);"
        "print(sorted(n for n in names if n.startswith('intacct_bridge.jobs.tasks.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "intacct_bridge.jobs.tasks.sync_task" in out
    assert "intacct_bridge.jobs.tasks.dispatch_schedules" in out
