"""Demo catalogue: six models, their parts, and production batches with material lists.

Dates are counted in months back from the current month (offset 0 = this month, -1 = last
month...), so the demo always looks recent; codes and serial numbers never depend on the date.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from contracts.domain import add_months

from ..catalogue.models import Batch, BatchMaterial, Part, ProductModel
from ..extensions import db


def month_start(today: date, offset: int) -> date:
    return add_months(today.replace(day=1), offset)


def on_day(today: date, offset: int, day: int) -> date:
    """Day `day` of the month `offset` months from today's, never later than today."""
    return min(month_start(today, offset) + timedelta(days=day - 1), today)


# (part number, category, description, cost price in CNY)
PARTS = [
    ("MB.MT9602.55A-01", "main_board", "Main board MT9602, 4K HDR, Android TV 11 (rev. A)", "186.00"),
    ("MB.MT9602.55A-02", "main_board", "Main board MT9602, 4K HDR, Android TV 11, Wi-Fi 5 module (rev. B)", "192.50"),
    ("MB.MS6683.43B-01", "main_board", "Main board MSD6683, Full HD, Linux smart TV", "118.00"),
    ("MB.MT9611.65U-01", "main_board", "Main board MT9611, 4K 120 Hz, HDMI 2.1 (rev. A)", "265.00"),
    ("MB.MT9611.65U-02", "main_board", "Main board MT9611, 4K 120 Hz, HDMI 2.1 with VRR (rev. B)", "271.00"),
    ("MB.RTD2556.27Q-01", "main_board", "Scaler board RTD2556, QHD 165 Hz, DisplayPort 1.4 and HDMI 2.0", "96.00"),
    ("MB.RTD2513.24F-01", "main_board", "Scaler board RTD2513, Full HD 100 Hz, HDMI and VGA", "48.00"),
    ("MB.MS3663.32H-01", "main_board", "Main board MSD3663, HD, DVB-T2/C tuner, USB media", "72.00"),
    ("PB.L55S150-01", "power_board", 'Power board 150 W with LED driver, 55" (supplier A)', "78.50"),
    ("PB.L55S150-02", "power_board", 'Power board 150 W with LED driver, 55" (supplier B)', "74.00"),
    ("PB.L43S090-01", "power_board", 'Power board 90 W with LED driver, 43"', "52.00"),
    ("PB.L43S090-02", "power_board", 'Power board 90 W with LED driver, 43" (rev. 2, surge protection)', "54.80"),
    ("PB.L65S220-01", "power_board", 'Power board 220 W with LED driver, 65"', "112.00"),
    ("PB.M27I045-01", "power_board", 'Internal power board 45 W, 27" monitor', "36.00"),
    ("PB.M27I045-02", "power_board", 'Internal power board 45 W, 27" monitor (rev. 2)', "34.50"),
    ("PB.M24A036-01", "power_board", 'Power board 36 W, 24" monitor', "24.00"),
    ("PB.L32S060-01", "power_board", 'Power board 60 W with LED driver, 32"', "38.00"),
    ("PNL.HV550QUB-N81", "panel", 'Panel 55" 4K VA, BOE HV550QUB-N81', "980.00"),
    ("PNL.ST5461D12-2", "panel", 'Panel 55" 4K VA, CSOT ST5461D12-2 (second source)', "955.00"),
    ("PNL.HV430FHB-N10", "panel", 'Panel 43" Full HD, BOE HV430FHB-N10', "420.00"),
    ("PNL.T430HVN01.0", "panel", 'Panel 43" Full HD, AUO T430HVN01.0 (second source)', "436.00"),
    ("PNL.ST6451D02-2", "panel", 'Panel 65" 4K 120 Hz, CSOT ST6451D02-2', "1650.00"),
    ("PNL.M270KCJ-K7B", "panel", 'Panel 27" QHD IPS 165 Hz, Innolux M270KCJ-K7B', "520.00"),
    ("PNL.MV270QHM-N30", "panel", 'Panel 27" QHD IPS 165 Hz, BOE MV270QHM-N30 (second source)', "505.00"),
    ("PNL.MV238FHM-N20", "panel", 'Panel 23.8" Full HD IPS, BOE MV238FHM-N20', "175.00"),
    ("PNL.M238HCA-L3Z", "panel", 'Panel 23.8" Full HD IPS, Innolux M238HCA-L3Z (second source)', "168.00"),
    ("PNL.HV320WHB-N80", "panel", 'Panel 32" HD, BOE HV320WHB-N80', "255.00"),
    ("PNL.T320XVN02.G", "panel", 'Panel 32" HD, AUO T320XVN02.G (last-time buy)', "262.00"),
    ("RC.IR-A55", "remote", "IR remote control with Netflix and YouTube keys", "9.80"),
    ("RC.BT-V65", "remote", "Bluetooth voice remote control", "24.50"),
    ("RC.IR-B43", "remote", "IR remote control, basic", "6.20"),
    ("RC.IR-H32", "remote", "IR remote control, DVB keys", "5.60"),
    ("AC.STAND-55A", "accessory", 'Stand feet, pair, 55"', "22.00"),
    ("AC.STAND-43B", "accessory", 'Stand feet, pair, 43"', "16.00"),
    ("AC.STAND-65U", "accessory", 'Centre pedestal stand, 65"', "48.00"),
    ("AC.STAND-27Q", "accessory", 'Height-adjustable stand with pivot, 27"', "58.00"),
    ("AC.BASE-24F", "accessory", 'Stand neck and base, 24"', "12.50"),
    ("AC.STAND-32H", "accessory", 'Stand feet, pair, 32"', "11.00"),
    ("AC.CBL-HDMI21", "accessory", "HDMI 2.1 cable, 1.5 m", "8.60"),
    ("AC.CBL-DP14", "accessory", "DisplayPort 1.4 cable, 1.8 m", "9.20"),
    ("AC.WALL-VESA400", "accessory", "Wall-mount bracket, VESA 400 × 400", "35.00"),
]


