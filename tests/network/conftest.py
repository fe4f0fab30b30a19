"""Small builders for the service network's tests (beside tests/factories.py, which stays shared)."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from portal.network.models import AuthorisedStation, ClientStation
from portal.network.onsite_models import OnsiteVisit, Technician

_seq = itertools.count(1)


class NetworkMaker:
    def __init__(self, make, session):
        self.make, self.session = make, session

    def _save(self, obj):
        self.session.add(obj)
        self.session.flush()
        return obj

    def station(self, **kw) -> AuthorisedStation:
        n = next(_seq)
        models = kw.pop("models", [])
        defaults = dict(code=f"AS-T{n:04d}", name=f"Station {n}", city="Wuhan", region="central", unit_repair=True,
                        authorised_from=date.today() - timedelta(days=365))
        station = AuthorisedStation(**{**defaults, **kw})
        station.models = list(models)
        return self._save(station)

    def service_point(self, **kw) -> AuthorisedStation:
        return self.station(code=kw.pop("code", f"HK-T{next(_seq)}"), name="HK point", city="Hong Kong",
                            region="hong_kong", is_service_point=True, board_repair=True, **kw)

    def client_station(self, client, **kw) -> ClientStation:
        n = next(_seq)
        defaults = dict(code=f"CS-{n}", name=f"Client station {n}", city="Shenzhen", region="south")
        return self._save(ClientStation(client_id=client.id, **{**defaults, **kw}))

    def technician(self, **kw) -> Technician:
        user = self.make.user(role="staff", name=kw.pop("name", f"Tech {next(_seq)}"))
        return self._save(Technician(user_id=user.id, **kw))

    def visit(self, client, **kw) -> OnsiteVisit:
        defaults = dict(address="1 Test Road, Shenzhen", fault="No picture")
        return self._save(OnsiteVisit(client_id=client.id, **{**defaults, **kw}))


@pytest.fixture
def net(make, db):
    return NetworkMaker(make, db.session)
