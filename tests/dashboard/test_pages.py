import io
import json
import re
from html import unescape

from openpyxl import load_workbook

from tests.dashboard.test_kpis import september  # noqa: F401  (fixture)

SEPT = "start=2025-09-01&end=2025-09-30"


def chart(page: str) -> dict:
    return json.loads(unescape(re.search(r'data-chart="([^"]*)"', page).group(1)))


def test_a_client_sees_its_own_figures_only(db, september, client):
    client.login(september.acme_user.email)
    page = client.get(f"/dashboard/?{SEPT}").get_data(as_text=True)
    assert "3 complaints / 20 shipments delivered" in page
    assert 'data-kpi="complaint_rate" data-status="red"' in page
    assert 'data-kpi="satisfaction" data-status="green"' in page
    assert chart(page)["trend"]["series"][0]["label"] == "CPX-55"
    assert client.get(f"/dashboard/?{SEPT}&client={september.other.id}").status_code == 404
    assert client.get(f"/dashboard/?{SEPT}&client={september.acme.id}").status_code == 200
    assert client.get(f"/dashboard/export.xlsx?{SEPT}&client={september.other.id}").status_code == 404


def test_another_client_sees_none_of_acmes_complaints(db, september, client):
    client.login(september.other_user.email)
    page = client.get(f"/dashboard/?{SEPT}").get_data(as_text=True)
    assert "3 complaints / 1 shipments delivered" in page


def test_the_team_sees_all_clients_and_filters(db, september, client):
    client.login(september.staff.email)
    page = client.get(f"/dashboard/?{SEPT}").get_data(as_text=True)
    assert "6 complaints / 21 shipments delivered" in page
    page = client.get(f"/dashboard/?{SEPT}&client={september.acme.id}").get_data(as_text=True)
    assert "3 complaints / 20 shipments delivered" in page
    assert client.get(f"/dashboard/?{SEPT}&client=999999").status_code == 404
    assert client.get(f"/dashboard/?{SEPT}&client=abc").status_code == 404


def test_bad_periods_are_refused_with_a_message(db, world, client):
    client.login(world.staff.email)
    response = client.get("/dashboard/?start=2025-13-01&end=2025-09-30")
    assert response.status_code == 400 and "YYYY-MM-DD" in response.get_data(as_text=True)
    response = client.get("/dashboard/?start=2025-10-01&end=2025-09-30")
    assert response.status_code == 400 and "before the start" in response.get_data(as_text=True)
    assert client.get("/dashboard/?start=2020-01-01&end=2025-09-30").status_code == 400
    assert client.get("/dashboard/export.xlsx?start=x").status_code == 400


def test_the_export_carries_the_figures(db, september, client):
    client.login(september.acme_user.email)
    response = client.get(f"/dashboard/export.xlsx?{SEPT}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Figure", "Value")
    assert rows[1][:2] == ("Complaint rate (%)", 15) and rows[1][4] == "red"
    assert rows[3][:2] == ("Satisfaction", 78.3)


def test_the_dashboard_is_in_the_menu_of_every_role(db, world, client):
    for user in (world.acme_user, world.staff, world.quality, world.admin):
        client.login(user.email)
        assert 'href="/dashboard/"' in client.get("/").get_data(as_text=True)
        client.get("/logout")
