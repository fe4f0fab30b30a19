"""The background job issuing every statement of a period, for every client.

For each active client with a contract in force on the period's first day: a settlement
already issued for the period is left as it is (its PDF is stored if it was not yet); an
existing draft is issued as finance reviewed it; a missing draft is computed first. Then the
PDF is rendered and stored. Each client runs in its own SAVEPOINT (and, outside the eager test
backend, its own transaction), so one client's failure (no contract, a period that is not the
contract's, a failing scheme) is reported with its reason and the others go on.
"""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..clients.models import Client
from ..extensions import db
from ..jobs import job
from ..schemes.services import contract_for
from ..settlements.engine import compute_draft, issued_settlement
from ..settlements.errors import SettlementError
from ..settlements.models import Settlement
from ..settlements.issuing import issue
from .services import StatementError, ensure_stored

JOB_NAME = "statements.issue_period"


def _draft(client_id: int, period_start: date) -> Settlement | None:
    return db.session.scalar(select(Settlement).where(
        Settlement.client_id == client_id, Settlement.period_start == period_start,
        Settlement.kind == "settlement", Settlement.status == "draft"))


def _commit(eager: bool) -> None:
    if not eager:
        db.session.commit()


def issue_client(client: Client, period_start: date, user_id: int | None, eager: bool) -> dict:
    """Issue (and render) one client's statement of the period; a dict for the job's result."""
    row = {"client_id": client.id, "code": client.code, "name": client.name}
    already = issued_settlement(client.id, period_start)
    if already is None:
        if contract_for(client.id, period_start) is None:
            return row | {"status": "skipped", "reason": _("No contract in force on this day.")}
        draft = _draft(client.id, period_start)
        with db.session.begin_nested():
            if draft is None:
                draft = compute_draft(client.id, period_start)
        settlement_id = draft.id
        _commit(eager)
        with db.session.begin_nested():
            document = issue(settlement_id, user_id)
        _commit(eager)
        status = "issued"
    else:
        document, status = already, "already_issued"
    with db.session.begin_nested():
        ensure_stored(document, "pdf")
    _commit(eager)
    return row | {"status": status, "settlement_id": document.id, "number": document.number,
                  "total": str(document.total), "currency": document.currency}


@job(JOB_NAME)
def issue_period(ctx, period_start: str, user_id: int | None = None):
    start = date.fromisoformat(period_start)
    eager = current_app.config["JOBS_BACKEND"] == "eager"
    clients = db.session.scalars(select(Client).where(Client.active.is_(True)).order_by(Client.code)).all()
    results = []
    ctx.progress(0, len(clients), _("Starting…"))
    for index, client in enumerate(clients, start=1):
        try:
            row = issue_client(client, start, user_id, eager)
        except (SettlementError, StatementError) as exc:
            if not eager:
                db.session.rollback()
            row = {"client_id": client.id, "code": client.code, "name": client.name, "status": "failed",
                   "reason": exc.message}
        except Exception as exc:  # one client's unexpected failure must not stop the others
            if not eager:
                db.session.rollback()
            current_app.logger.exception("statement of %s for %s failed", client.code, period_start)
            row = {"client_id": client.id, "code": client.code, "name": client.name, "status": "failed",
                   "reason": str(exc) or exc.__class__.__name__}
        results.append(row)
        ctx.progress(index, len(clients), _("%(code)s: %(status)s", code=client.code, status=row["status"]))
    counts = {status: sum(1 for r in results if r["status"] == status)
              for status in ("issued", "already_issued", "skipped", "failed")}
    ctx.progress(len(clients), len(clients),
                 _("%(issued)s issued, %(already)s already issued, %(skipped)s without contract, %(failed)s failed.",
                   issued=counts["issued"], already=counts["already_issued"], skipped=counts["skipped"],
                   failed=counts["failed"]))
    return {"period_start": period_start, "clients": results, "counts": counts,
            "url": f"/statements/runs/{ctx.job_id}"}
