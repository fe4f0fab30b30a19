"""Texts of the repair-fee compensation scheme, in the five locales.

Reason templates take no placeholders: a decision carries reason keys only.
"""
from __future__ import annotations

from contracts.terms import tr

NAMES = tr(zh_Hans="维修费补偿", zh_Hant_HK="維修費補償", en="Repair-fee compensation",
           fr="Remboursement des frais de réparation",
           es="Compensación de gastos de reparación")

EXPLANATIONS = tr(
    zh_Hans="客户自己的服务网络维修保修期内的产品，工厂按约定费用表补偿维修费：按维修级别"
            "计工时费，零件按约定价格，每宗受理的申请另加手续费，受单次上限及（可选的）每期"
            "上限约束。超出保修期、属不补偿故障原因（客户物流损坏、屏碰伤、人为损坏、雷击）、"
            "逾期提交或 30 天内重复维修的申请将被拒绝并注明原因。",
    zh_Hant_HK="客戶自己的服務網絡維修保養期內的產品，廠方按協定收費表補償維修費：按維修"
               "級別計工時費，零件按協定價格，每宗獲接納的申請另加手續費，並受每宗上限及"
               "（可選的）每期上限約束。超出保養期、屬不補償故障原因（客戶物流損壞、屏幕"
               "碰傷、人為損壞、雷擊）、逾期提交或 30 日內重複維修的申請會被拒絕並註明原因。",
    en="The client's own service network repairs units under warranty and the ODM "
       "reimburses the repair fees per an agreed schedule: labour by repair level, parts "
       "at the agreed price and a handling fee per accepted claim, within a cap per claim "
       "and, optionally, per period. Claims out of warranty, for an excluded fault cause "
       "(client logistics damage, panel impact, human damage, lightning), submitted late "
       "or repeating a repair within 30 days are rejected with their reasons.",
    fr="Le réseau de service du client répare les appareils sous garantie et l'ODM "
       "rembourse les frais selon un barème convenu : main-d'œuvre par niveau de "
       "réparation, pièces au prix convenu et frais de traitement par demande acceptée, "
       "dans la limite d'un plafond par demande et, le cas échéant, par période. Les "
       "demandes hors garantie, pour une cause exclue (dommage chez le logisticien du "
       "client, choc sur la dalle, dommage d'origine humaine, foudre), déposées hors délai "
       "ou répétant une réparation sous 30 jours sont rejetées avec leurs motifs.",
    es="La red de servicio del cliente repara las unidades en garantía y el ODM reembolsa "
       "los gastos según una tarifa acordada: mano de obra por nivel de reparación, piezas "
       "al precio acordado y gastos de gestión por reclamación aceptada, con un tope por "
       "reclamación y, opcionalmente, por periodo. Las reclamaciones fuera de garantía, "
       "por una causa excluida (daño en la logística del cliente, golpe en el panel, daño "
       "humano, rayo), presentadas fuera de plazo o que repiten una reparación en 30 días "
       "se rechazan con sus motivos.",
)

_LINES = {
    "claims_accepted": tr(
        zh_Hans="已受理的维修费补偿", zh_Hant_HK="已接納的維修費補償",
        en="Accepted repair claims", fr="Demandes de remboursement acceptées",
        es="Reclamaciones de reparación aceptadas"),
    "claims_rejected": tr(
        zh_Hans="被拒绝的申请", zh_Hant_HK="被拒絕的申請", en="Rejected claims",
        fr="Demandes rejetées", es="Reclamaciones rechazadas"),
    "claim_accepted": tr(
        zh_Hans="序列号 {serial}（{model}），{repair_date} 维修，{level}：申请 {claimed}，"
                "费用表 {schedule}，核定 {adjusted}",
        zh_Hant_HK="序號 {serial}（{model}），{repair_date} 維修，{level}：申請 {claimed}，"
                   "收費表 {schedule}，核定 {adjusted}",
        en="Serial {serial} ({model}), repaired {repair_date}, {level}: claimed {claimed}, "
           "schedule {schedule}, adjusted {adjusted}",
        fr="Numéro de série {serial} ({model}), réparé le {repair_date}, {level} : demandé "
           "{claimed}, barème {schedule}, ajusté {adjusted}",
        es="Número de serie {serial} ({model}), reparado el {repair_date}, {level}: "
           "reclamado {claimed}, tarifa {schedule}, ajustado {adjusted}"),
    "claim_trimmed": tr(
        zh_Hans="序列号 {serial}（{model}），{repair_date} 维修，{level}：申请 {claimed}，"
                "核定 {adjusted}，因每期上限实付 {paid}",
        zh_Hant_HK="序號 {serial}（{model}），{repair_date} 維修，{level}：申請 {claimed}，"
                   "核定 {adjusted}，因每期上限實付 {paid}",
        en="Serial {serial} ({model}), repaired {repair_date}, {level}: claimed {claimed}, "
           "adjusted {adjusted}, paid {paid} under the period cap",
        fr="Numéro de série {serial} ({model}), réparé le {repair_date}, {level} : demandé "
           "{claimed}, ajusté {adjusted}, payé {paid} en raison du plafond de la période",
        es="Número de serie {serial} ({model}), reparado el {repair_date}, {level}: "
           "reclamado {claimed}, ajustado {adjusted}, pagado {paid} por el tope del periodo"),
}