@dataclass(frozen=True)
class DemoModel:
    code: str
    name: str
    kind: str
    size: str
    serial_tag: str  # the model's part of a serial number: HX + 55A + ...
    launch: tuple[int, int]  # (month offset, day)
    service_years: int = 5
    end_of_production: int | None = None  # month offset whose last day production ended
    batches: list[tuple[int, int, int, dict[str, str]]] = field(default_factory=list)
    # each batch: (month offset, day, planned quantity, {category: part number})


def _bom(main, power, panel, accessory, remote=None) -> dict[str, str]:
    parts = {"main_board": main, "power_board": power, "panel": panel, "accessory": accessory}
    if remote:
        parts["remote"] = remote
    return parts


_55A = dict(main="MB.MT9602.55A-01", power="PB.L55S150-01", panel="PNL.HV550QUB-N81",
            remote="RC.IR-A55", accessory="AC.STAND-55A")
_43B = dict(main="MB.MS6683.43B-01", power="PB.L43S090-01", panel="PNL.HV430FHB-N10",
            remote="RC.IR-B43", accessory="AC.STAND-43B")
_65U = dict(main="MB.MT9611.65U-01", power="PB.L65S220-01", panel="PNL.ST6451D02-2",
            remote="RC.BT-V65", accessory="AC.STAND-65U")
_27Q = dict(main="MB.RTD2556.27Q-01", power="PB.M27I045-01", panel="PNL.M270KCJ-K7B", accessory="AC.STAND-27Q")
_24F = dict(main="MB.RTD2513.24F-01", power="PB.M24A036-01", panel="PNL.MV238FHM-N20", accessory="AC.BASE-24F")
_32H = dict(main="MB.MS3663.32H-01", power="PB.L32S060-01", panel="PNL.HV320WHB-N80",
            remote="RC.IR-H32", accessory="AC.STAND-32H")


def _v(base: dict, **changes) -> dict[str, str]:
    """A material list: the model's usual parts with some categories changed."""
    return _bom(**{**base, **changes})


