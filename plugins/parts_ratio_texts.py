"""Texts of the spare-parts ratio scheme, in the five locales."""
from __future__ import annotations

from contracts.terms import tr

NAMES = tr(zh_Hans="备件供应比例", zh_Hant_HK="備件供應比例", en="Spare-parts ratio",
           fr="Pièces détachées au prorata", es="Dotación proporcional de repuestos")

EXPLANATIONS = tr(
    zh_Hans="工厂按出货数量的约定比例免费提供备件，按机型和备件类别（主板、电源板、屏、"
            "遥控器……）分别计算。额度随合同开始以来的每次出货累积；超出额度发放的备件按"
            "约定价格收费。每期结算单列出额度台账：累计额度、已用、剩余。",
    zh_Hant_HK="廠方按出貨數量的協定比例免費提供備件，按機型及備件類別（主板、電源板、屏、"
               "遙控器……）分別計算。額度隨合約開始以來的每次出貨累積；超出額度發放的備件"
               "按協定價格收費。每期結算單列出額度台賬：累計額度、已用、剩餘。",
    en="The ODM supplies spare parts free of charge up to an agreed percentage of the "
       "quantity shipped, per model and part category (main board, power board, panel, "
       "remote…). The entitlement grows with every shipment since the contract start; "
       "parts issued beyond it are charged at the agreed price. Each statement shows the "
       "entitlement ledger: accrued, used, remaining.",
    fr="L'ODM fournit gratuitement des pièces détachées jusqu'à un pourcentage convenu de "
       "la quantité expédiée, par modèle et par catégorie de pièce (carte mère, carte "
       "d'alimentation, dalle, télécommande…). Le droit s'accroît à chaque expédition "
       "depuis le début du contrat ; les pièces délivrées au-delà sont facturées au prix "
       "convenu. Chaque relevé présente le compte des droits : acquis, utilisés, restants.",
    es="El ODM suministra repuestos gratuitos hasta un porcentaje acordado de la cantidad "
       "enviada, por modelo y categoría de pieza (placa base, placa de alimentación, panel, "
       "mando…). La dotación crece con cada envío desde el inicio del contrato; las piezas "
       "entregadas por encima de ella se cobran al precio acordado. Cada liquidación "
       "muestra el saldo de la dotación: acumulada, usada, restante.",
)

CATEGORY_RATIOS_LABEL = tr(
    zh_Hans="各类别免费备件比例（%）", zh_Hant_HK="各類別免費備件比例（%）",
    en="Free parts ratio per category (%)", fr="Taux de pièces gratuites par catégorie (%)",
    es="Porcentaje de repuestos gratuitos por categoría (%)",
)
CATEGORY_RATIOS_HELP = tr(
    zh_Hans="每个备件类别的免费数量占合同开始以来出货台数的百分比，向下取整（例如主板 1 "
            "表示每出货 100 台给 1 块主板）。",
    zh_Hant_HK="每個備件類別的免費數量佔合約開始以來出貨台數的百分比，向下取整（例如主板 "
               "1 表示每出貨 100 台給 1 塊主板）。",
    en="For each part category, free spare parts as a percentage of the units shipped "
       "since the contract start, rounded down (main board 1 means one board per 100 "
       "units).",
    fr="Pour chaque catégorie de pièce, les pièces gratuites en pourcentage des unités "
       "expédiées depuis le début du contrat, arrondi à l'inférieur (carte mère 1 : une "
       "carte pour 100 unités).",
    es="Para cada categoría de pieza, los repuestos gratuitos como porcentaje de las "
       "unidades enviadas desde el inicio del contrato, redondeado hacia abajo (placa base "
       "1: una placa por cada 100 unidades).",
)
MODEL_RATIOS_LABEL = tr(
    zh_Hans="特定机型的比例（%）", zh_Hant_HK="特定機型的比例（%）",
    en="Ratios for specific models (%)", fr="Taux propres à certains modèles (%)",
    es="Porcentajes para modelos concretos (%)",
)
MODEL_RATIOS_HELP = tr(
    zh_Hans="选填。此处列出的机型按自己的类别比例计算，取代通用比例。",
    zh_Hant_HK="選填。此處列出的機型按其本身的類別比例計算，取代通用比例。",
    en="Optional. A model listed here uses its own percentage per category instead of "
       "the general one.",
    fr="Facultatif. Un modèle indiqué ici utilise son propre pourcentage par catégorie au "
       "lieu du taux général.",
    es="Opcional. Un modelo indicado aquí usa su propio porcentaje por categoría en lugar "
       "del general.",
)

# A schema error is shown through the portal's translation of validation messages.
NO_PRICE_ERROR = "Give an agreed price per part number or per category."

MESSAGES = {
    "parts_charged": tr(
        zh_Hans="超出额度的备件", zh_Hant_HK="超出額度的備件",
        en="Spare parts beyond the entitlement",
        fr="Pièces détachées au-delà du droit", es="Repuestos por encima de la dotación",
    ),
    "part_charged": tr(
        zh_Hans="{issue_date} 发放 {model} 的 {part_number}：{issued} 件中 {charged} 件"
                "超出额度，按单价 {unit_price} 收费",
        zh_Hant_HK="{issue_date} 發放 {model} 的 {part_number}：{issued} 件中 {charged} 件"
                   "超出額度，按單價 {unit_price} 收費",
        en="{part_number} for {model} issued {issue_date}: {charged} of {issued} beyond "
           "the entitlement, charged at {unit_price} each",
        fr="{part_number} pour {model} délivrée le {issue_date} : {charged} sur {issued} "
           "au-delà du droit, facturées {unit_price} l'unité",
        es="{part_number} para {model} entregada el {issue_date}: {charged} de {issued} "
           "por encima de la dotación, cobradas a {unit_price} la unidad",
    ),
}
