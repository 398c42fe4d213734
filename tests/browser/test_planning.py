"""End to end in a real browser: plan a training from first idea to the
registration list.

An organiser creates a training from the "basic package, half day" template,
gives it a date, venue, target groups and capacity, adds two partners who
share the venue 60/40, opens registration; two participants register from
the public page on their phones (no account); the organiser sees the budget
totals, the coffee estimate and the registration list.

Set SAVE_SCREENSHOTS=1 to write docs/screenshots/{module-library,budget,
registration-phone,registrations}.png for the README.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from facilitation.modules import library

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
FINNISH = {"locale": "fi-FI", "timezone_id": "Europe/Helsinki"}
ORGANISER = {**FINNISH, "viewport": {"width": 1366, "height": 768}}
PHONE = {**FINNISH, "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
TITLE = "Kotoutuminen tutuksi – Kuopio"
NBSP = "\u00a0"


def sign_in(page: Page, server: dict) -> None:
    page.goto(server["login_url"])
    page.fill("#email", server["email"])
    page.fill("#password", server["password"])
    with page.expect_navigation():
        page.locator("form:has(#password) button[type=submit]").click()
    expect(page.locator("#password")).to_have_count(0)


def add_partner(page: Page, name: str, kind: str) -> None:
    page.locator("details.add-partner > summary").click()
    page.fill("#new-partner-name", name)
    page.select_option("#new-partner-kind", kind)
    with page.expect_navigation():
        page.locator("#new-partner-name").press("Enter")
    expect(page.locator("#partners .partners")).to_contain_text(name)


def register(browser: Browser, link: str, name: str, email: str, sector: str, diet: str):
    context = browser.new_context(**PHONE)
    try:
        phone = context.new_page()
        phone.goto(link)
        expect(phone.locator("html")).to_have_attribute("lang", "fi")
        expect(phone.locator("h1")).to_have_text(TITLE)
        phone.fill("#r-name", name)
        phone.fill("#r-email", email)
        phone.fill("#r-organisation", "Kuopion kaupunki")
        phone.select_option("#r-sector", sector)
        phone.locator(f'input[name=diets][value="{diet}"]').check()
        phone.locator("input[name=consent]").check()
        if os.environ.get("SAVE_SCREENSHOTS") == "1" and name.startswith("Aino"):
            phone.screenshot(path=str(SCREENSHOTS / "registration-phone.png"), full_page=True)
        with phone.expect_navigation():
            phone.locator("form.registration-form button[type=submit]").click()
        # The confirmation shows the cancellation link (e-mail is off here).
        expect(phone.locator("a[href*='/r/cancel/']")).to_have_count(1)
        expect(phone.locator("a[href$='calendar.ics']")).to_have_count(1)
    finally:
        context.close()


def test_plan_a_training_from_template_to_registration_list(
    browser: Browser, fresh_live_server: dict
) -> None:
    server = fresh_live_server
    shots = os.environ.get("SAVE_SCREENSHOTS") == "1"
    if shots:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    context = browser.new_context(**ORGANISER)
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, server)

        # -- A training from the basic-package template: a complete agenda in one click.
        page.goto(server["base_url"] + "/")
        page.fill("#new-training-title", TITLE)
        page.select_option("#new-training-template", "basic_half_day")
        with page.expect_navigation():
            page.locator("#new-training-title").press("Enter")
        expect(page.locator("h1")).to_have_text(TITLE)
        training_url = page.url
        page.locator("a[href*='/agenda']").first.click()
        basic = library.template("basic_half_day", "fi")
        welcome = next(value for kind, value in basic.items if kind == "step")
        interpreter = library.shipped_module("interpreter", "fi")
        steps = page.locator("li[id^=step-]")
        expect(steps.first).to_contain_text(welcome["title"])
        expect(page.locator("body")).to_contain_text(interpreter.steps[0]["title"])
        assert steps.count() >= 10

        # -- Details: date, venue, audience, capacity.
        page.goto(training_url + "/edit")
        page.fill("input[name=date]", "2027-03-18")
        page.fill("input[name=start_time]", "09:00")
        page.fill("input[name=end_time]", "13:00")
        page.fill("input[name=venue_name]", "Kuopion kaupungintalo, valtuustosali")
        page.fill("input[name=capacity]", "30")
        for group in ("municipal_staff", "mainstream_services"):
            page.locator(f'input[name=target_groups][value="{group}"]').check()
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
        expect(page.locator("h1")).to_have_text(TITLE)

        # -- Two partners sharing the venue 60/40.
        add_partner(page, "Kuopion kaupunki", "municipality")
        add_partner(page, "Pohjois-Savon työllisyysalue", "employment_services")
        page.goto(training_url + "/budget")
        page.select_option("#b-category", "venue")
        page.fill("#b-estimated", "1 250,50")
        page.locator("input[name=rule][value=percent]").first.check()
        form = page.locator("form[action$='/budget']")
        for name, percent in (("Kuopion kaupunki", "60"), ("Pohjois-Savon työllisyysalue", "40")):
            row = form.locator(".share-row", has_text=name)
            row.locator("input[name=partners]").check()
            row.locator("input.percent").fill(percent)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        shares = page.locator("#shares")
        expect(shares.locator("tr", has_text="Kuopion kaupunki")).to_contain_text(f"750,30{NBSP}€")
        expect(shares.locator("tr", has_text="työllisyysalue")).to_contain_text(f"500,20{NBSP}€")
        expect(page.locator(".budget-lines tfoot")).to_contain_text(f"1{NBSP}250,50{NBSP}€")

        # -- Open registration and take the public link.
        page.goto(training_url + "/invitations")
        with page.expect_navigation():
            page.locator("form[action$='/invitations/open'] button").click()
        link = page.locator("#public-link").input_value()
        assert re.search(r"/r/[\w-]+$", link)

        # -- Two participants register on their phones.
        register(browser, link, "Aino Asiantuntija", "aino@example.fi", "municipal_staff", "vegan")
        register(
            browser, link, "Öljy Äijälä", "oljy@example.fi", "mainstream_services", "gluten_free"
        )

        # -- The organiser's registration list: both, by sector, diets for the coffee order.
        page.goto(training_url + "/registrations")
        confirmed = page.locator("#confirmed")
        expect(confirmed).to_contain_text("Aino Asiantuntija")
        expect(confirmed).to_contain_text("Öljy Äijälä")
        expect(page.locator("#sectors")).to_contain_text("1")
        expect(page.locator("#diets")).to_contain_text("1")
        if shots:
            page.screenshot(path=str(SCREENSHOTS / "registrations.png"), full_page=True)

        # -- The coffee estimate counts the two registrations.
        page.goto(training_url + "/budget")
        expect(page.locator("[data-coffee=registrations]")).to_have_text("2")
        expect(page.locator("[data-diet=vegan]")).to_contain_text("1")
        if shots:
            page.screenshot(path=str(SCREENSHOTS / "budget.png"), full_page=True)

        # -- The module library suggests toolkit sections for the registrations' sectors.
        page.goto(training_url + "/modules?lang=fi")
        municipal = library.shipped_module("toolkit_municipal", "fi")
        suggested = page.locator("#build input[name=toolkit]:checked")
        expect(suggested).to_have_count(3)  # municipal, health and youth, general
        expect(page.locator("#build")).to_contain_text(municipal.title)
        if shots:
            page.screenshot(path=str(SCREENSHOTS / "module-library.png"))
        assert errors == []
    finally:
        context.close()
