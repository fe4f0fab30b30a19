"""Texts of the tiered rebate, in the portal's five locales."""
from __future__ import annotations

from contracts.terms import tr

NAMES = tr(zh_Hans="阶梯式货款返点", zh_Hant_HK="階梯式貨款回贈", en="Tiered rebate",
           fr="Ristourne par paliers", es="Bonificación escalonada")

EXPLANATIONS = tr(
    zh_Hans="返点比例随出货量提高的买断式返点：期内净出货数量（所有机型，扣除退货）决定达到"
            "的最高阶梯，该阶梯的比例适用于期内全部货款，按机型分行列示。未达到第一阶梯则"
            "不返点。客户自行承担全部保修服务。",
    zh_Hant_HK="回贈比率隨出貨量提高的買斷式回贈：期內淨出貨數量（所有機型，扣除退貨）決定"
               "達到的最高階梯，該階梯的比率適用於期內全部貨款，按機型分行列示。未達第一"
               "階梯則不設回贈。客戶自行承擔全部保修服務。",
    en="A buyout rebate whose rate rises with volume: the net quantity shipped in the "
       "period (all models, returns deducted) selects the highest tier reached, and that "
       "tier's rate applies to the period's whole goods value, one line per model. Below "
       "the first tier there is no rebate. The client carries all warranty service.",
    fr="Une ristourne de rachat de garantie dont le taux augmente avec le volume : la "
       "quantité nette expédiée dans la période (tous modèles, retours déduits) détermine "
       "le palier le plus élevé atteint, dont le taux s'applique à toute la valeur des "
       "marchandises de la période, une ligne par modèle. En dessous du premier palier, il "
       "n'y a pas de ristourne. Le client assure tout le service de garantie.",
    es="Una bonificación de compra en firme cuyo porcentaje sube con el volumen: la "
       "cantidad neta enviada en el periodo (todos los modelos, descontadas las "
       "devoluciones) determina el tramo más alto alcanzado, cuyo porcentaje se aplica a "
       "todo el valor de la mercancía del periodo, una línea por modelo. Por debajo del "
       "primer tramo no hay bonificación. El cliente asume todo el servicio de garantía.",
)

TIERS = (
    tr(zh_Hans="阶梯", zh_Hant_HK="階梯", en="Tiers", fr="Paliers", es="Tramos"),
    tr(zh_Hans="每个阶梯给出期内最低出货数量及从该数量起适用的返点比例（%）。起始数量须"
               "逐级递增，比例不得下降。",
       zh_Hant_HK="每個階梯列明期內最低出貨數量及由該數量起適用的回贈比率（%）。起始數量"
                  "須逐級遞增，比率不得下降。",
       en="Each tier gives a minimum quantity shipped in the period and the rebate rate "
          "(%) from that volume on. Minimum quantities must rise from tier to tier and "
          "rates must not fall.",
       fr="Chaque palier indique une quantité minimale expédiée dans la période et le taux "
          "de ristourne (%) applicable dès ce volume. Les quantités minimales doivent "
          "croître d'un palier à l'autre et les taux ne pas baisser.",
       es="Cada tramo indica una cantidad mínima enviada en el periodo y el porcentaje de "
          "bonificación (%) a partir de ese volumen. Las cantidades mínimas deben crecer "
          "de un tramo a otro y los porcentajes no pueden bajar."),
)
MIN_QUANTITY = (
    tr(zh_Hans="起始数量", zh_Hant_HK="起始數量", en="From quantity",
       fr="À partir de (quantité)", es="Desde la cantidad"),
    tr(zh_Hans="期内净出货达到此台数时适用本阶梯。",
       zh_Hant_HK="期內淨出貨達到此台數時適用本階梯。",
       en="Net units shipped in the period from which this tier applies.",
       fr="Unités nettes expédiées dans la période à partir desquelles ce palier s'applique.",
       es="Unidades netas enviadas en el periodo a partir de las cuales rige este tramo."),
)
RATE = (
    tr(zh_Hans="返点比例（%）", zh_Hant_HK="回贈比率（%）", en="Rebate rate (%)",
       fr="Taux de ristourne (%)", es="Porcentaje de bonificación (%)"),
    tr(zh_Hans="本阶梯的返点比例，大于 0，最多 100。",
       zh_Hant_HK="本階梯的回贈比率，須大於 0，最多 100。",
       en="This tier's rebate rate; above 0, at most 100.",
       fr="Le taux de ristourne de ce palier ; supérieur à 0, 100 au plus.",
       es="El porcentaje de bonificación de este tramo; mayor que 0 y como máximo 100."),
)

MESSAGES = {
    "tiered_rebate": tr(zh_Hans="阶梯返点", zh_Hant_HK="階梯回贈", en="Tiered rebate",
                        fr="Ristourne par paliers", es="Bonificación escalonada"),
    "tiered_rebate_model": tr(
        zh_Hans="{model}：净出货 {quantity} 台，货款 {base}，阶梯返点 {rate}%",
        zh_Hant_HK="{model}：淨出貨 {quantity} 台，貨款 {base}，階梯回贈 {rate}%",
        en="{model}: {quantity} units net, goods value {base}, tier rate {rate} %",
        fr="{model} : {quantity} unités nettes, valeur des marchandises {base}, taux du "
           "palier {rate} %",
        es="{model}: {quantity} unidades netas, valor de la mercancía {base}, porcentaje "
           "del tramo {rate} %",
    ),
}