MODELS = [
    DemoModel("KTV-55A", '55" 4K UHD smart TV', "tv", "55", "55A", launch=(-20, 15), batches=[
        (-21, 12, 2000, _v(_55A)),
        (-15, 8, 2500, _v(_55A)),
        (-11, 10, 3000, _v(_55A, panel="PNL.ST5461D12-2")),
        (-7, 14, 3000, _v(_55A, panel="PNL.ST5461D12-2", main="MB.MT9602.55A-02")),
        (-4, 9, 3000, _v(_55A, panel="PNL.ST5461D12-2", main="MB.MT9602.55A-02", power="PB.L55S150-02")),
        (-2, 6, 2000, _v(_55A, main="MB.MT9602.55A-02", power="PB.L55S150-02")),
    ]),
    DemoModel("KTV-43B", '43" Full HD smart TV', "tv", "43", "43B", launch=(-30, 1), batches=[
        (-31, 18, 3000, _v(_43B)),
        (-22, 11, 3000, _v(_43B)),
        (-14, 20, 3000, _v(_43B)),
        (-10, 7, 2500, _v(_43B, panel="PNL.T430HVN01.0")),
        (-6, 15, 2500, _v(_43B, panel="PNL.T430HVN01.0")),
        (-2, 13, 2500, _v(_43B, power="PB.L43S090-02")),
    ]),
    DemoModel("KTV-65U", '65" 4K UHD QLED smart TV, 120 Hz', "tv", "65", "65U", launch=(-9, 1), batches=[
        (-10, 20, 800, _v(_65U)),
        (-6, 12, 1000, _v(_65U)),
        (-3, 5, 1000, _v(_65U, main="MB.MT9611.65U-02")),
    ]),
    DemoModel("KM-27Q", '27" QHD IPS monitor, 165 Hz', "monitor", "27", "27Q", launch=(-16, 10),
              service_years=4, batches=[
        (-17, 22, 1500, _v(_27Q)),
        (-12, 9, 1500, _v(_27Q)),
        (-8, 16, 1500, _v(_27Q, power="PB.M27I045-02")),
        (-4, 3, 1500, _v(_27Q, power="PB.M27I045-02", panel="PNL.MV270QHM-N30")),
    ]),
    DemoModel("KM-24F", '23.8" Full HD IPS monitor, 100 Hz', "monitor", "23.8", "24F", launch=(-40, 1),
              service_years=4, batches=[
        (-41, 14, 3000, _v(_24F)),
        (-28, 6, 3000, _v(_24F)),
        (-18, 19, 3000, _v(_24F)),
        (-12, 4, 2500, _v(_24F)),
        (-7, 21, 2500, _v(_24F, panel="PNL.M238HCA-L3Z")),
        (-3, 11, 2500, _v(_24F, panel="PNL.M238HCA-L3Z")),
    ]),
    # Discontinued: production ended 16 months ago; serviced for 3 years after that.
    DemoModel("KTV-32H", '32" HD LED TV, DVB-T2', "tv", "32", "32H", launch=(-64, 1), service_years=3,
              end_of_production=-16, batches=[
        (-65, 10, 5000, _v(_32H)),
        (-50, 8, 5000, _v(_32H)),
        (-36, 16, 4000, _v(_32H)),
        (-24, 12, 3000, _v(_32H, panel="PNL.T320XVN02.G")),
        (-16, 10, 1500, _v(_32H, panel="PNL.T320XVN02.G")),
    ]),
]
MODELS_BY_CODE = {m.code: m for m in MODELS}


def batch_code(model: DemoModel, number: int) -> str:
    return f"{model.code}-B{number:02d}"


def create_catalogue(today: date, batch_quantities: dict[str, int]) -> tuple[dict, dict]:
    """Add the parts, models and batches. `batch_quantities`: units shipped per batch code,
    so no batch shipped more than it produced. Returns (models by code, batches by code)."""
    parts = {number: Part(number=number, category=category, description=description, cost_price=Decimal(cost))
             for number, category, description, cost in PARTS}
    db.session.add_all(parts.values())
    models, batches = {}, {}
    for spec in MODELS:
        eop = None
        if spec.end_of_production is not None:
            eop = month_start(today, spec.end_of_production + 1) - timedelta(days=1)
        model = ProductModel(code=spec.code, name=spec.name, kind=spec.kind, size_inches=Decimal(spec.size),
                             launch_date=on_day(today, *spec.launch), end_of_production=eop,
                             service_years=spec.service_years)
        models[spec.code] = model
        for number, (offset, day, planned, bom) in enumerate(spec.batches, start=1):
            code = batch_code(spec, number)
            shipped = batch_quantities.get(code, 0)
            batch = Batch(code=code, model=model, produced_on=on_day(today, offset, day),
                          quantity=max(planned, -(-shipped // 100) * 100))
            batch.materials = [BatchMaterial(category=category, part=parts[part_number])
                               for category, part_number in sorted(bom.items())]
            batches[code] = batch
    db.session.add_all(models.values())
    return models, batches
