"""A Hong Kong client files a repair return in Traditional Chinese; the after-sales team
approves, receives, diagnoses, repackages and ships it back; the client sees the closed timeline."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD, DEMO_SERIAL_EXAMPLES

pytestmark = pytest.mark.browser

CLIENT = "user@pearl-av.example.hk"  # 黃美玲, PEARL, zh_Hant_HK
STAFF = "service@odm.example.com"
SERIAL = DEMO_SERIAL_EXAMPLES["PEARL"]


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/$"))


def act(page, action, **fields):
    form = page.locator(f"#action-{action}")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_hong_kong_client_follows_its_rma_to_the_end(page, live_server, screenshot):
    sign_in(page, CLIENT)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-HK")
    page.goto("/rma/new")
    page.locator("#serials").fill(f"{SERIAL}\nNOT-A-SERIAL")
    page.locator("#destination").select_option("hk_service_point")
    page.locator("#fault_description").fill("開機後無畫面，背光正常。")
    page.locator("#submit-rma").click()
    expect(page.locator("#serials.is-invalid")).to_be_visible()
    expect(page.locator("#rma-form")).to_contain_text("NOT-A-SERIAL")
    screenshot("unknown-serial-refused")
    page.locator("#serials").fill(SERIAL)
    page.locator("#submit-rma").click()
    expect(page).to_have_url(re.compile(r"/rma/\d+$"))
    rma_url = page.url
    expect(page.locator("#rma-lines")).to_contain_text(SERIAL)
    screenshot("requested-zh-Hant-HK")

    sign_in(page, STAFF)
    page.goto(rma_url)
    act(page, "approve", note="OK")

    sign_in(page, CLIENT)
    page.goto(rma_url)
    act(page, "ship", carrier="順豐速運", tracking="SF-HK-20261124")
    screenshot("shipped-by-client")

    sign_in(page, STAFF)
    page.goto(rma_url)
    act(page, "receive", serials=SERIAL)
    diagnosis = page.locator(".diagnose-form").first
    diagnosis.locator("select[name$=fault_cause]").select_option("normal_failure")
    diagnosis.locator("select[name$=repair_level]").select_option("L1")
    diagnosis.locator("textarea[name$=note]").fill("LED backlight driver replaced.")
    diagnosis.locator("button[type=submit]").click()
    expect(page.locator("#rma-status [data-status=diagnosed]")).to_be_visible()
    screenshot("diagnosed-staff")
    act(page, "repair")
    act(page, "repackage")
    act(page, "ship_back", carrier="DHL", tracking="DHL-778899")
    act(page, "close")

    sign_in(page, CLIENT)
    page.goto(rma_url)
    expect(page.locator("#rma-status [data-status=closed]")).to_be_visible()
    steps = page.locator("#timeline li")
    expect(steps).to_have_count(9)
    expect(page.locator("#timeline li").last).to_have_attribute("data-status", "closed")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-HK")
    screenshot("closed-timeline-client")
    page.goto("/rma/")
    expect(page.locator("#rma-list")).to_contain_text(rma_url.rsplit("/", 1)[1].zfill(6))
    screenshot("list-client")
