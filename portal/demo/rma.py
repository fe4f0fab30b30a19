"""Demo repair returns: price lists in the clients' currencies, and a few RMAs at different
steps (one approved, awaiting the client's shipment; one closed after a charged repair)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..rma.models import RmaPriceList
from ..rma.requests import RmaRequest, create_rma
from ..rma.workflow import Diagnosis, apply, diagnose_line
from .shipments import DEMO_LEGACY_SERIALS, DEMO_SERIAL_EXAMPLES

D = Decimal
PRICE_LISTS = [  # currency, labour L1/L2/L3, agreed rate per CNY of cost, parts mark-up %
    ("CNY", "40.00", "80.00", "150.00", "1", "10"),
    ("USD", "6.00", "12.00", "22.00", "0.14", "10"),
    ("EUR", "5.50", "11.00", "20.00", "0.13", "10"),
    ("HKD", "45.00", "90.00", "170.00", "1.08", "10"),
]


def create_rmas(clients: dict) -> None:
    db.session.add_all(RmaPriceList(currency=c, labour_l1=D(l1), labour_l2=D(l2), labour_l3=D(l3), cny_rate=D(rate),
                                    parts_markup=D(markup)) for c, l1, l2, l3, rate, markup in PRICE_LISTS)
    db.session.flush()
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(
        ["service@odm.example.com", "user@huaxia.example.cn", "user@pearl-av.example.hk"])))}
    staff, huaxia = users["service@odm.example.com"], users["user@huaxia.example.cn"]
    waiting = create_rma(RmaRequest(
        client_id=clients["HUAXIA"].id, kind="unit", destination="unit_repair", serials=[DEMO_SERIAL_EXAMPLES["HUAXIA"]],
        fault_description="开机无图像，有声音。", suspected_cause="normal_failure"), user=huaxia)
    apply(waiting, "approve", staff, note="请按装箱单寄回。")
    closed = create_rma(RmaRequest(
        client_id=clients["HUAXIA"].id, kind="main_board", destination="board_repair",
        serials=[DEMO_LEGACY_SERIALS["HUAXIA"]], fault_description="主板烧毁，疑似雷击。", suspected_cause="lightning"),
        user=huaxia)
    apply(closed, "approve", staff)
    apply(closed, "ship", huaxia, carrier="顺丰速运", tracking="SF1234567890")
    apply(closed, "receive", staff, serials=[DEMO_LEGACY_SERIALS["HUAXIA"]])
    diagnose_line(closed.lines[0], Diagnosis("lightning", "L2", "repair", [("MB.MS3663.32H-01", 1)],
                                             "Surge damage on the tuner and power input."), staff)
    apply(closed, "quote", staff)
    apply(closed, "accept", huaxia)
    for action in ("repair", "repackage"):
        apply(closed, action, staff)
    apply(closed, "ship_back", staff, carrier="顺丰速运", tracking="SF9876543210")
    apply(closed, "close", staff)
