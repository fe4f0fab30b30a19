from __future__ import annotations

from datetime import date

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import ProductModel
from ..db import CreatedAt, TenantScoped
from ..extensions import db

REGIONS = ("north", "northeast", "east", "south", "central", "southwest", "northwest", "hong_kong", "overseas")

station_model = Table(
    "authorised_station_model",
    db.metadata,
    Column("station_id", ForeignKey("authorised_station.id", ondelete="CASCADE"), primary_key=True),
    Column("model_id", ForeignKey("product_model.id", ondelete="CASCADE"), primary_key=True),
)


class StationContact:
    city: Mapped[str] = mapped_column(String(80))
    region: Mapped[str] = mapped_column(String(20), index=True)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(400), default="")


class AuthorisedStation(StationContact, CreatedAt, db.Model):
    """A third-party repair station the ODM authorises (47 across the country) or the ODM's own
    service point (the Hong Kong one). Authorisation has dates; an expired one takes no work."""

    __tablename__ = "authorised_station"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_service_point: Mapped[bool] = mapped_column(default=False)  # the ODM's own (Hong Kong)
    unit_repair: Mapped[bool] = mapped_column(default=True)
    board_repair: Mapped[bool] = mapped_column(default=False)
    onsite: Mapped[bool] = mapped_column(default=False)
    authorised_from: Mapped[date]
    authorised_until: Mapped[date | None]

    models: Mapped[list[ProductModel]] = relationship(secondary=station_model)

    def authorised_on(self, day: date) -> bool:
        return self.authorised_from <= day and (self.authorised_until is None or day <= self.authorised_until)


class ClientStation(StationContact, TenantScoped, CreatedAt, db.Model):
    """A brand client's own service station; it submits repair claims."""

    __tablename__ = "client_station"
    __table_args__ = (UniqueConstraint("client_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
