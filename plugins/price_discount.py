"""Price discount (售价折扣).

In lieu of warranty service the ODM credits ``discount_rate`` % of the sales price, one line
per shipment line: round(quantity × unit price × rate). A return (negative quantity) gives
a debit. Lines are ordered by ship date, shipment number and reference, whatever the order
the facts came in.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from contracts import SchemeInfo, SettlementResult, check_facts, hookimpl
from contracts.terms import percent_field, tr
from contracts.toolkit import percent_of, signed_line
from contracts.types import PeriodFacts, ShipmentFact
from plugins.tables import schema_class, texts_table

KEY = "price_discount"


# The terms fields: name, how to build it, then its label and its help, each in zh_Hans,
# zh_Hant_HK, en, fr, es (plugins.tables).
PriceDiscountTerms = schema_class("PriceDiscountTerms", (
    ("discount_rate", partial(percent_field, required=True),
     ("折扣比例（%）", "折扣比率（%）", "Discount rate (%)", "Taux de remise (%)",
      "Porcentaje de descuento (%)"),
     ("每条出货明细按售价给予的折扣百分比，大于 0，最多 100。",
      "每條出貨明細按售價給予的折扣百分比，須大於 0，最多 100。",
      "Percentage off the sales price of each shipment line; above 0, at most 100.",
      "Pourcentage de remise sur le prix de vente de chaque ligne d'expédition ; "
      "supérieur à 0, 100 au plus.",
      "Porcentaje de descuento sobre el precio de venta de cada línea de envío; "
      "mayor que 0 y como máximo 100.")),
), __name__)


INFO = SchemeInfo(
    key=KEY,
    version="1.0",
    names=tr(zh_Hans="售价折扣", zh_Hant_HK="售價折扣", en="Price discount",
             fr="Remise sur le prix de vente", es="Descuento sobre el precio de venta"),
    explanations=tr(
        zh_Hans="以售价折扣代替保修服务：工厂对期内每一条出货明细按约定比例给予折扣，按期"
                "返还给客户。与买断方式一样，客户自行承担保修服务。退货明细相应冲回折扣。",
        zh_Hant_HK="以售價折扣代替保修服務：廠方對期內每一條出貨明細按協定比率給予折扣，"
                   "按期記入客戶貸方。與買斷方式一樣，客戶自行承擔保修服務。退貨明細相應"
                   "撥回折扣。",
        en="Instead of warranty service, the ODM grants a discount of an agreed percentage "
           "off the sales price of every shipment line, credited each period. As under a "
           "buyout, the client carries the warranty service itself. A return line takes "
           "its discount back.",
        fr="À la place du service de garantie, l'ODM accorde une remise d'un pourcentage "
           "convenu sur le prix de vente de chaque ligne d'expédition, créditée à chaque "
           "période. Comme pour le rachat de garantie, le client assure lui-même le "
           "service. Une ligne de retour reprend sa remise.",
        es="En lugar del servicio de garantía, el ODM concede un descuento de un "
           "porcentaje acordado sobre el precio de venta de cada línea de envío, abonado "
           "en cada periodo. Como en la compra en firme, el cliente asume el servicio de "
           "garantía. Una línea de devolución anula su descuento.",
    ),
    terms_schema=PriceDiscountTerms,
    shipment_grain="line",  # one discount line per shipment line: the rule needs every line
    messages=texts_table((
        ("discount", "售价折扣", "售價折扣", "Discount on the sales price", "Remise sur le prix de vente",
         "Descuento sobre el precio de venta"),
        ("discount_shipment", "出货单 {shipment_no}，{model}：{quantity} × {unit_price}，折扣 {rate}%",
         "出貨單 {shipment_no}，{model}：{quantity} × {unit_price}，折扣 {rate}%",
         "Shipment {shipment_no}, {model}: {quantity} × {unit_price}, "
         "discount {rate} %",
         "Expédition {shipment_no}, {model} : {quantity} × {unit_price}, "
         "remise {rate} %",
         "Envío {shipment_no}, {model}: {quantity} × {unit_price}, "
         "descuento del {rate} %"),
    )),
)


def _shipment_order(shipment: ShipmentFact) -> tuple:
    return (shipment.ship_date, shipment.shipment_no, shipment.ref)


@hookimpl
def portal_scheme_info() -> SchemeInfo:
    return INFO


@hookimpl
def portal_settle(
    scheme_key: str, terms: Mapping[str, Any], facts: PeriodFacts
) -> SettlementResult | None:
    if scheme_key != KEY:
        return None
    check_facts(facts)
    rate = terms["discount_rate"]
    lines = []
    for shipment in sorted(facts.shipments, key=_shipment_order):
        line = signed_line(
            percent_of(shipment.value, rate),
            currency=facts.currency,
            section="discount",
            description_key="discount_shipment",
            params={"shipment_no": shipment.shipment_no, "model": shipment.model_code,
                    "quantity": shipment.quantity, "unit_price": shipment.unit_price,
                    "rate": rate},
            reference=shipment.ref,
            quantity=shipment.quantity,
            unit_price=shipment.unit_price,
        )
        if line is not None:
            lines.append(line)
    return SettlementResult(lines=tuple(lines))
