"""Demo repair claims: VISTAMAR moves to repair-fee compensation (USD, monthly, from the first
day of the month three months ago), and its stations file a few claims that show each
outcome: accepted, in review (above the review threshold), rejected as a repeat, for an
excluded cause and for a missing pre-authorisation; plus a pre-authorisation request waiting for the team."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..auth.models import User
from ..catalogue.models import ProductModel
from ..claims.intake import ClaimInput, IntakeContext
from ..claims.models import PreAuthorisation
from ..claims.services import submit_claims
from ..extensions import db
from ..network.models import ClientStation
from ..schemes.models import Contract
from ..shipments.models import Serial, Shipment, ShipmentLine

CLIENT = "VISTAMAR"
TERMS = {"labour_fees": {"L1": "15.00", "L2": "30.00", "L3": "45.00"}, "handling_fee": "3.00",
         "category_prices": {"main_board": "60.00", "power_board": "25.00", "panel": "180.00"},
         "cap_per_claim": "150.00", "review_threshold": "120.00", "preauthorisation_threshold": "200.00"}


def _month_start(today: date, back: int) -> date:
    month = today.month - 1 - back
    return date(today.year + month // 12, month % 12 + 1, 1)


def create_claims(today: date, clients: dict) -> int:
    """Add the contract and claims; returns the number of claims."""
    client = clients[CLIENT]
    db.session.flush()
    contract = Contract(client_id=client.id, scheme_key="repair_compensation", terms=TERMS, currency=client.currency,
                        period_kind="month", starts_on=_month_start(today, 3))
    db.session.add(contract)
    db.session.flush()
    serials = db.session.execute(
        select(Serial.serial, Shipment.ship_date).join(ShipmentLine, Serial.line_id == ShipmentLine.id)
        .join(Shipment, ShipmentLine.shipment_id == Shipment.id).join(ProductModel, ShipmentLine.model_id == ProductModel.id)
        .where(Shipment.client_id == client.id, ProductModel.code == "KTV-55A",
               Shipment.ship_date <= today - timedelta(days=60))
        .order_by(Shipment.ship_date.desc(), Serial.serial).limit(4)).all()
    stations = db.session.scalars(select(ClientStation).where(ClientStation.client_id == client.id)
                                  .order_by(ClientStation.code)).all()
    user = db.session.scalar(select(User).where(User.email == "user@vistamar.example.mx"))
    if len(serials) < 4 or not stations:
        return 0
    (s1, _d1), (s2, _d2), (s3, _d3), (s4, _d4) = serials
    st = [s.code for s in stations]
    board, power = "MB.MT9602.55A-01", "PB.L55S150-01"

    def claim(serial, days_ago, station, **kw):
        values = dict(serial=serial, repair_date=today - timedelta(days=days_ago), station=station,
                      fault_cause="normal_failure", repair_level="L2", repaired_category="main_board",
                      parts=[(board, 1)], claimed_labour=Decimal("30.00"), claimed_parts=Decimal("60.00"),
                      claimed_handling=Decimal("3.00"), currency=client.currency,
                      description="Sin imagen; se reemplazó la placa base.")
        values.update(kw)
        return ClaimInput(**values)

    inputs = [
        claim(s1, 20, st[0]),
        claim(s2, 18, st[1], repair_level="L3", parts=[(board, 1), (power, 1)], repaired_category="main_board",
              claimed_labour=Decimal("60.00"), claimed_parts=Decimal("95.00"), claimed_handling=Decimal("5.00"),
              description="Placa base y fuente dañadas."),
        claim(s3, 10, st[0], fault_cause="lightning", repair_level="L1", repaired_category="power_board",
              parts=[(power, 1)], claimed_labour=Decimal("15.00"), claimed_parts=Decimal("25.00"),
              description="Daño por rayo durante una tormenta."),
    ]
    ctx = IntakeContext.build(client, contract, today)
    count = len(submit_claims(client, inputs, user, ctx)[0])
    # Later: the same serial again within 30 days (rejected), and a panel above the
    # pre-authorisation threshold without one (rejected; its request is still pending).
    later = [claim(s1, 8, st[1], description="El mismo fallo volvió a aparecer."),
             claim(s4, 5, st[1], repair_level="L3", repaired_category="panel", parts=[("PNL.HV550QUB-N81", 1)],
                   claimed_labour=Decimal("45.00"), claimed_parts=Decimal("180.00"), claimed_handling=Decimal("3.00"),
                   description="Panel con líneas verticales.")]
    count += len(submit_claims(client, later, user, ctx)[0])
    db.session.add(PreAuthorisation(client_id=client.id, serial=s4, station_id=stations[0].id, repair_level="L3",
                                    planned_repair="Cambio de panel 55\" y placa T-con.", currency=client.currency,
                                    estimated_amount=Decimal("240.00"), requested_by_id=user.id if user else None))
    return count
