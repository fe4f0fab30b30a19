"""Demo repair returns: price lists in the clients' currencies, and a few RMAs of HUAXIA at
different steps: one approved, awaiting the client's shipment; one quoted, awaiting the
client's answer; one closed after a charged repair.

HUAXIA buys out with a rebate (offers.py): a unit shipped under that contract is the client's
own warranty (DOMAIN.md), so the ODM repairs it out of warranty and charges it; the warranty
look-up says so too ("client's own warranty"). The two RMAs of units shipped under the buyout
are "out of warranty", and the quoted one carries its charge. The closed one is a unit shipped before the
contract (its main board still in warranty), charged because lightning is never covered."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from ..catalogue.models import BatchMaterial, Part, ProductModel

from ..auth.models import User
from ..extensions import db
from ..rma.models import RmaPriceList
from ..rma.requests import RmaRequest, create_rma
from ..rma.workflow import Diagnosis, apply, diagnose_line
from ..schemes.models import Contract
from ..shipments.models import Serial, Shipment, ShipmentLine
from .shipments import DEMO_LEGACY_SERIALS, DEMO_SERIAL_EXAMPLES

D = Decimal
PRICE_LISTS = [  # currency, labour L1/L2/L3, agreed rate per CNY of cost, parts mark-up %
    ("CNY", "40.00", "80.00", "150.00", "1", "10"),
    ("USD", "6.00", "12.00", "22.00", "0.14", "10"),
    ("EUR", "5.50", "11.00", "20.00", "0.13", "10"),
    ("HKD", "45.00", "90.00", "170.00", "1.08", "10"),
]
BUYOUT_NOTE = "该机在买断合同期内发货，由贵司自行保修：返厂维修按保外收费（人工按维修等级，零件按协议价），检测后报价。"
QUOTED_MODEL = "KTV-43B"


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
    apply(waiting, "approve", staff, note=BUYOUT_NOTE + "请按装箱单寄回。")
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
    _quoted_buyout_repair(clients["HUAXIA"], staff, huaxia)


def _quoted_buyout_repair(client, staff, user) -> None:
    """A unit shipped under the buyout, received and diagnosed (normal failure, main board
    replaced): out of the ODM's warranty, so labour and parts are quoted to the client."""
    serial, batch_id = _unit_shipped_under_contract(client, QUOTED_MODEL)
    board = db.session.scalar(select(Part.number).join(BatchMaterial, BatchMaterial.part_id == Part.id).where(
        BatchMaterial.batch_id == batch_id, BatchMaterial.category == "main_board").order_by(Part.number).limit(1))
    rma = create_rma(RmaRequest(client_id=client.id, kind="unit", destination="unit_repair", serials=[serial],
                                fault_description="待机指示灯亮，无法开机。", suspected_cause="normal_failure"), user=user)
    apply(rma, "approve", staff, note=BUYOUT_NOTE)
    apply(rma, "ship", user, carrier="顺丰速运", tracking="SF2468013579")
    apply(rma, "receive", staff, serials=[serial])
    diagnose_line(rma.lines[0], Diagnosis("normal_failure", "L2", "repair", [(board, 1)],
                                          "Main board fails at power-on; replaced."), staff)
    apply(rma, "quote", staff)


def _unit_shipped_under_contract(client, model_code: str) -> tuple[str, int]:
    """(serial, batch id) of the client's first unit of `model_code` shipped since its buyout
    contract began: the same unit whatever the day the demo is loaded (the plan is fixed)."""
    starts_on = db.session.scalar(select(Contract.starts_on).where(
        Contract.client_id == client.id, Contract.scheme_key == "buyout_rebate"))
    return db.session.execute(
        select(Serial.serial, ShipmentLine.batch_id).join(ShipmentLine, ShipmentLine.id == Serial.line_id)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .join(ProductModel, ProductModel.id == ShipmentLine.model_id)
        .where(Shipment.client_id == client.id, Shipment.ship_date >= starts_on, ProductModel.code == model_code)
        .order_by(Shipment.ship_date, Serial.serial).limit(1)).one()
