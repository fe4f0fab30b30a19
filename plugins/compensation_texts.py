"""Texts of the repair-fee compensation scheme, in the five locales.

Reason templates take no placeholders: a decision carries reason keys only. Each table row
is a key and its text in zh_Hans, zh_Hant_HK, en, fr, es (plugins.tables).
"""
from __future__ import annotations

from contracts.terms import tr
from plugins.tables import texts_table

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

_LINES = texts_table((
    ("claims_accepted", "已受理的维修费补偿", "已接納的維修費補償", "Accepted repair claims",
     "Demandes de remboursement acceptées", "Reclamaciones de reparación aceptadas"),
    ("claims_rejected", "被拒绝的申请", "被拒絕的申請", "Rejected claims", "Demandes rejetées",
     "Reclamaciones rechazadas"),
    ("claim_accepted",
     "序列号 {serial}（{model}），{repair_date} 维修，{level}：申请 {claimed}，"
     "费用表 {schedule}，核定 {adjusted}",
     "序號 {serial}（{model}），{repair_date} 維修，{level}：申請 {claimed}，"
     "收費表 {schedule}，核定 {adjusted}",
     "Serial {serial} ({model}), repaired {repair_date}, {level}: claimed {claimed}, "
     "schedule {schedule}, adjusted {adjusted}",
     "Numéro de série {serial} ({model}), réparé le {repair_date}, {level} : demandé "
     "{claimed}, barème {schedule}, ajusté {adjusted}",
     "Número de serie {serial} ({model}), reparado el {repair_date}, {level}: "
     "reclamado {claimed}, tarifa {schedule}, ajustado {adjusted}"),
    ("claim_trimmed",
     "序列号 {serial}（{model}），{repair_date} 维修，{level}：申请 {claimed}，"
     "核定 {adjusted}，因每期上限实付 {paid}",
     "序號 {serial}（{model}），{repair_date} 維修，{level}：申請 {claimed}，"
     "核定 {adjusted}，因每期上限實付 {paid}",
     "Serial {serial} ({model}), repaired {repair_date}, {level}: claimed {claimed}, "
     "adjusted {adjusted}, paid {paid} under the period cap",
     "Numéro de série {serial} ({model}), réparé le {repair_date}, {level} : demandé "
     "{claimed}, ajusté {adjusted}, payé {paid} en raison du plafond de la période",
     "Número de serie {serial} ({model}), reparado el {repair_date}, {level}: "
     "reclamado {claimed}, ajustado {adjusted}, pagado {paid} por el tope del periodo"),
))

_REASONS = texts_table((
    ("not_shipped_to_client", "该序列号并非发给本客户", "該序號並非付運予本客戶",
     "The serial was not shipped to this client", "Ce numéro de série n'a pas été expédié à ce client",
     "Este número de serie no se envió a este cliente"),
    ("model_mismatch", "序列号对应的机型与申请不符", "序號對應的機型與申請不符",
     "The serial belongs to another model than the one claimed",
     "Le numéro de série correspond à un autre modèle que celui déclaré",
     "El número de serie corresponde a otro modelo distinto del declarado"),
    ("unknown_part_category", "维修的备件类别未知", "維修的備件類別不明", "Unknown repaired part category",
     "Catégorie de pièce réparée inconnue", "Categoría de pieza reparada desconocida"),
    ("out_of_warranty", "维修日期时该备件类别已过保修期", "維修當日該備件類別已過保養期",
     "The repaired part category was out of warranty on the repair date",
     "La catégorie de pièce réparée n'était plus sous garantie à la date de réparation",
     "La categoría de pieza reparada estaba fuera de garantía en la fecha de "
     "reparación"),
    ("unknown_fault_cause", "故障原因未知", "故障原因不明", "Unknown fault cause", "Cause de panne inconnue",
     "Causa de avería desconocida"),
    ("excluded_fault_cause", "该故障原因不在补偿范围内", "該故障原因不在補償範圍內",
     "The fault cause is excluded from compensation", "La cause de la panne est exclue du remboursement",
     "La causa de la avería está excluida de la compensación"),
    ("submitted_before_repair", "提交日期早于维修日期", "提交日期早於維修日期",
     "Submitted before the repair date", "Déposée avant la date de réparation",
     "Presentada antes de la fecha de reparación"),
    ("late_submission", "超过提交期限", "超過提交期限", "Submitted after the submission window",
     "Déposée après le délai de dépôt", "Presentada fuera de plazo"),
    ("repeat_within_30_days", "重复维修：同一序列号 30 天内已有受理的申请",
     "重複維修：同一序號 30 日內已有獲接納的申請",
     "Repeat repair within 30 days of an accepted claim on the same serial",
     "Réparation répétée moins de 30 jours après une demande acceptée sur le même "
     "numéro de série",
     "Reparación repetida dentro de los 30 días de una reclamación aceptada del "
     "mismo número de serie"),
    ("unknown_repair_level", "费用表中没有该维修级别", "收費表中沒有此維修級別",
     "The fee schedule has no such repair level", "Le barème ne prévoit pas ce niveau de réparation",
     "La tarifa no contempla este nivel de reparación"),
    ("unknown_part_price", "有零件没有约定价格", "有零件沒有協定價格", "A part has no agreed price",
     "Une pièce n'a pas de prix convenu", "Una pieza no tiene precio acordado"),
    ("preauthorisation_missing", "金额超过预授权门槛，但未获预授权", "金額超過預先授權門檻，但未獲預先授權",
     "Above the pre-authorisation threshold without pre-authorisation",
     "Au-dessus du seuil de pré-autorisation sans pré-autorisation",
     "Supera el umbral de autorización previa sin haberla obtenido"),
    ("rejected_by_staff", "经人工审核后拒绝", "經人手審核後拒絕", "Rejected after review",
     "Rejetée après contrôle", "Rechazada tras la revisión"),
    # Notes on accepted or reviewed claims.
    ("above_review_threshold", "金额高于审核门槛，需人工审核", "金額高於審核門檻，須人手審核",
     "Above the review threshold: a person decides", "Au-dessus du seuil de contrôle : une personne décide",
     "Supera el umbral de revisión: decide una persona"),
    ("reduced_to_schedule", "按费用表核减", "按收費表核減", "Reduced to the fee schedule",
     "Ramenée au barème", "Reducida a la tarifa"),
    ("capped_per_claim", "按单次申请上限核减", "按每宗申請上限核減", "Capped at the limit per claim",
     "Plafonnée à la limite par demande", "Limitada al tope por reclamación"),
))

REJECTION_REASONS = tuple(key for key in _REASONS if key not in
                          ("above_review_threshold", "reduced_to_schedule", "capped_per_claim"))
MESSAGES = {**_LINES, **_REASONS}
