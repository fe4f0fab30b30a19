"""The catalogue: product models, production batches with their material lists, and parts.
No Flask request objects here.

Internal users see the whole catalogue. A client user sees only the models it bought: those
on its shipment lines (`bought_only=True`, from portal.shipments.services.shipped_model_ids).
ShipmentLine is tenant-scoped, so the tenancy hook confines that subquery to the signed-in
client; this module never filters by client itself.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from contracts.domain import PART_CATEGORIES

from ..clients.services import FieldErrors, like
from ..extensions import db
from ..labels import label
from ..shipments.services import shipped_model_ids
from .models import Batch, BatchMaterial, Part, ProductModel

# A batch's material list: which part it used per category (the whole unit is not a material).
MATERIAL_CATEGORIES = tuple(c for c in PART_CATEGORIES if c != "unit")
MODEL_FIELDS = ("code", "name", "kind", "size_inches", "launch_date", "end_of_production", "service_years")
BATCH_FIELDS = ("code", "model_id", "produced_on", "quantity")
PART_FIELDS = ("number", "category", "description", "cost_price")


def _contains(column, text: str):
    return column.ilike(like(text), escape="\\")


def _taken(column, value: str, exclude_id, id_column) -> bool:
    stmt = select(id_column).where(func.upper(column) == value.upper())
    if exclude_id is not None:
        stmt = stmt.where(id_column != exclude_id)
    return db.session.scalar(stmt) is not None


def _commit(field: str, message: str) -> None:
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent request took the code between check and commit
        db.session.rollback()
        raise FieldErrors({field: message}) from None


# --- product models -------------------------------------------------------------------------

def bought_model_ids():
    """The ids of the models on the signed-in client's shipments (confined by the tenancy hook)."""
    return shipped_model_ids()


def model_query(q: str = "", kind: str = "", status: str = "", bought_only: bool = False, today: date | None = None):
    """Models by code; `status` is "current" (still produced) or "discontinued"."""
    today = today or date.today()
    stmt = select(ProductModel).order_by(ProductModel.code)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(_contains(ProductModel.code, q), _contains(ProductModel.name, q)))
    if kind:
        stmt = stmt.where(ProductModel.kind == kind)
    if status == "current":
        stmt = stmt.where(or_(ProductModel.end_of_production.is_(None), ProductModel.end_of_production > today))
    elif status == "discontinued":
        stmt = stmt.where(ProductModel.end_of_production <= today)
    if bought_only:
        stmt = stmt.where(ProductModel.id.in_(bought_model_ids()))
    return stmt


def get_model(model_id: int, bought_only: bool = False) -> ProductModel | None:
    stmt = select(ProductModel).where(ProductModel.id == model_id)
    if bought_only:
        stmt = stmt.where(ProductModel.id.in_(bought_model_ids()))
    return db.session.scalar(stmt)


def batch_counts(model_ids) -> dict[int, int]:
    """How many batches each of `model_ids` has (one query for a whole page of models)."""
    ids = list(model_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Batch.model_id, func.count(Batch.id)).where(Batch.model_id.in_(ids)).group_by(Batch.model_id)
    )
    return dict(rows.all())


def model_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(ProductModel.id, ProductModel.code, ProductModel.name).order_by(ProductModel.code))
    return [(mid, f"{code} — {name}" if name else code) for mid, code, name in rows]


def _check_model(values: dict, model: ProductModel | None) -> None:
    errors = {}
    if "code" in values:
        values["code"] = values["code"].strip()
        if _taken(ProductModel.code, values["code"], model.id if model else None, ProductModel.id):
            errors["code"] = _("A model with code %(code)s already exists.", code=values["code"])
    launch = values.get("launch_date", model.launch_date if model else None)
    end = values.get("end_of_production", model.end_of_production if model else None)
    if launch and end and end < launch:
        errors["end_of_production"] = _("The end of production cannot be before the launch date.")
    if errors:
        raise FieldErrors(errors)


def create_model(data: dict) -> ProductModel:
    values = {k: v for k, v in data.items() if k in MODEL_FIELDS}
    _check_model(values, None)
    model = ProductModel(**values)
    db.session.add(model)
    _commit("code", _("A model with code %(code)s already exists.", code=values["code"]))
    return model


def update_model(model: ProductModel, data: dict) -> ProductModel:
    values = {k: v for k, v in data.items() if k in MODEL_FIELDS}
    _check_model(values, model)
    for key, value in values.items():
        setattr(model, key, value)
    _commit("code", _("A model with code %(code)s already exists.", code=model.code))
    return model


# --- batches --------------------------------------------------------------------------------

def batch_query(q: str = "", model_id: int | None = None, bought_only: bool = False, part_id: int | None = None):
    """Batches, newest first, with their model and material list loaded (no N+1); `part_id`
    keeps the batches whose material list names that part."""
    stmt = (
        select(Batch)
        .options(joinedload(Batch.model), selectinload(Batch.materials))
        .order_by(Batch.produced_on.desc(), Batch.code)
    )
    q = (q or "").strip()
    if q:
        stmt = stmt.where(_contains(Batch.code, q))
    if model_id:
        stmt = stmt.where(Batch.model_id == model_id)
    if part_id:
        stmt = stmt.where(Batch.id.in_(select(BatchMaterial.batch_id).where(BatchMaterial.part_id == part_id)))
    if bought_only:
        stmt = stmt.where(Batch.model_id.in_(bought_model_ids()))
    return stmt


def get_batch(batch_id: int, bought_only: bool = False) -> Batch | None:
    stmt = (
        select(Batch)
        .options(joinedload(Batch.model), selectinload(Batch.materials))
        .where(Batch.id == batch_id)
    )
    if bought_only:
        stmt = stmt.where(Batch.model_id.in_(bought_model_ids()))
    return db.session.scalar(stmt)


