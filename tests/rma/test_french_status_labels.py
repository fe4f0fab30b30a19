"""Status labels agree with the noun of their kind in French and Spanish. A status word shared
by kinds ("Open", "Closed", "Requested"...) has the kind as message context, so the RMA (masculine
in French: "le retour") reads "Clôturé" while a complaint (feminine) reads "Ouverte"."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from portal.labels import LABELS, label


def labels_in(app, locale, pairs):
    with app.test_request_context(), force_locale(locale):
        return {pair: label(*pair) for pair in pairs}


@pytest.mark.parametrize("kind, code, french", [
    ("rma_status", "requested", "Demandé"),
    ("rma_status", "approved", "Approuvé"),
    ("rma_status", "declined", "Refusé"),
    ("rma_status", "received", "Reçu"),
    ("rma_status", "closed", "Clôturé"),
    ("complaint_status", "open", "Ouverte"),
    ("complaint_status", "closed", "Clôturée"),
    ("onsite_status", "requested", "Demandée"),
    ("offer_status", "declined", "Refusée"),
    ("refurb_status", "open", "Ouvert"),
])
def test_french_status_agrees_with_the_kind(app, kind, code, french):
    assert labels_in(app, "fr", [(kind, code)])[(kind, code)] == french


@pytest.mark.parametrize("kind, code, spanish", [
    ("order_status", "open", "Abierto"),  # el pedido
    ("order_status", "cancelled", "Cancelado"),
    ("complaint_status", "open", "Abierta"),  # la queja
    ("rma_status", "closed", "Cerrada"),  # la RMA
    ("preauth_status", "approved", "Aprobada"),  # la autorización previa
    ("receipt", "received", "Recibido"),
])
def test_spanish_status_agrees_with_the_kind(app, kind, code, spanish):
    assert labels_in(app, "es", [(kind, code)])[(kind, code)] == spanish


def test_no_rma_status_reads_as_a_noun_phrase_or_feminine_in_french(app):
    pairs = [("rma_status", code) for code in LABELS["rma_status"]]
    for pair, french in labels_in(app, "fr", pairs).items():
        assert french not in ("Dossier clos", "Demande envoyée"), pair
        if len(french.split()) == 1:  # a lone participle describes the RMA: masculine
            assert not french.endswith(("ée", "ées")), (pair, french)


def test_chinese_and_english_keep_the_plain_text(app):
    pair = ("complaint_status", "open")
    assert labels_in(app, "zh_Hans", [pair])[pair] == "待处理"
    assert labels_in(app, "en", [pair])[pair] == "Open"
