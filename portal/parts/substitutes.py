"""Substitute parts (代用料): part B may replace part A (one way, or both ways), following a
substitute repair instruction — a text, a URL, or (once the documents capability exists) a
document id, linked when the documents blueprint is registered."""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from .. import audit
from ..catalogue.models import Part
from ..extensions import db
from .models import PartSubstitute, StockBalance, StockLocation, AFTER_SALES_KINDS


def replacements(part_id: int) -> list[tuple[PartSubstitute, Part]]:
    """(rule, replacing part) for every part that may replace ``part_id``."""
    rules = db.session.scalars(select(PartSubstitute).where(or_(
        PartSubstitute.part_id == part_id,
        (PartSubstitute.substitute_id == part_id) & PartSubstitute.both_ways)).order_by(PartSubstitute.id))
    return [(rule, rule.substitute if rule.part_id == part_id else rule.part) for rule in rules]


def propose_substitute(part_id: int) -> PartSubstitute | None:
    """The rule whose replacing part has the most after-sales stock (the first rule when none has any)."""
    found = replacements(part_id)
    if not found:
        return None
    stock = dict(db.session.execute(
        select(StockBalance.part_id, StockBalance.quantity).join(StockLocation)
        .where(StockLocation.kind.in_(AFTER_SALES_KINDS),
               StockBalance.part_id.in_([part.id for _rule, part in found]))).all())
    return max(found, key=lambda pair: stock.get(pair[1].id, 0))[0]


def instruction_link(rule: PartSubstitute) -> str:
    """Where the instruction can be read: the document's page once documents exist, else the URL."""
    if rule.document_id and "documents.detail" in current_app.view_functions:
        return url_for("documents.detail", document_id=rule.document_id)
    return rule.instruction_url


def _document_exists(document_id: int) -> bool:
    """The documents capability owns the table; without it any id is kept as given."""
    try:
        from ..documents.models import Document
    except ImportError:
        return True
    return db.session.get(Document, document_id) is not None


def add_substitute(part_number: str, substitute_number: str, *, both_ways: bool = False, instruction: str = "",
                   instruction_url: str = "", document_id: int | None = None, user=None) -> PartSubstitute:
    parts = {p.number: p for p in db.session.scalars(
        select(Part).where(Part.number.in_([part_number.strip(), substitute_number.strip()])))}
    part, substitute = parts.get(part_number.strip()), parts.get(substitute_number.strip())
    if part is None or substitute is None:
        raise ValueError(_("Unknown part number %(number)s.",
                           number=part_number if part is None else substitute_number))
    if part.id == substitute.id:
        raise ValueError(_("A part cannot substitute for itself."))
    if not (instruction.strip() or instruction_url.strip() or document_id):
        raise ValueError(_("A substitute needs its repair instruction (a text, a link or a document)."))
    if document_id and not _document_exists(document_id):
        raise ValueError(_("There is no document number %(id)s.", id=document_id))
    if instruction_url.strip() and not instruction_url.strip().startswith(("http://", "https://", "/")):
        raise ValueError(_("The instruction link must start with http://, https:// or /."))
    exists = db.session.scalar(select(PartSubstitute).where(or_(
        (PartSubstitute.part_id == part.id) & (PartSubstitute.substitute_id == substitute.id),
        (PartSubstitute.part_id == substitute.id) & (PartSubstitute.substitute_id == part.id))))
    if exists is not None:
        raise ValueError(_("These two parts are already linked."))
    rule = PartSubstitute(part=part, substitute=substitute, both_ways=both_ways, instruction=instruction.strip(),
                          instruction_url=instruction_url.strip()[:500], document_id=document_id)
    db.session.add(rule)
    db.session.flush()
    audit.record("parts.substitute", rule, user=user, part=part.number, substitute=substitute.number,
                 both_ways=both_ways)
    return rule


def substitutes_query():
    return select(PartSubstitute).order_by(PartSubstitute.id.desc())
