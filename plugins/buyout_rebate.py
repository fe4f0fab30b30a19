"""Buyout with rebate (买断式货款返点).

The client carries all warranty service; the ODM credits a rebate of ``rebate_rate`` % of
the period's goods value, one line per model: round(rate × Σ quantity × unit price).
Returns are negative shipment lines and reduce the base; a model whose base is negative
(more returned than shipped) gives a debit line; a line that rounds to zero is skipped.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from contracts import SchemeInfo, SettlementResult, check_facts, hookimpl
from contracts.terms import percent_field, tr
from contracts.toolkit import rebate_lines
from contracts.types import PeriodFacts
from plugins.tables import schema_class, texts_table

KEY = "buyout_rebate"


# The terms fields: name, how to build it, then its label and its help, each in zh_Hans,
# zh_Hant_HK, en, fr, es (plugins.tables).
BuyoutRebateTerms = schema_class("BuyoutRebateTerms", (
    ("rebate_rate", partial(percent_field, required=True),
     ("返点比例（%）", "回贈比率（%）", "Rebate rate (%)", "Taux de ristourne (%)",
      "Porcentaje de bonificación (%)"),
     ("按期内净货款（出货减退货）返给客户的百分比，大于 0，最多 100。",
      "按期內淨貨款（出貨減退貨）回贈客戶的百分比，須大於 0，最多 100。",
      "Percentage of the period's net goods value (shipments less returns) "
      "credited to the client; above 0, at most 100.",
      "Pourcentage de la valeur nette des marchandises de la période (expéditions "
      "moins retours) reversé au client ; supérieur à 0, 100 au plus.",
      "Porcentaje del valor neto de la mercancía del periodo (envíos menos "
      "devoluciones) abonado al cliente; mayor que 0 y como máximo 100.")),
    ("spare_parts_allowance", partial(percent_field, allow_zero=True, required=False),
     ("备件配套比例（%）", "備件配套比率（%）", "Spare-parts allowance (%)",
      "Dotation en pièces détachées (%)", "Dotación de repuestos (%)"),
     ("选填。随货提供的备件数量占出货数量的百分比；仅作记录，不参与结算金额。",
      "選填。隨貨提供的備件數量佔出貨數量的百分比；僅作記錄，不計入結算金額。",
      "Optional. Spare parts the ODM supplies with the goods, as a percentage of "
      "the quantity shipped. For the record only: it is not settled in money.",
      "Facultatif. Pièces détachées fournies avec les marchandises, en pourcentage "
      "de la quantité expédiée. Pour mémoire : elle n'est pas réglée en argent.",
      "Opcional. Repuestos que el ODM entrega con la mercancía, como porcentaje "
      "de la cantidad enviada. Solo informativo: no se liquida en dinero.")),
), __name__)


INFO = SchemeInfo(
    key=KEY,
    version="1.0",
    names=tr(zh_Hans="买断式货款返点", zh_Hant_HK="買斷式貨款回贈", en="Buyout with rebate",
             fr="Rachat de garantie avec ristourne", es="Compra en firme con bonificación"),
    explanations=tr(
        zh_Hans="客户自行承担产品的全部保修服务；作为补偿，工厂按每期出货货款的约定比例给予"
                "返点，并提供充足的备件。退货冲减返点基数。推荐海外客户采用：运费、关税和人工"
                "使返厂维修并不经济。",
        zh_Hant_HK="客戶自行承擔產品的全部保修服務；作為補償，廠方按每期出貨貨款的協定比率"
                   "給予回贈，並提供充足的備件。退貨會扣減回贈基數。建議海外客戶採用：運費、"
                   "關稅及人工令回廠維修並不划算。",
        en="The client takes over all warranty service itself. In exchange the ODM credits "
           "a rebate of an agreed percentage of the value of the goods shipped in each "
           "period and supplies ample spare parts. Returned goods reduce the base. "
           "Recommended for overseas clients, for whom freight, duties and labour make "
           "returns to the factory uneconomic.",
        fr="Le client assure lui-même tout le service de garantie. En contrepartie, l'ODM "
           "lui verse une ristourne d'un pourcentage convenu de la valeur des marchandises "
           "expédiées dans chaque période et fournit des pièces détachées en quantité "
           "suffisante. Les retours diminuent la base. Recommandé aux clients à l'étranger, "
           "pour qui fret, droits de douane et main-d'œuvre rendent le retour en usine "
           "peu rentable.",
        es="El cliente asume todo el servicio de garantía. A cambio, el ODM le abona una "
           "bonificación de un porcentaje acordado del valor de la mercancía enviada en "
           "cada periodo y le suministra repuestos en abundancia. Las devoluciones reducen "
           "la base. Recomendado para clientes en el extranjero, para quienes el flete, los "
           "aranceles y la mano de obra hacen antieconómico devolver las unidades a fábrica.",
    ),
    terms_schema=BuyoutRebateTerms,
    # The rebate needs only Σ quantity × price per model: lines summed per (model, price).
    shipment_grain="model_price",
    messages=texts_table((
        ("rebate", "货款返点", "貨款回贈", "Rebate on goods", "Ristourne sur marchandises",
         "Bonificación sobre mercancía"),
        ("rebate_model", "{model}：净出货 {quantity} 台，货款 {base}，返点 {rate}%",
         "{model}：淨出貨 {quantity} 台，貨款 {base}，回贈 {rate}%",
         "{model}: {quantity} units net, goods value {base}, rebate {rate} %",
         "{model} : {quantity} unités nettes, valeur des marchandises {base}, "
         "ristourne {rate} %",
         "{model}: {quantity} unidades netas, valor de la mercancía {base}, "
         "bonificación del {rate} %"),
    )),
)


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
    return SettlementResult(
        lines=rebate_lines(facts.shipments, terms["rebate_rate"], currency=facts.currency)
    )
