"""Signals for review, computed by the portal and shown with each claim.

- ``repeat_serial``: another claim of the client repairs the same serial within 30 days
  (before or after, whatever its status);
- ``serial_not_shipped``: the serial was never shipped to this client;
- ``part_rate_outlier``: the claim uses a part its station claims far more often than the
  client's other stations. Over the last ``WINDOW_DAYS`` days (by repair date), a station's
  *rate* of a part is the share of its claims that use the part. The signal fires when the
  station used the part in at least ``MIN_COUNT`` claims and its rate is above ``K`` times the
  median rate of the client's stations that have claims in the window (a station that never
  used the part counts with rate 0). With one station the median is its own rate: no signal.

A claim the scheme accepts goes to review when it has any signal.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from statistics import median

from sqlalchemy import distinct, func, select

from ..catalogue.models import Part
from ..extensions import db
from .models import Claim, ClaimPart

REPEAT_DAYS = 30
WINDOW_DAYS = 90
K = 3
MIN_COUNT = 5


def part_outliers(claims_per_station: Mapping[int, int],
                  uses: Mapping[tuple[int, str], int]) -> set[tuple[int, str]]:
    """(station, part) pairs whose rate is an outlier, from the claims per station and the
    claims using each part per station (one client, one window)."""
    stations = [s for s, n in claims_per_station.items() if n > 0]
    by_part: dict[str, dict[int, int]] = defaultdict(dict)
    for (station, part), count in uses.items():
        by_part[part][station] = count
    found = set()
    for part, counts in by_part.items():
        rates = {s: counts.get(s, 0) / claims_per_station[s] for s in stations}
        middle = median(rates.values()) if rates else 0
        for station, count in counts.items():
            if count >= MIN_COUNT and station in rates and rates[station] > K * middle:
                found.add((station, part))
    return found


def load_part_outliers(client_ids: Iterable[int], today: date) -> dict[int, set[tuple[int, str]]]:
    """client id -> outlier (station, part number) pairs over the window ending ``today``:
    two GROUP BY queries whatever the number of claims."""
    client_ids = list(client_ids)
    if not client_ids:
        return {}
    claim, cpart, part = Claim.__table__.c, ClaimPart.__table__.c, Part.__table__.c
    window = (claim.client_id.in_(client_ids), claim.repair_date > today - timedelta(days=WINDOW_DAYS),
              claim.repair_date <= today)
    conn = db.session.connection()
    per_station: dict[int, dict[int, int]] = defaultdict(dict)
    for client_id, station_id, count in conn.execute(
            select(claim.client_id, claim.station_id, func.count()).where(*window)
            .group_by(claim.client_id, claim.station_id)):
        per_station[client_id][station_id] = count
    uses: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    for client_id, station_id, number, count in conn.execute(
            select(claim.client_id, claim.station_id, part.number, func.count(distinct(claim.id)))
            .select_from(Claim.__table__).join(ClaimPart.__table__, cpart.claim_id == claim.id)
            .join(Part.__table__, part.id == cpart.part_id).where(*window)
            .group_by(claim.client_id, claim.station_id, part.number)):
        uses[client_id][(station_id, number)] = count
    return {cid: part_outliers(per_station[cid], uses[cid]) for cid in client_ids}


def repeat_serial(claim_id: int, repair_date: date, others: Iterable[tuple[int, date]]) -> bool:
    return any(other_id != claim_id and abs((repair_date - day).days) <= REPEAT_DAYS for other_id, day in others)
