"""A world for the security sweep: the demo data on its own SQLite file (like the browser
journeys: one app, one world for the whole module), completed so that clients other than the
signed-in client A own one record of every kind. A is PEARL; "B" is any other client."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import insert, select, text

from portal import create_app
from portal.demo import DEMO_PASSWORD, load_demo
from portal.extensions import db

from ..conftest import IsolatedClient

A_CODE = "PEARL"
ROLE_EMAILS = {
    "client_user": "user@pearl-av.example.hk",
    "client_admin": "admin@pearl-av.example.hk",
    "staff": "service@odm.example.com",
    "admin": "admin@odm.example.com",
}


@dataclass
class World:
    app: Flask
    a_id: int
    ids: dict[str, int] = field(default_factory=dict)  # record kind -> id of a record not of A
    secrets: list[str] = field(default_factory=list)  # strings only B's data contains


def _first(sql: str, **params) -> int:
    value = db.session.execute(text(sql), params).scalar()
    assert value is not None, sql
    return value


def _complete(a_id: int) -> dict[str, int]:
    """Add the kinds of record the demo does not have, owned by a client other than A."""
    b_id = _first("SELECT client_id FROM contract WHERE client_id != :a AND client_id IN (SELECT client_id FROM claim) "
                  "ORDER BY client_id", a=a_id)
    b_user = _first("SELECT id FROM user_account WHERE client_id = :b", b=b_id)
    contract = _first("SELECT id FROM contract WHERE client_id = :b", b=b_id)
    meta = db.metadata.tables
    run = db.session.execute
    run(insert(meta["settlement"]).values(
        client_id=b_id, contract_id=contract, scheme_key="flat_fee", currency="USD", period_start=date(2025, 1, 1),
        period_end=date(2025, 1, 31), total=Decimal("123.45"), status="issued", number="ST-SECRET-0001",
        ledger=[], rejected_claims=[], reason="", kind="settlement"))
    run(insert(meta["scheme_offer"]).values(client_id=b_id, scheme_key="flat_fee", terms={}, currency="USD",
                                           period_kind="month", status="offered", note=""))
    order = run(insert(meta["refurb_order"]).values(client_id=b_id, source="rma", currency="USD")).inserted_primary_key[0]
    run(insert(meta["refurb_unit"]).values(client_id=b_id, order_id=order, serial="RFSECRET0001"))
    run(insert(meta["part_order"]).values(client_id=b_id, number="PO-SECRET-0001", currency="USD"))
    claim = _first("SELECT id FROM claim WHERE client_id = :b", b=b_id)
    run(insert(meta["claim_attachment"]).values(client_id=b_id, claim_id=claim, filename="secret.jpg",
                                               content_type="image/jpeg", size=3, storage_key="0" * 64))
    run(insert(meta["job"]).values(client_id=b_id, name="statements.issue_period", created_by_id=b_user,
                                   status="done", kwargs={}, result={}, message="", error="", done=0, total=0))
    document = run(insert(meta["document"]).values(title="Secret bulletin", doc_type="training", language="en",
                                                   description="")).inserted_primary_key[0]
    run(insert(meta["document_version"]).values(document_id=document, number=1, storage_key="0" * 64, size=3,
                                                filename="secret.pdf", file_format="pdf"))
    run(insert(meta["document_grant"]).values(document_id=document, client_id=b_id))
    question = _first("SELECT id FROM tech_question WHERE client_id != :a", a=a_id)
    run(insert(meta["question_attachment"]).values(
        **_attachment_values(meta["question_attachment"], question, _first(
            "SELECT client_id FROM tech_question WHERE id = :q", q=question))))
    db.session.commit()
    return {"b_id": b_id, "document": document}


def _attachment_values(table, question: int, client_id: int) -> dict:
    values = {"question_id": question, "filename": "secret.jpg", "content_type": "image/jpeg", "size": 3,
              "storage_key": "0" * 64, "key": "0" * 64, "client_id": client_id}
    return {k: v for k, v in values.items() if k in table.c}


# URL argument -> SQL for the id of a record that is not A's (":a" is A's client id).
NOT_A = {
    "shipment_id": "SELECT id FROM shipment WHERE client_id != :a",
    "shipments.line_id": "SELECT id FROM shipment_line WHERE shipment_id = :shipment_id",
    "settlement_id": "SELECT id FROM settlement WHERE client_id != :a",
    "offer_id": "SELECT id FROM scheme_offer WHERE client_id != :a",
    "client_id": "SELECT id FROM client WHERE id != :a",
    "claim_id": "SELECT claim_id FROM claim_attachment WHERE client_id != :a",
    "claims.attachment_id": "SELECT id FROM claim_attachment WHERE claim_id = :claim_id",
    "preauth_id": "SELECT id FROM claim_preauthorisation WHERE client_id != :a",
    "rma_id": "SELECT rma_id FROM rma_line WHERE client_id != :a",
    "rma.line_id": "SELECT id FROM rma_line WHERE rma_id = :rma_id",
    "refurbish.order_id": "SELECT id FROM refurb_order WHERE client_id != :a",
    "refurbish.unit_id": "SELECT id FROM refurb_unit WHERE order_id = :order_id",
    "parts.order_id": "SELECT id FROM part_order WHERE client_id != :a",
    "api_parts.order_id": "SELECT id FROM part_order WHERE client_id != :a",
    "document_id": "SELECT id FROM document WHERE title = 'Secret bulletin'",
    "version_id": "SELECT id FROM document_version WHERE document_id = :document_id",
    "complaint_id": "SELECT id FROM complaint WHERE client_id != :a",
    "notice_id": "SELECT id FROM notice WHERE client_id != :a",
    "job_id": "SELECT id FROM job WHERE client_id != :a",
    "network.station_id@edit_client_station": "SELECT id FROM client_station WHERE client_id != :a",
    "network.visit_id@onsite": "SELECT id FROM onsite_visit WHERE client_id != :a",
    "network.visit_id@service_point_visit_detail": "SELECT id FROM service_point_visit",
    "question_id": "SELECT question_id FROM question_attachment JOIN tech_question q ON q.id = question_id "
                   "WHERE q.client_id != :a",
    "network.attachment_id": "SELECT id FROM question_attachment WHERE question_id = :question_id",
    "user_id": "SELECT id FROM user_account WHERE client_id IS NOT NULL AND client_id != :a",
    # Records that belong to no client (the ODM's own): internal pages, or shared reference data.
    "model_id": "SELECT id FROM product_model",
    "batch_id": "SELECT id FROM batch",
    "part_id": "SELECT id FROM part",
    "article_id": "SELECT id FROM knowledge_article",
    "network.station_id@station": "SELECT id FROM authorised_station",
    "technician_id": "SELECT id FROM technician",
    "shortage_id": "SELECT COALESCE(MAX(id), 1) FROM part_shortage",
    "warning_id": "SELECT id FROM early_warning",
    "parts.location_id": "SELECT id FROM stock_location",
}
SHARED_ARGS = {"model_id", "batch_id", "part_id", "article_id", "network.station_id@station", "technician_id",
               "shortage_id", "warning_id", "parts.location_id"}


def mapping_key(endpoint: str, arg: str) -> str | None:
    blueprint, _, view = endpoint.partition(".")
    for key in (f"{blueprint}.{arg}@{view}", *(f"{blueprint}.{arg}@{p}" for p in _prefixes(view)),
                f"{blueprint}.{arg}", arg):
        if key in NOT_A:
            return key
    return None


def _prefixes(view: str) -> list[str]:
    parts = view.split("_")
    return ["_".join(parts[:i]) for i in range(len(parts), 0, -1)]


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory)


@pytest.fixture(scope="session")
def fuzz_world(tmp_path_factory) -> World:
    """A world of its own for the API fuzz, which writes whatever the schema allows."""
    return build_world(tmp_path_factory)


def build_world(tmp_path_factory) -> World:
    directory = tmp_path_factory.mktemp("security")
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'portal.db'}",
        "SECRET_KEY": "security-sweep",
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "localhost",
        "JOBS_BACKEND": "eager",
        "STORAGE_DIR": str(directory / "storage"),
        "OUTBOX_DIR": str(directory / "outbox"),
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        load_demo()
        a_id = _first("SELECT id FROM client WHERE code = :c", c=A_CODE)
        _complete(a_id)
        secrets = []
        for code, name in db.session.execute(select(text("code, name")).select_from(text("client"))
                                             .where(text("id != :a")), {"a": a_id}):
            secrets += [code, name]
        for table in ("settlement", "part_order", "rma", "shipment"):
            row = db.session.execute(text(f"SELECT number FROM {table} WHERE client_id != :a AND number IS NOT NULL "
                                          "LIMIT 1"), {"a": a_id}).scalar()
            if row:
                secrets.append(row)
        secrets += ["RFSECRET0001", "secret.jpg", "secret.pdf", "Secret bulletin"]
    return World(app=app, a_id=a_id, secrets=secrets)


def resolve(world: World, endpoint: str, args: list[str]) -> tuple[dict, list[str]]:
    """The URL values for `args` (records not of A), and the arguments that have no mapping."""
    values, unmapped = {}, []
    with world.app.app_context():
        for arg in args:
            key = mapping_key(endpoint, arg)
            if key is None:
                unmapped.append(f"{endpoint}:{arg}")
                continue
            values[arg] = _first(NOT_A[key] + " LIMIT 1" if "COALESCE" not in NOT_A[key] else NOT_A[key],
                                 a=world.a_id, **values)
    return values, unmapped


@pytest.fixture(scope="session")
def signed_in(world):
    """One signed-in test client per role, reused by the whole sweep."""
    clients = {}
    for role, email in ROLE_EMAILS.items():
        client = world.app.test_client()
        client.login(email, DEMO_PASSWORD)
        clients[role] = client
    return clients


@pytest.fixture(scope="session")
def tokens(world):
    return issue_tokens(world)


def issue_tokens(world) -> dict[str, str]:
    tokens = {}
    for role, email in ROLE_EMAILS.items():
        response = world.app.test_client().post("/api/v1/auth/tokens", json={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 201, response.get_data(as_text=True)
        tokens[role] = response.json["token"]
    return tokens
