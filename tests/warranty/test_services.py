"""The look-up service: 三包 arithmetic, input handling, order, tenancy, bounded queries."""
import io
from datetime import date

import pytest
from openpyxl import Workbook

from contracts.domain import DOMESTIC_WARRANTY_MONTHS, PART_CATEGORIES
from portal.tabular import TabularError
from portal.tenancy import set_tenant
from portal.warranty import services

from .conftest import SHIP_DATE


def ends(result):
    return {c.category: c.ends_on for c in result.categories}


def covered(result):
    return {c.category: c.in_warranty for c in result.categories}


def test_domestic_three_guarantees_by_category(app, fleet):
    with app.test_request_context():
        result = services.lookup(["SN-A1"], on=date(2026, 1, 15))[0]
    assert result.found and result.ship_date == SHIP_DATE
    assert {c.category: c.months for c in result.categories} == {
        "unit": 12, "main_board": 36, "power_board": 12, "panel": 36, "remote": 12, "accessory": 12,
    }
    # shipped 1 March 2025: 12 months cover up to 28 Feb 2026, 36 months up to 29 Feb 2028 (leap year)
    assert ends(result) == {
        "unit": date(2026, 2, 28), "main_board": date(2028, 2, 29), "power_board": date(2026, 2, 28),
        "panel": date(2028, 2, 29), "remote": date(2026, 2, 28), "accessory": date(2026, 2, 28),
    }
    assert result.grace_days == 0
    assert [c.category for c in result.categories] == list(PART_CATEGORIES)


def test_last_covered_day_is_in_and_the_next_day_is_out(app, fleet):
    with app.test_request_context():
        last_day = services.lookup(["SN-A1"], on=date(2026, 2, 28))[0]
        day_after = services.lookup(["SN-A1"], on=date(2026, 3, 1))[0]
        panel_last = services.lookup(["SN-A1"], on=date(2028, 2, 29))[0]
        panel_after = services.lookup(["SN-A1"], on=date(2028, 3, 1))[0]
    assert all(covered(last_day).values()) and last_day.status == "in"
    assert covered(day_after) == {
        "unit": False, "main_board": True, "power_board": False, "panel": True, "remote": False, "accessory": False,
    }
    assert day_after.status == "parts" and not day_after.in_warranty
    assert covered(panel_last)["panel"] and covered(panel_last)["main_board"]
    assert not any(covered(panel_after).values()) and panel_after.status == "out"


def test_month_end_is_clamped(app, fleet):
    """SN-T1 shipped on 29 Feb 2024: 12 months later there is no 29 Feb, so the anniversary is
    28 Feb 2025 and the last covered day the 27th; 36 months: 27 Feb 2027."""
    with app.test_request_context():
        result = services.lookup(["SN-T1"], on=date(2025, 2, 27))[0]
        after = services.lookup(["SN-T1"], on=date(2025, 2, 28))[0]
    assert ends(result)["unit"] == date(2025, 2, 27) and ends(result)["panel"] == date(2027, 2, 27)
    assert result.in_warranty and not after.in_warranty


def test_coverage_adds_grace_days_and_clamps():
    months = dict(DOMESTIC_WARRANTY_MONTHS)
    # 31 Jan + 10 days = 10 Feb; + 12 months = 10 Feb 2025; last day 9 Feb
    by_cat = {c.category: c for c in services.coverage(date(2024, 1, 31), date(2025, 2, 9), months, 10)}
    assert by_cat["unit"].ends_on == date(2025, 2, 9) and by_cat["unit"].in_warranty
    # no grace, 1 month: 31 Jan 2024 + 1 month is clamped to 29 Feb (leap year), last day 28 Feb
    by_cat = {c.category: c for c in services.coverage(date(2024, 1, 31), date(2025, 1, 31), {"unit": 1}, 0)}
    assert by_cat["unit"].ends_on == date(2024, 2, 28) and not by_cat["unit"].in_warranty
    assert by_cat["panel"].ends_on == date(2027, 1, 30)  # a category the terms leave out keeps the default


def test_terms_come_from_one_function(app, fleet, monkeypatch):
    assert services.warranty_terms_for(None) == (DOMESTIC_WARRANTY_MONTHS, 0)  # no contract: 三包
    asked = []

    def contract_terms(contract):
        asked.append(contract)
        return {**DOMESTIC_WARRANTY_MONTHS, "unit": 24}, 30

    monkeypatch.setattr(services, "warranty_terms_for", contract_terms)
    with app.test_request_context():
        results = services.lookup(["SN-A1", "SN-A2", "SN-T1"], on=date(2027, 3, 1))
    assert asked == [None]  # once per contract (here none for either client), not per serial
    # 1 Mar 2025 + 30 days = 31 Mar 2025; + 24 months = 31 Mar 2027; last day 30 Mar 2027
    assert ends(results[0])["unit"] == date(2027, 3, 30) and results[0].grace_days == 30
    assert results[0].in_warranty


