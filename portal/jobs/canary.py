"""The canary: a job that does nothing but report where it ran. `flask jobs-check` enqueues
it and waits, which proves end to end that a worker takes jobs and reaches the database."""
from __future__ import annotations

import os
import socket

from .runner import job


@job("jobs.canary")
def canary(ctx):
    ctx.progress(1, 1, "")
    return {"host": socket.gethostname(), "pid": os.getpid()}
