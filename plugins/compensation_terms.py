"""Terms of the repair-fee compensation scheme: the fee schedule, caps, exclusions and
windows, with labels in the five locales. Where the contract is silent the domestic 三包
defaults apply (DOMAIN.md): the excluded causes are the non-covered ones, 60 days to submit,
the 三包 warranty months, no grace days.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from contracts.domain import DOMESTIC_WARRANTY_MONTHS, FAULT_CAUSES, REPAIR_LEVELS
from contracts.terms import (
    Texts,
    WholeNumber,
    category_key,
    category_prices_field,
    days_field,
    described,
    money_field,
    money_values,
    part_prices_field,
)
from plugins.tables import schema_class

DEFAULT_EXCLUDED_CAUSES = ("transport_client_logistics", "panel_impact", "human_damage",
                           "lightning")
DEFAULT_SUBMISSION_WINDOW_DAYS = 60


def _optional_money(label: Texts, help: Texts) -> fields.Decimal:
    return money_field(label, help, positive=True, required=False, allow_none=True)


def _labour_fees(label: Texts, help: Texts) -> fields.Dict:
    return fields.Dict(keys=fields.String(validate=validate.OneOf(REPAIR_LEVELS)), values=money_values(),
                       required=True, metadata=described(label, help))


def _excluded_fault_causes(label: Texts, help: Texts) -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(FAULT_CAUSES)),
                       load_default=lambda: list(DEFAULT_EXCLUDED_CAUSES), metadata=described(label, help))


def _warranty_months(label: Texts, help: Texts) -> fields.Dict:
    return fields.Dict(keys=category_key(), values=WholeNumber(validate=validate.Range(min=0)),
                       load_default=dict, metadata=described(label, help))


# The terms fields in the contract form's order: name, how to build it, then its label and its
# help, each in zh_Hans, zh_Hant_HK, en, fr, es (plugins.tables.fields_table).
_FIELDS = (
    ("labour_fees", _labour_fees,
     ("各维修级别的工时费", "各維修級別的工時費", "Labour fee per repair level",
      "Main-d'œuvre par niveau de réparation", "Mano de obra por nivel de reparación"),
     ("L1、L2、L3 三个级别各自的工时费，以合同币种计。", "L1、L2、L3 三個級別各自的工時費，以合約貨幣計。",
      "The labour fee of each level L1, L2 and L3, in the contract's currency.",
      "Le forfait de main-d'œuvre de chaque niveau L1, L2 et L3, dans la devise "
      "du contrat.",
      "La tarifa de mano de obra de cada nivel L1, L2 y L3, en la moneda del "
      "contrato.")),
    ("handling_fee", partial(money_field, required=True),
     ("手续费", "手續費", "Handling fee", "Frais de traitement", "Gastos de gestión"),
     ("每宗受理的申请另付的固定手续费。", "每宗獲接納的申請另付的固定手續費。",
      "A fixed fee added to each accepted claim.", "Un montant fixe ajouté à chaque demande acceptée.",
      "Un importe fijo que se suma a cada reclamación aceptada.")),
    ("part_prices", part_prices_field),
    ("category_prices", category_prices_field),
    ("cap_per_claim", _optional_money,
     ("单次申请上限", "每宗申請上限", "Cap per claim", "Plafond par demande", "Tope por reclamación"),
     ("选填。每宗申请最多补偿的金额。", "選填。每宗申請最多補償的金額。",
      "Optional. The most paid for one claim.", "Facultatif. Le montant maximal remboursé pour une demande.",
      "Opcional. El importe máximo pagado por una reclamación.")),
    ("cap_per_period", _optional_money,
     ("每期上限", "每期上限", "Cap per period", "Plafond par période", "Tope por periodo"),
     ("选填。一期内补偿总额上限；超出时，期内最后决定的申请被核减。",
      "選填。一期內補償總額上限；超出時，期內最後決定的申請會被核減。",
      "Optional. The most paid in one period; beyond it the claims decided last "
      "in the period are reduced.",
      "Facultatif. Le montant maximal remboursé sur une période ; au-delà, les "
      "dernières demandes décidées dans la période sont réduites.",
      "Opcional. El importe máximo pagado en un periodo; por encima, se reducen "
      "las últimas reclamaciones decididas en el periodo.")),
    ("excluded_fault_causes", _excluded_fault_causes,
     ("不予补偿的故障原因", "不予補償的故障原因", "Excluded fault causes", "Causes de panne exclues",
      "Causas de avería excluidas"),
     ("默认：客户物流运输损坏、屏碰伤/撞伤、人为损坏、雷击。",
      "預設：客戶物流運輸損壞、屏幕碰傷／撞傷、人為損壞、雷擊。",
      "Default: transport damage in the client's logistics, panel knock or "
      "impact, human damage, lightning.",
      "Par défaut : dommages de transport chez le logisticien du client, choc "
      "sur la dalle, dommage d'origine humaine, foudre.",
      "Por defecto: daños de transporte en la logística del cliente, golpe en "
      "el panel, daño humano, rayo.")),
    ("submission_window_days", partial(days_field, load_default=DEFAULT_SUBMISSION_WINDOW_DAYS),
     ("提交期限（天）", "提交期限（日）", "Submission window (days)", "Délai de dépôt (jours)",
      "Plazo de presentación (días)"),
     ("维修后须在多少天内提交申请，默认 60 天。", "維修後須在多少日內提交申請，預設 60 日。",
      "Days after the repair within which a claim must arrive; 60 by default.",
      "Nombre de jours après la réparation pour déposer la demande ; 60 par défaut.",
      "Días tras la reparación para presentar la reclamación; 60 por defecto.")),
    ("warranty_months", _warranty_months,
     ("各类别保修月数", "各類別保養月數", "Warranty months per category", "Mois de garantie par catégorie",
      "Meses de garantía por categoría"),
     ("从出货日起计。未填写的类别按三包：整机 12、屏 36、主板 36、电源板 12、"
      "遥控器及配件 12。",
      "由出貨日起計。未填寫的類別按三包：整機 12、屏 36、主板 36、"
      "電源板 12、遙控器及配件 12。",
      "Counted from the ship date. Categories not given follow the domestic "
      "defaults: unit 12, panel 36, main board 36, power board 12, remote and "
      "accessories 12.",
      "Comptés depuis la date d'expédition. Les catégories non précisées suivent "
      "les valeurs chinoises : appareil 12, dalle 36, carte mère 36, carte "
      "d'alimentation 12, télécommande et accessoires 12.",
      "Contados desde la fecha de envío. Las categorías no indicadas siguen los "
      "valores chinos: unidad 12, panel 36, placa base 36, placa de "
      "alimentación 12, mando y accesorios 12.")),
    ("grace_days", partial(days_field, load_default=0),
     ("宽限天数", "寬限日數", "Grace days", "Jours de grâce", "Días de gracia"),
     ("加在出货日之后再开始计算保修期的天数，默认 0。", "加在出貨日之後才開始計算保養期的日數，預設 0。",
      "Days added to the ship date before the warranty starts to run; 0 by default.",
      "Jours ajoutés à la date d'expédition avant que la garantie ne coure ; "
      "0 par défaut.",
      "Días sumados a la fecha de envío antes de que empiece la garantía; "
      "0 por defecto.")),
    ("review_threshold", _optional_money,
     ("人工审核门槛", "人手審核門檻", "Review threshold", "Seuil de contrôle manuel", "Umbral de revisión"),
     ("选填。核定金额高于此值的申请转人工审核。", "選填。核定金額高於此值的申請轉交人手審核。",
      "Optional. Claims whose adjusted amount is above it go to a person for review.",
      "Facultatif. Les demandes dont le montant ajusté le dépasse sont contrôlées "
      "par une personne.",
      "Opcional. Las reclamaciones cuyo importe ajustado lo supera pasan a "
      "revisión manual.")),
    ("preauthorisation_threshold", _optional_money,
     ("预授权门槛", "預先授權門檻", "Pre-authorisation threshold", "Seuil de pré-autorisation",
      "Umbral de autorización previa"),
     ("选填。按费用表计算的金额高于此值的维修须事先获得授权，否则拒绝。",
      "選填。按收費表計算的金額高於此值的維修須事先獲得授權，否則拒絕。",
      "Optional. A repair whose schedule amount is above it needs pre-authorisation, "
      "or the claim is rejected.",
      "Facultatif. Une réparation dont le montant au barème le dépasse exige une "
      "pré-autorisation, sinon la demande est rejetée.",
      "Opcional. Una reparación cuyo importe según tarifa lo supera requiere "
      "autorización previa; si no, se rechaza.")),
)


class _EveryLevelPriced(Schema):
    """The check of the terms as a whole; the fields come from the table."""

    @validates_schema
    def _every_level_priced(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        missing = [level for level in REPAIR_LEVELS if level not in data.get("labour_fees", {})]
        if missing:
            raise ValidationError(f"Give a labour fee for {', '.join(missing)}.", "labour_fees")


RepairCompensationTerms = schema_class("RepairCompensationTerms", _FIELDS, __name__, base=_EveryLevelPriced)


def warranty_months(terms: Mapping[str, Any]) -> dict[str, int]:
    """Months per category: the contract's, else the domestic 三包 default."""
    return {**DOMESTIC_WARRANTY_MONTHS, **(terms.get("warranty_months") or {})}