def test_order_duplicates_blanks_and_unknown(app, fleet):
    with app.test_request_context():
        results = services.lookup(["  SN-A3 ", "NOPE", "", "SN-A1", "SN-A3", "   ", "SN-NOBATCH"], on=date(2025, 6, 1))
    assert [r.serial for r in results] == ["SN-A3", "NOPE", "SN-A1", "SN-NOBATCH"]
    assert [r.found for r in results] == [True, False, True, True]
    unknown = results[1]
    assert unknown.status == "not_found" and unknown.categories == () and unknown.model_code is None
    assert results[0].model_code == "KTV-55A" and results[0].model_name == "55-inch 4K TV"
    assert results[0].batch_code == "B-55A-01" and results[0].shipment_number == "SH-MINE-1"
    assert results[0].client_code == "MINE" and results[0].client_name == "Mine Electronics"
    assert results[3].batch_code is None  # a line without a batch still has a warranty
    assert services.summarise(results) == services.Summary(
        total=4, found=3, not_found=1, in_warranty=3, parts_only=0, out_of_warranty=0
    )


def test_serials_are_case_sensitive_and_only_stripped(app, fleet):
    with app.test_request_context():
        results = services.lookup(["sn-a1", "\tSN-A1\n"])
    assert [(r.serial, r.found) for r in results] == [("sn-a1", False), ("SN-A1", True)]


def test_empty_input_gives_no_results(app, db):
    with app.test_request_context():
        assert services.lookup(["", "  "]) == []


def test_default_date_is_today_in_the_portal_time_zone(app, fleet):
    with app.test_request_context():
        result = services.lookup(["SN-A1"])[0]
        assert result.on == services.local_today()


def test_split_serials():
    text = "A1\nA2, A3;A4\tA5  A6\r\n\n,,A1"
    assert services.split_serials(text) == ["A1", "A2", "A3", "A4", "A5", "A6", "A1"]
    assert services.split_serials("") == [] and services.split_serials(None) == []
    assert services.count_serials(["a", " ", "", "b"]) == 2


def test_another_clients_serial_is_simply_not_found(app, fleet):
    with app.test_request_context():
        set_tenant(fleet.mine.id)
        results = services.lookup(["SN-T1", "SN-A1", "NEVER-SHIPPED"])
    assert [r.found for r in results] == [False, True, False]
    assert results[0] == services.WarrantyResult(serial="SN-T1", found=False, on=results[0].on)
    assert results[0] == services.WarrantyResult(serial="SN-T1", found=False, on=results[2].on)


def test_bulk_lookup_uses_one_query_per_thousand_serials(app, make, many_serials, count_statements):
    client = make.client()
    serials = many_serials(client, 2500)
    wanted = serials + [f"UNKNOWN-{i}" for i in range(100)]
    with app.test_request_context():
        count_statements.statements.clear()
        results = services.lookup(wanted, on=date(2025, 6, 1))
    assert len(results) == 2600 and sum(r.found for r in results) == 2500
    assert [r.serial for r in results] == wanted
    assert len(count_statements.on("serial")) == 3  # 2,600 serials: chunks of 1,000
    assert len(count_statements.statements) <= 4


# --- files -----------------------------------------------------------------------------

def xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_file_column_named_serial(app):
    data = io.BytesIO("model,Serial\nKTV,SN-1\nKTV, SN-2 \nKTV,\n".encode())
    with app.test_request_context():
        assert services.serials_from_file(data, "list.csv", 10) == (["SN-1", "SN-2"], "serial")


def test_file_first_column_otherwise(app):
    data = xlsx([["Unit", "Note"], ["SN-1", "x"], [12345, None], [None, "only a note"]])
    with app.test_request_context():
        assert services.serials_from_file(data, "list.xlsx", 10) == (["SN-1", "12345"], "unit")


def test_file_with_too_many_serials_stops_reading(app):
    data = io.BytesIO(("serial\n" + "\n".join(f"S{i}" for i in range(50))).encode())
    with app.test_request_context(), pytest.raises(services.TooManySerials) as error:
        services.serials_from_file(data, "list.csv", 10)
    assert "At most 10 serial numbers" in str(error.value)


def test_unreadable_file(app):
    with app.test_request_context(), pytest.raises(TabularError):
        services.serials_from_file(io.BytesIO(b"not a zip"), "list.xlsx", 10)
