"""Decided claims as settlement facts: the claims of the client decided in the period
(accepted and rejected, by decision date) with their final decision. Three queries
whatever the number of claims (claims with their codes, their parts)."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from contracts.types import ClaimDecision, ClaimFact, ClaimPart, DecidedClaim

from ..catalogue.models import Part, ProductModel
from ..extensions import db
from ..network.models import ClientStation
from ..settlements.facts import FactQuery, register_fact_provider


def decided_claim_facts(query: FactQuery) -> dict[str, Any]:
    from ..shipments.models import Serial, Shipment, ShipmentLine
    from .models import Claim, ClaimPart as ClaimPartRow

    claim, station, model = Claim.__table__.c, ClientStation.__table__.c, ProductModel.__table__.c
    s, ln, sh = Serial.__table__.c, ShipmentLine.__table__.c, Shipment.__table__.c
    shipped_model = ProductModel.__table__.alias("shipped_model")
    where = (claim.client_id == query.client_id, claim.status.in_(("accepted", "rejected")),
             claim.decided_on >= query.period.start, claim.decided_on <= query.period.end)
    conn = db.session.connection()
    serial_model = (select(shipped_model.c.code).select_from(Serial.__table__)
                    .join(ShipmentLine.__table__, ln.id == s.line_id)
                    .join(Shipment.__table__, sh.id == ln.shipment_id)
                    .join(shipped_model, shipped_model.c.id == ln.model_id)
                    .where(s.serial == claim.serial, sh.client_id == claim.client_id)
                    .limit(1).scalar_subquery())
    rows = conn.execute(
        select(claim.id, claim.serial, model.code, serial_model, station.code, claim.repair_date,
               claim.submitted_on, claim.decided_on, claim.fault_cause, claim.repair_level,
               claim.repaired_category, claim.claimed_labour, claim.claimed_parts, claim.claimed_handling,
               claim.currency, claim.preauthorisation_id, claim.status, claim.reasons, claim.schedule_amount,
               claim.adjusted_amount)
        .select_from(Claim.__table__)
        .join(ClientStation.__table__, station.id == claim.station_id)
        .outerjoin(ProductModel.__table__, model.id == claim.model_id)
        .where(*where).order_by(claim.decided_on, claim.id)).all()
    cp, part = ClaimPartRow.__table__.c, Part.__table__.c
    parts: dict[int, list[ClaimPart]] = defaultdict(list)
    for claim_id, number, category, quantity in conn.execute(
            select(cp.claim_id, part.number, part.category, cp.quantity).select_from(ClaimPartRow.__table__)
            .join(Part.__table__, part.id == cp.part_id).join(Claim.__table__, claim.id == cp.claim_id)
            .where(*where).order_by(cp.id)):
        parts[claim_id].append(ClaimPart(number, category, quantity))
    facts = []
    for (claim_id, serial, model_code, shipped_code, station_code, repair_date, submitted_on, decided_on, cause,
         level, category, labour, parts_amount, handling, currency, preauth, status, reasons, schedule,
         adjusted) in rows:
        fact = ClaimFact(f"CL-{claim_id:07d}", serial, model_code or shipped_code or "", station_code, repair_date,
                         submitted_on, decided_on, cause, level, category, tuple(parts.get(claim_id, ())),
                         labour, parts_amount, handling, currency, preauth is not None)
        claimed = labour + parts_amount + handling
        decision = ClaimDecision(status, tuple(reasons or ()), claimed, schedule if schedule is not None else claimed,
                                 adjusted if status == "accepted" and adjusted is not None else Decimal("0"))
        facts.append(DecidedClaim(fact, decision))
    return {"claims": facts}


register_fact_provider("claims", decided_claim_facts, provides=("claims",))