_REASONS = {
    "not_shipped_to_client": tr(
        zh_Hans="该序列号并非发给本客户", zh_Hant_HK="該序號並非付運予本客戶",
        en="The serial was not shipped to this client",
        fr="Ce numéro de série n'a pas été expédié à ce client",
        es="Este número de serie no se envió a este cliente"),
    "model_mismatch": tr(
        zh_Hans="序列号对应的机型与申请不符", zh_Hant_HK="序號對應的機型與申請不符",
        en="The serial belongs to another model than the one claimed",
        fr="Le numéro de série correspond à un autre modèle que celui déclaré",
        es="El número de serie corresponde a otro modelo distinto del declarado"),
    "unknown_part_category": tr(
        zh_Hans="维修的备件类别未知", zh_Hant_HK="維修的備件類別不明",
        en="Unknown repaired part category", fr="Catégorie de pièce réparée inconnue",
        es="Categoría de pieza reparada desconocida"),
    "out_of_warranty": tr(
        zh_Hans="维修日期时该备件类别已过保修期", zh_Hant_HK="維修當日該備件類別已過保養期",
        en="The repaired part category was out of warranty on the repair date",
        fr="La catégorie de pièce réparée n'était plus sous garantie à la date de réparation",
        es="La categoría de pieza reparada estaba fuera de garantía en la fecha de "
           "reparación"),
    "unknown_fault_cause": tr(
        zh_Hans="故障原因未知", zh_Hant_HK="故障原因不明", en="Unknown fault cause",
        fr="Cause de panne inconnue", es="Causa de avería desconocida"),
    "excluded_fault_cause": tr(
        zh_Hans="该故障原因不在补偿范围内", zh_Hant_HK="該故障原因不在補償範圍內",
        en="The fault cause is excluded from compensation",
        fr="La cause de la panne est exclue du remboursement",
        es="La causa de la avería está excluida de la compensación"),
    "submitted_before_repair": tr(
        zh_Hans="提交日期早于维修日期", zh_Hant_HK="提交日期早於維修日期",
        en="Submitted before the repair date", fr="Déposée avant la date de réparation",
        es="Presentada antes de la fecha de reparación"),
    "late_submission": tr(
        zh_Hans="超过提交期限", zh_Hant_HK="超過提交期限",
        en="Submitted after the submission window", fr="Déposée après le délai de dépôt",
        es="Presentada fuera de plazo"),
    "repeat_within_30_days": tr(
        zh_Hans="重复维修：同一序列号 30 天内已有受理的申请",
        zh_Hant_HK="重複維修：同一序號 30 日內已有獲接納的申請",
        en="Repeat repair within 30 days of an accepted claim on the same serial",
        fr="Réparation répétée moins de 30 jours après une demande acceptée sur le même "
           "numéro de série",
        es="Reparación repetida dentro de los 30 días de una reclamación aceptada del "
           "mismo número de serie"),
    "unknown_repair_level": tr(
        zh_Hans="费用表中没有该维修级别", zh_Hant_HK="收費表中沒有此維修級別",
        en="The fee schedule has no such repair level",
        fr="Le barème ne prévoit pas ce niveau de réparation",
        es="La tarifa no contempla este nivel de reparación"),
    "unknown_part_price": tr(
        zh_Hans="有零件没有约定价格", zh_Hant_HK="有零件沒有協定價格",
        en="A part has no agreed price", fr="Une pièce n'a pas de prix convenu",
        es="Una pieza no tiene precio acordado"),
    "preauthorisation_missing": tr(
        zh_Hans="金额超过预授权门槛，但未获预授权",
        zh_Hant_HK="金額超過預先授權門檻，但未獲預先授權",
        en="Above the pre-authorisation threshold without pre-authorisation",
        fr="Au-dessus du seuil de pré-autorisation sans pré-autorisation",
        es="Supera el umbral de autorización previa sin haberla obtenido"),
    "rejected_by_staff": tr(
        zh_Hans="经人工审核后拒绝", zh_Hant_HK="經人手審核後拒絕",
        en="Rejected after review", fr="Rejetée après contrôle",
        es="Rechazada tras la revisión"),
    # Notes on accepted or reviewed claims.
    "above_review_threshold": tr(
        zh_Hans="金额高于审核门槛，需人工审核", zh_Hant_HK="金額高於審核門檻，須人手審核",
        en="Above the review threshold: a person decides",
        fr="Au-dessus du seuil de contrôle : une personne décide",
        es="Supera el umbral de revisión: decide una persona"),
    "reduced_to_schedule": tr(
        zh_Hans="按费用表核减", zh_Hant_HK="按收費表核減", en="Reduced to the fee schedule",
        fr="Ramenée au barème", es="Reducida a la tarifa"),
    "capped_per_claim": tr(
        zh_Hans="按单次申请上限核减", zh_Hant_HK="按每宗申請上限核減",
        en="Capped at the limit per claim", fr="Plafonnée à la limite par demande",
        es="Limitada al tope por reclamación"),
}

REJECTION_REASONS = tuple(key for key in _REASONS if key not in
                          ("above_review_threshold", "reduced_to_schedule", "capped_per_claim"))
MESSAGES = {**_LINES, **_REASONS}
