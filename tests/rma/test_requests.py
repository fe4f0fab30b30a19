"""Filing an RMA: serials checked against shipments, warranty per part category under the
contract, and bad input refused with nothing written."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.network.models import AuthorisedStation
from portal.rma.models import Rma, RmaLine
from portal.rma.requests import RmaInvalid

from .conftest import file_rma


def counts(db):
    return db.session.scalar(select(func.count(Rma.id))), db.session.scalar(select(func.count(RmaLine.id)))


def test_a_request_records_each_unit_with_its_warranty(db, world):
    rma = file_rma(world, serials=["A-1", "A-OLD"])
    assert rma.number == f"RMA-{rma.id:06d}" and rma.status == "requested" and rma.currency == "CNY"
    first, old = rma.lines
    assert first.in_warranty and first.warranty_ends_on == date(2026, 2, 28) and first.model_id == world.tv.id
    assert not old.in_warranty  # shipped 2023-01-10: whole unit out after 12 months
    assert [e.to_status for e in rma.events] == ["requested"]


def test_a_board_is_covered_by_its_own_category(db, world):
    rma = file_rma(world, serials=["A-OLD"], kind="main_board", destination="board_repair")
    assert rma.lines[0].category == "main_board" and rma.lines[0].in_warranty  # 36 months
    assert rma.lines[0].warranty_ends_on == date(2026, 1, 9)


@pytest.mark.parametrize("serials,expected", [
    (["A-1", "NOPE"], "entry 2: unknown serial number NOPE."),
    (["A-1", "O-1"], "entry 2: unknown serial number O-1."),  # another client's: never revealed
    (["A-1", "A-2", "A-1"], "entry 3: A-1 is already on this RMA (entry 1)."),
    ([], "Enter or upload at least one serial number."),
])
def test_bad_serials_write_nothing(db, world, serials, expected):
    before = counts(db)
    with pytest.raises(RmaInvalid) as caught:
        file_rma(world, serials=serials)
    assert expected in caught.value.errors["serials"]
    assert counts(db) == before


def test_other_fields_are_checked(db, world):
    with pytest.raises(RmaInvalid) as caught:
        file_rma(world, kind="unit", destination="board_repair", fault_description=" ", suspected_cause="aliens")
    assert set(caught.value.errors) == {"destination", "fault_description", "suspected_cause"}


def test_only_a_station_authorised_that_day(db, world):
    expired = AuthorisedStation(code="ST-OLD", name="Old", city="X", region="east", authorised_from=date(2020, 1, 1),
                                authorised_until=date(2024, 12, 31), unit_repair=True)
    current = AuthorisedStation(code="ST-NEW", name="New", city="Y", region="east", authorised_from=date(2025, 1, 1),
                                unit_repair=True)
    db.session.add_all([expired, current])
    db.session.flush()
    with pytest.raises(RmaInvalid) as caught:
        file_rma(world, destination="station", station_id=expired.id)
    assert "not authorised" in caught.value.errors["station_id"][0]
    rma = file_rma(world, destination="station", station_id=current.id)
    assert rma.station_id == current.id
