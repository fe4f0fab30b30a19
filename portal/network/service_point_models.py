"""The Hong Kong service point: its weekly visit schedule, the dated visits staff made, and the
overseas units and boards waiting there for the next visit."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..catalogue.models import ProductModel
from ..db import CreatedAt, TenantScoped
from ..extensions import db
from .models import AuthorisedStation

ITEM_KINDS = ("unit", "board")


class ServicePointSchedule(db.Model):
    """When staff visit a service point: one weekday (0 = Monday) and a time, local to the point."""

    __tablename__ = "service_point_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("authorised_station.id", ondelete="CASCADE"), unique=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)
    visit_time: Mapped[time]
    note: Mapped[str] = mapped_column(String(400), default="")

    station: Mapped[AuthorisedStation] = relationship()


class ServicePointVisit(CreatedAt, db.Model):
    """A dated visit to a service point: who went and what they collected."""

    __tablename__ = "service_point_visit"
    __table_args__ = (Index("ix_service_point_visit_station_day", "station_id", "visit_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("authorised_station.id", ondelete="CASCADE"))
    visit_date: Mapped[date]
    visitor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    visitor: Mapped[User] = relationship(lazy="joined")
    items: Mapped[list["ServicePointItem"]] = relationship(back_populates="collected_on")


class ServicePointItem(TenantScoped, CreatedAt, db.Model):
    """A returned unit or board that arrived at a service point and waits for the next visit.
    The RMA capability records arrivals through `network.service_point.receive_at_service_point`
    (its reference goes in `rma_ref`); staff may also record one by hand."""

    __tablename__ = "service_point_item"
    __table_args__ = (Index("ix_service_point_item_waiting", "station_id", "collected_visit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("authorised_station.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # ITEM_KINDS
    model_id: Mapped[int | None] = mapped_column(ForeignKey("product_model.id"), index=True)
    serial: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(String(400), default="")
    rma_ref: Mapped[str] = mapped_column(String(40), default="", index=True)
    received_on: Mapped[date]
    collected_visit_id: Mapped[int | None] = mapped_column(ForeignKey("service_point_visit.id"))

    model: Mapped[ProductModel | None] = relationship(lazy="joined")
    collected_on: Mapped[ServicePointVisit | None] = relationship(back_populates="items")
