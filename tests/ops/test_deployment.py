"""The production set-up, run once for real on loopback: gunicorn with two workers and
JOBS_BACKEND=rq, a `flask jobs-worker` process, on the test database and the machine's Redis.
Checks /healthz, the API token sign-in, a web session across the processes, and a job
enqueued into the same Redis and database that the worker process completes."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import delete, or_

from portal.audit import AuditEntry
from portal.auth.models import ApiToken, LoginAttempt, User
from portal.extensions import db
from portal.jobs import Job, enqueue
from tests.factories import PASSWORD
from tests.jobs.conftest import REDIS_URL, redis_or_fail

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 20  # seconds for gunicorn and the worker to come up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Http:
    """A tiny HTTP client on loopback with a cookie jar (the web session)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                                  NoRedirect())

    def call(self, method: str, path: str, data=None, json_body=None, headers=None):
        headers = dict(headers or {})
        body = None
        if json_body is not None:
            body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _stop(processes: list[subprocess.Popen]) -> None:
    """Gunicorn's quick shutdown (SIGINT) and the worker's warm one (SIGTERM), all at once;
    whatever still runs after a few seconds is killed with its process group (each process
    was started in a session of its own)."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT if "gunicorn" in process.args[0] else signal.SIGTERM)
    deadline = time.monotonic() + 4
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture
def deployment(app, tmp_path):
    from rq import Queue

    redis = redis_or_fail()
    queue_name = f"test-deploy-{uuid.uuid4().hex[:10]}"
    email = f"ops-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        user = User(email=email, name="Ops check", role="admin", locale="en")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    port = free_port()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "ops-test-secret",
           "JOBS_BACKEND": "rq", "REDIS_URL": REDIS_URL, "JOBS_QUEUE": queue_name, "FLASK_APP": "portal",
           "OUTBOX_DIR": str(tmp_path / "outbox"), "STORAGE_DIR": str(tmp_path / "storage")}
    processes = []

    def start(name, args):
        log = open(tmp_path / f"{name}.log", "wb")
        processes.append(subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True))

    try:
        start("gunicorn", [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
                           "--timeout", "30", "--preload", "portal.wsgi:app"])
        start("worker", [sys.executable, "-m", "flask", "jobs-worker", "--name", queue_name])
        yield {"base": f"http://127.0.0.1:{port}", "queue": queue_name, "email": email, "logs": tmp_path,
               "processes": processes}
    finally:
        _stop(processes)
        Queue(queue_name, connection=redis).delete(delete_jobs=True)
        with app.app_context():
            db.session.execute(delete(AuditEntry).where(or_(AuditEntry.user_id == user_id,
                                                            AuditEntry.user_email == email)))
            db.session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
            db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
            db.session.execute(delete(Job).where(Job.created_by_id == user_id))
            db.session.execute(delete(Job).where(Job.name == "jobs.canary"))
            db.session.execute(delete(User).where(User.id == user_id))
            db.session.commit()


def _logs(deployment) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                     for p in sorted(deployment["logs"].glob("*.log")))


def wait_for_health(http: Http, deployment) -> dict:
    deadline = time.monotonic() + START_TIMEOUT
    body = {}
    while time.monotonic() < deadline:
        for process in deployment["processes"]:
            assert process.poll() is None, f"a process stopped:\n{_logs(deployment)}"
        try:
            status, text = http.call("GET", "/healthz")
        except OSError:  # not listening yet
            time.sleep(0.2)
            continue
        body = json.loads(text)
        if status == 200 and body.get("workers", 0) >= 1:
            return body
        time.sleep(0.2)
    pytest.fail(f"not healthy within {START_TIMEOUT} s (last: {body}):\n{_logs(deployment)}")


def test_gunicorn_workers_and_a_job_worker_serve_the_portal(app, deployment):
    http = Http(deployment["base"])
    health = wait_for_health(http, deployment)
    assert health["status"] == health["database"] == health["jobs"] == "ok"

    # the API: a token from one web process works on the others (nothing kept in a process)
    status, text = http.call("POST", "/api/v1/auth/tokens", json_body={"email": deployment["email"],
                                                                        "password": PASSWORD})
    assert status == 201, text
    bearer = {"Authorization": f"Bearer {json.loads(text)['token']}"}
    assert all(http.call("GET", "/api/v1/clients", headers=bearer)[0] == 200 for _ in range(4))

    # a web session: the signed cookie holds it, whichever process answers (CSRF is on)
    page = http.call("GET", "/login")[1]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    status, _ = http.call("POST", "/login", data={"email": deployment["email"], "password": PASSWORD,
                                                  "csrf_token": token})
    assert status == 302
    assert all(http.call("GET", "/jobs")[0] == 200 for _ in range(4))

    # a job put on the same Redis and database from here is run by the worker process
    saved = {k: app.config[k] for k in ("JOBS_BACKEND", "REDIS_URL", "JOBS_QUEUE")}
    app.config.update(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, JOBS_QUEUE=deployment["queue"])
    try:
        with app.app_context():
            job_id = enqueue("jobs.canary").id
    finally:
        app.config.update(saved)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        status, page = http.call("GET", f"/jobs/{job_id}")
        if "Finished." in page:
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"the worker did not finish job {job_id}:\n{_logs(deployment)}")
    with app.app_context():
        row = db.session.get(Job, job_id)
        assert row.status == "done" and row.result["pid"] not in (os.getpid(), deployment["processes"][1].pid)
