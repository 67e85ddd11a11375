"""An email draft typed at the desk survives a reload, a gateway restart and a SIGKILL of the desk,
byte for byte."""

from __future__ import annotations

import signal
import uuid

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from pages import click_session, open_desk, session_tab, set_presence, until
from support import AGENT, wait_for

SUBJECT = "Your replacement card — order confirmed"
# Several lines, accents, symbols and spaces at the ends of lines: all must come back exactly.
BODY = ("Dear Jo Lee,\n\nThank you for writing to us. Your replacement card (ending 4821) is on its way: "
        "it should arrive within 3–5 working days.  \nIf it hasn't arrived by Friday, reply to this email "
        "and we'll cancel it «free of charge».\n\nKind regards,\nPriya Raman · Northwind Bank ✓")


def stored_draft(system, conversation: str) -> dict | None:
    item = system.snapshot("desk", f"desk.{AGENT}").get(f"desk.{AGENT}") or {}
    for draft in (item.get("workspace") or {}).get("drafts", []):
        if draft.get("conversation") == conversation:
            return draft
    return None


def editor_text(driver) -> tuple[str, str]:
    return (driver.execute_script("return document.getElementById('draft-subject').value"),
            driver.execute_script("return document.getElementById('reply-text').value"))


def reopen(driver, system, conversation: str, what: str):
    """Loads the desk afresh and puts the email on screen; the editor must hold the draft exactly."""
    driver.get(system.base + "/desk")
    until(driver, f"the desk connected ({what})", lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "live", 60)
    click_session(driver, conversation)
    until(driver, f"the draft restored after {what}", lambda d: editor_text(d) == (SUBJECT, BODY), 60)
    assert "Saved · revision" in driver.find_element(By.ID, "draft-status").text


def test_email_draft_survives_reload_gateway_restart_and_desk_kill(system, browsers):
    desk = browsers.new("desk")
    open_desk(desk, system)
    set_presence(desk, "available")

    # The email arrives through the connectors' API, as an email gateway would bring it.
    created = requests.post(system.base + "/api/v1/conversations", json={
        "queue": "email-en", "customerId": "jo-lee", "name": "Jo Lee",
        "text": "Where do I order a replacement card? Mine is damaged and the chip no longer works.",
    }, headers={"Authorization": "Bearer " + system.api_keys["drafts"], "Idempotency-Key": str(uuid.uuid4())}, timeout=20)
    assert created.status_code == 201, created.text
    conversation = created.json()["conversationId"]

    assert "Email" in session_tab(desk, conversation).text
    click_session(desk, conversation)
    until(desk, "the email editor", lambda d: d.find_element(By.ID, "draft-subject").is_displayed())
    desk.find_element(By.ID, "draft-subject").send_keys(SUBJECT)
    body = desk.find_element(By.ID, "reply-text")
    for index, line in enumerate(BODY.split("\n")):
        if index:
            body.send_keys(Keys.SHIFT, Keys.ENTER)  # a new line in the text, not a shortcut
        if line:
            body.send_keys(line)
    assert editor_text(desk) == (SUBJECT, BODY)
    until(desk, "the draft saved", lambda d: "Saved · revision" in d.find_element(By.ID, "draft-status").text)
    draft = wait_for("the whole draft at the desk service", lambda: (stored_draft(system, conversation) or {}).get("body") == BODY
                     and stored_draft(system, conversation), 20)
    assert draft["subject"] == SUBJECT
    browsers.shot(desk, "typed")

    reopen(desk, system, conversation, "a reload")
    browsers.shot(desk, "after-reload")

    system.kill("gateway", signal.SIGTERM)
    wait_for("the gateway answering again", lambda: requests.get(system.base + "/", timeout=2).status_code == 200, 60)
    reopen(desk, system, conversation, "a gateway restart")
    browsers.shot(desk, "after-gateway-restart")

    system.kill("desk", signal.SIGKILL)
    wait_for("the desk's heartbeat again", lambda: system.heartbeat("desk", timeout=2), 60)
    reopen(desk, system, conversation, "a SIGKILL of the desk")
    browsers.shot(desk, "after-desk-kill")
    assert (stored_draft(system, conversation) or {}).get("body") == BODY
    set_presence(desk, "dnd")
