"""Tenancy, enforced in one place.

A signed-in client user sees only its own company's rows. Every ORM SELECT is given a
loader criterion on every TenantScoped entity (and on Client itself), so a view that
asks for another client's record finds nothing and answers 404. Internal users
(after-sales, quality, finance, admin) and code outside a request are not scoped.
"""
from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from .db import TenantScoped


def current_tenant() -> int | None:
    """The client id the current request is confined to, or None when unconfined."""
    return g.get("tenant_client_id") if has_app_context() else None


def set_tenant(client_id: int | None) -> None:
    g.tenant_client_id = client_id


@event.listens_for(Session, "do_orm_execute")
def _confine_to_tenant(state: ORMExecuteState) -> None:
    if not state.is_select or state.is_column_load:
        return
    client_id = current_tenant()
    if client_id is None:
        return
    from .clients.models import Client

    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped, lambda cls: cls.client_id == client_id, include_aliases=True
        ),
        with_loader_criteria(Client, Client.id == client_id, include_aliases=True),
    )