def _check_batch(values: dict, batch: Batch | None) -> None:
    errors = {}
    if "code" in values:
        values["code"] = values["code"].strip()
        if _taken(Batch.code, values["code"], batch.id if batch else None, Batch.id):
            errors["code"] = _("A batch with code %(code)s already exists.", code=values["code"])
    if "model_id" in values and db.session.get(ProductModel, values["model_id"] or 0) is None:
        errors["model_id"] = _("Choose a model from the list.")
    if errors:
        raise FieldErrors(errors)


def resolve_materials(numbers: dict[str, str]) -> dict[str, Part | None]:
    """Map {category: part number ("" for none)} to {category: Part or None}; raise FieldErrors
    keyed by category when a number is unknown or names a part of another category."""
    wanted = {cat: (num or "").strip() for cat, num in numbers.items()}
    errors: dict[str, str] = {}
    for cat in wanted:
        if cat not in MATERIAL_CATEGORIES:
            errors[cat] = _("Unknown part category %(category)s.", category=cat)
    given = {num.upper() for num in wanted.values() if num}
    parts = {}
    if given:
        found = db.session.scalars(select(Part).where(func.upper(Part.number).in_(given)))
        parts = {p.number.upper(): p for p in found}
    resolved: dict[str, Part | None] = {}
    for cat, num in wanted.items():
        if cat in errors:
            continue
        if not num:
            resolved[cat] = None
            continue
        part = parts.get(num.upper())
        if part is None:
            errors[cat] = _("No part has the number %(number)s.", number=num)
        elif part.category != cat:
            errors[cat] = _("Part %(number)s is in the category “%(actual)s”, not “%(expected)s”.",
                            number=part.number, actual=label("category", part.category),
                            expected=label("category", cat))
        else:
            resolved[cat] = part
    if errors:
        raise FieldErrors(errors)
    return resolved


def _apply_materials(batch: Batch, resolved: dict[str, Part | None], replace_all: bool) -> None:
    """Change rows in place (a delete and an insert for the same category would collide on the
    unique (batch, category) constraint, as SQLAlchemy flushes inserts before deletes)."""
    current = {m.category: m for m in batch.materials}
    if replace_all:
        resolved = {**{cat: None for cat in current}, **resolved}
    for cat, part in resolved.items():
        row = current.get(cat)
        if part is None:
            if row is not None:
                batch.materials.remove(row)
        elif row is None:
            batch.materials.append(BatchMaterial(category=cat, part=part))
        else:
            row.part = part


def create_batch(data: dict, materials: dict[str, str] | None = None) -> Batch:
    values = {k: v for k, v in data.items() if k in BATCH_FIELDS}
    _check_batch(values, None)
    resolved = resolve_materials(materials or {})
    batch = Batch(**values)
    _apply_materials(batch, resolved, replace_all=True)
    db.session.add(batch)
    _commit("code", _("A batch with code %(code)s already exists.", code=values["code"]))
    return batch


def update_batch(batch: Batch, data: dict, materials: dict[str, str] | None = None) -> Batch:
    """Change the given fields; `materials`, when given, replace the whole material list."""
    values = {k: v for k, v in data.items() if k in BATCH_FIELDS}
    _check_batch(values, batch)
    resolved = resolve_materials(materials) if materials is not None else None
    for key, value in values.items():
        setattr(batch, key, value)
    if resolved is not None:
        _apply_materials(batch, resolved, replace_all=True)
    _commit("code", _("A batch with code %(code)s already exists.", code=batch.code))
    return batch


def set_materials(batch: Batch, numbers: dict[str, str]) -> Batch:
    """Set the part used per category from {category: part number}; "" clears a category."""
    _apply_materials(batch, resolve_materials(numbers), replace_all=False)
    db.session.commit()
    return batch


# --- parts ----------------------------------------------------------------------------------

def part_query(q: str = "", category: str = ""):
    stmt = select(Part).order_by(Part.number)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(_contains(Part.number, q), _contains(Part.description, q)))
    if category:
        stmt = stmt.where(Part.category == category)
    return stmt


def where_used(part_id: int):
    """The batches whose material list names the part, newest first, with their model."""
    return batch_query(part_id=part_id)


def _check_part(values: dict, part: Part | None) -> None:
    if "number" in values:
        values["number"] = values["number"].strip()
        if _taken(Part.number, values["number"], part.id if part else None, Part.id):
            raise FieldErrors({"number": _("A part with number %(number)s already exists.", number=values["number"])})
    if part is not None and "category" in values and values["category"] != part.category:
        used = db.session.scalar(select(func.count(BatchMaterial.id)).where(BatchMaterial.part_id == part.id))
        if used:
            raise FieldErrors({"category": ngettext(
                "The category cannot change: %(num)d batch lists this part under “%(category)s”.",
                "The category cannot change: %(num)d batches list this part under “%(category)s”.",
                used, category=label("category", part.category))})


def create_part(data: dict) -> Part:
    values = {k: v for k, v in data.items() if k in PART_FIELDS}
    _check_part(values, None)
    part = Part(**values)
    db.session.add(part)
    _commit("number", _("A part with number %(number)s already exists.", number=values["number"]))
    return part


def update_part(part: Part, data: dict) -> Part:
    values = {k: v for k, v in data.items() if k in PART_FIELDS}
    _check_part(values, part)
    for key, value in values.items():
        setattr(part, key, value)
    _commit("number", _("A part with number %(number)s already exists.", number=part.number))
    return part


def money_places_ok(value: Decimal, places: int) -> bool:
    """True when `value` has at most `places` decimal places."""
    return value == value.quantize(Decimal(1).scaleb(-places)) if value.is_finite() else False
