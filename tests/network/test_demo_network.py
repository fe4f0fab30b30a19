"""The demo service network: 47 authorised stations across the regions, the Hong Kong service
point with its weekly visit, two stations per client, technicians with a week of visits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.demo import CLIENTS, load_demo
from portal.network.models import AuthorisedStation, ClientStation
from portal.network.onsite import technician_week, technicians
from portal.network.service_point import schedule_of, waiting_items
from portal.network.stations import authorised_stations_for, hk_service_point


def test_demo_network(db, app):
    assert load_demo() is True
    stations = db.session.scalars(select(AuthorisedStation).where(AuthorisedStation.is_service_point.is_(False))).all()
    assert len(stations) == 47 and len({s.region for s in stations}) == 7
    today = date.today()
    assert 0 < len(authorised_stations_for(today, "unit_repair")) < 47  # some authorisations expired
    point = hk_service_point()
    assert point.region == "hong_kong" and schedule_of(point) is not None and waiting_items(point)
    per_client = db.session.execute(select(ClientStation.client_id, func.count()).group_by(ClientStation.client_id)).all()
    assert len(per_client) == len(CLIENTS) and {n for _c, n in per_client} == {2}
    team = technicians()
    assert len(team) == 2
    with app.test_request_context():
        chen = next(t for t in team if t.user.email == "tech.chen@odm.example.com")
        assert sum(len(v) for v in technician_week(chen.id, today).cells.values()) == 3
