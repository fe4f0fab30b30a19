"""Demo technical documents: a manual with two versions, a confidential schematic (HUAXIA is
permitted), a BOM, a batch material list, a substitute instruction, board software and
training material given explicitly to a client that did not buy its model. The PDFs are
rendered with WeasyPrint at load time (about 0.05 s each). Clients with access get notices,
as they would on publishing; no e-mail is sent for demo data."""
from __future__ import annotations

from datetime import timedelta
from html import escape

from sqlalchemy import select

from ..auth.models import User
from ..db import utcnow
from ..documents.models import Document, DocumentGrant, DocumentTypePermission, DocumentVersion
from ..documents.notify import notify_clients
from ..extensions import db
from ..storage import storage

# (title, type, language, models, batches, [(file name, release notes, pages)], description)
DOCUMENTS = [
    ("KTV-55A / KTV-65U service manual", "service_manual", "en", ("KTV-55A", "KTV-65U"), (),
     [("KTV-55A_service_manual_v1.pdf", "First issue.", ["Safety", "Disassembly", "Fault finding"]),
      ("KTV-55A_service_manual_v2.pdf", "Adds the KTV-65U panel removal steps; corrects the power-board test "
       "points on page 3.", ["Safety", "Disassembly", "Fault finding", "KTV-65U panel removal"])],
     "Disassembly, adjustment and fault finding for the 55\" and 65\" 4K chassis."),
    ("KTV-55A main board schematic", "schematic", "en", ("KTV-55A",), (),
     [("KTV-55A_MB_schematic.pdf", "Main board rev. C.", ["Power", "SoC and memory", "HDMI and tuner"])],
     "Circuit diagrams of the main board, revision C."),
    ("KM-27Q bill of materials", "bom", "en", ("KM-27Q",), (),
     [("KM-27Q_BOM.pdf", "", ["Electrical parts", "Mechanical parts"])], ""),
    ("KTV-55A-B01 批次物料清单", "batch_materials", "zh_Hans", ("KTV-55A",), ("KTV-55A-B01",),
     [("KTV-55A-B01_物料清单.pdf", "首批物料。", ["主板 / 电源板 / 屏"])], "第一批次所用主板、电源板与屏的型号。"),
    ("KTV-43B 电源板代用料维修说明", "substitute_instruction", "zh_Hans", ("KTV-43B",), (),
     [("KTV-43B_电源板代用说明.pdf", "原电源板停产后的代用方案。", ["代用料对照", "更换步骤"])],
     "原电源板缺货时的代用料及更换步骤。"),
    ("Formation : manipulation des dalles", "training", "fr", ("KTV-32H",), (),
     [("formation_dalles.pdf", "Première version.", ["Déballage", "Manipulation", "Chocs à éviter"])],
     "Comment manipuler une dalle sans la heurter."),
]
FIRMWARE = ("KTV-55A main board software", "board_software", "en", ("KTV-55A",),
            "KTV-55A_MB_v1.4.2.bin", "Fixes HDMI-CEC wake-up; improves Wi-Fi reconnection.")


def _pdf(title: str, chapters: list[str]) -> bytes:
    from weasyprint import HTML

    sections = "".join(
        f"<section style='break-after: page'><h2>{n}. {escape(c)}</h2><p>{escape(title)} — {escape(c)}.</p></section>"
        for n, c in enumerate(chapters, start=1))
    html = (f"<html><head><meta charset='utf-8'><style>body{{font-family:'Noto Sans CJK SC',sans-serif}}</style>"
            f"</head><body><h1>{escape(title)}</h1>{sections}</body></html>")
    return HTML(string=html).write_pdf()


def _version(document, number, filename, notes, data, fmt, uploader, at):
    key = storage().put(data)
    return DocumentVersion(document=document, number=number, release_notes=notes, storage_key=key, size=len(data),
                           filename=filename, file_format=fmt, created_by_id=uploader, created_at=at)


def create_documents(clients: dict, models: dict, batches: dict) -> None:
    db.session.flush()
    uploader = db.session.scalar(select(User.id).where(User.email == "service@odm.example.com"))
    now = utcnow()
    latest = []
    for i, (title, doc_type, language, model_codes, batch_codes, files, description) in enumerate(DOCUMENTS):
        document = Document(title=title, doc_type=doc_type, language=language, description=description,
                            models=[models[c] for c in model_codes], batches=[batches[c] for c in batch_codes],
                            created_by_id=uploader)
        for number, (filename, notes, chapters) in enumerate(files, start=1):
            at = now - timedelta(days=30 * (len(DOCUMENTS) - i) + 20 * (len(files) - number))
            document.versions.append(_version(document, number, filename, notes, _pdf(title, chapters), "pdf",
                                              uploader, at))
            document.updated_at = at
        db.session.add(document)
        latest.append(document)
    title, doc_type, language, model_codes, filename, notes = FIRMWARE
    firmware = Document(title=title, doc_type=doc_type, language=language, models=[models[c] for c in model_codes],
                        created_by_id=uploader, updated_at=now)
    blob = bytes((n * 37 + 11) % 256 for n in range(4096))
    firmware.versions.append(_version(firmware, 1, filename, notes, blob, "bin", uploader, now))
    db.session.add(firmware)
    latest.append(firmware)
    db.session.flush()
    db.session.add(DocumentTypePermission(client_id=clients["HUAXIA"].id, doc_type="schematic",
                                          granted_by_id=uploader))
    training = latest[5]
    db.session.add(DocumentGrant(document_id=training.id, client_id=clients["LUMIERE"].id, granted_by_id=uploader))
    db.session.flush()
    for document in latest:
        notify_clients(max(document.versions, key=lambda v: v.number))
