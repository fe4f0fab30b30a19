"""Authorised stations: authorisation dates and capabilities, the functions claims and RMA call,
the filtered list; clients' own stations."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.network.errors import StationCannotReceive
from portal.network.models import ClientStation
from portal.network.stations import (authorised_stations_for, can_receive, client_stations, ensure_can_receive,
                                     hk_service_point)

DAY = date(2026, 6, 1)


def test_expired_or_future_authorisation_cannot_receive_work(net, app):
    expired = net.station(code="AS-OLD", authorised_from=date(2020, 1, 1), authorised_until=date(2026, 5, 31))
    future = net.station(code="AS-NEW", authorised_from=date(2026, 6, 2))
    valid = net.station(code="AS-OK", authorised_from=date(2020, 1, 1), authorised_until=DAY)
    with app.test_request_context():
        with pytest.raises(StationCannotReceive, match="expired on 2026-05-31"):
            ensure_can_receive(expired, DAY, "unit_repair")
        with pytest.raises(StationCannotReceive, match="only from 2026-06-02"):
            ensure_can_receive(future, DAY, "unit_repair")
        ensure_can_receive(valid, DAY, "unit_repair")  # the last day still counts
        assert not can_receive(valid, DAY + timedelta(days=1), "unit_repair")


def test_capability_and_model_are_checked(net, make, app):
    model, other = make.model(), make.model()
    station = net.station(board_repair=False, models=[model], authorised_from=date(2020, 1, 1))
    with app.test_request_context():
        with pytest.raises(StationCannotReceive, match="board repair"):
            ensure_can_receive(station, DAY, "board_repair")
        with pytest.raises(StationCannotReceive, match="this model"):
            ensure_can_receive(station, DAY, "unit_repair", other.id)
        ensure_can_receive(station, DAY, "unit_repair", model.id)
        with pytest.raises(ValueError):
            ensure_can_receive(station, DAY, "teleportation")


def test_authorised_stations_for_filters_day_capability_model(net, make, db):
    model, other = make.model(), make.model()
    everything = net.station(code="AS-A1", board_repair=True, authorised_from=date(2020, 1, 1))
    only_model = net.station(code="AS-A2", board_repair=True, models=[model], authorised_from=date(2020, 1, 1))
    net.station(code="AS-A3", board_repair=True, authorised_from=date(2020, 1, 1), authorised_until=date(2026, 1, 1))
    net.station(code="AS-A4", board_repair=False, authorised_from=date(2020, 1, 1))
    net.service_point(authorised_from=date(2020, 1, 1))
    codes = lambda stations: [s.code for s in stations if s.code.startswith("AS-A")]  # noqa: E731
    assert codes(authorised_stations_for(DAY, "board_repair")) == ["AS-A1", "AS-A2"]
    assert codes(authorised_stations_for(DAY, "board_repair", model.id)) == ["AS-A1", "AS-A2"]
    assert codes(authorised_stations_for(DAY, "board_repair", other.id)) == ["AS-A1"]
    assert everything and only_model


def test_hk_service_point_and_client_stations(net, make, db):
    point = net.service_point()
    assert hk_service_point().id == point.id
    client = make.client()
    net.client_station(client, code="B")
    net.client_station(client, code="A")
    net.client_station(client, code="C", active=False)
    net.client_station(make.client(), code="X")
    assert [s.code for s in client_stations(client.id)] == ["A", "B"]
    assert [s.code for s in client_stations(client.id, active_only=False)] == ["A", "B", "C"]


def test_station_list_filters_and_paginates(client, make, net, app):
    for n in range(3):
        net.station(code=f"AS-E{n}", region="east", board_repair=n == 1)
    net.station(code="AS-W0", region="northwest", onsite=True)
    net.station(code="AS-X0", region="east", authorised_until=date.today() - timedelta(days=1))
    client.login(make.user(role="staff").email)
    page = client.get("/network/stations?region=east&capability=board_repair").get_data(as_text=True)
    assert "AS-E1" in page and "AS-E0" not in page and "AS-W0" not in page
    expired = client.get("/network/stations?status=expired").get_data(as_text=True)
    assert "AS-X0" in expired and "AS-E1" not in expired
    app.config["PAGE_SIZE"] = 2
    try:
        first = client.get("/network/stations?region=east").get_data(as_text=True)
        assert "page=2" in first
    finally:
        app.config["PAGE_SIZE"] = 50


def test_client_admin_manages_its_own_stations(client, make, db):
    admin = make.user(role="client_admin")
    client.login(admin.email)
    form = dict(code="SZ-1", name="Shenzhen station", city="深圳", region="south", address="", contact_name="",
                contact_phone="", contact_email="", active="y")
    assert client.post("/network/client-stations/new", data=form).status_code == 302
    station = db.session.scalar(select(ClientStation).where(ClientStation.code == "SZ-1"))
    assert station.client_id == admin.client_id
    # the same code again: a clear error beside the field, what was typed kept, nothing written
    again = client.post("/network/client-stations/new", data={**form, "name": "Typed again"})
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "already has a station with code SZ-1" in text and "Typed again" in text
    bad = client.post("/network/client-stations/new", data={**form, "code": "SZ-2", "region": "mars",
                                                              "contact_email": "not-mail"})
    assert "Choose a region" in bad.get_data(as_text=True) or "valid e-mail" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ClientStation).where(
        ClientStation.client_id == admin.client_id)) == 1


def test_client_user_reads_but_does_not_edit(client, make, net):
    user = make.user(role="client_user")
    net.client_station(user.client, code="MINE")
    client.login(user.email)
    assert "MINE" in client.get("/network/client-stations").get_data(as_text=True)
    assert client.get("/network/client-stations/new").status_code == 403


def test_staff_creates_a_station_for_a_client_and_must_choose_one(client, make, db):
    target = make.client()
    client.login(make.user(role="staff").email)
    form = dict(code="ST-1", name="By staff", city="Lyon", region="overseas", active="y")
    missing = client.post("/network/client-stations/new", data=form)
    assert "Choose a client" in missing.get_data(as_text=True)
    assert client.post("/network/client-stations/new", data={**form, "client_id": target.id}).status_code == 302
    assert db.session.scalar(select(ClientStation.client_id).where(ClientStation.code == "ST-1")) == target.id
