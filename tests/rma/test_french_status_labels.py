"""French RMA status labels agree with the masculine "retour" / "RMA" they describe: no
feminine participle standing alone (a msgid shared with feminine nouns, such as "Closed" or
"Requested", reads as a noun phrase instead: "Dossier clos", "Demande envoyée")."""
from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from portal.labels import LABELS

CATALOGUE = Path(__file__).resolve().parents[2] / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def test_rma_status_labels_are_not_feminine_in_french():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    for code, text in LABELS["rma_status"].items():
        msgid = text._args[0]  # the lazy string's English msgid
        french = catalogue[msgid].string
        assert french, msgid
        if len(french.split()) == 1:  # a lone participle describes the RMA: masculine
            assert not french.endswith(("ée", "ées")), (code, msgid, french)
