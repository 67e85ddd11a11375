"""A supervisor whispers (the agent sees it, the customer never does) and barges (both see it)."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from pages import (close_with, offer_for, open_desk, reply, session_tab, set_presence, sign_in, start_chat,
                   transcript_has, until)
from support import SUPERVISOR, SUPERVISOR_NAME

WHISPER = "Coaching note: offer the card replacement before the limit change."
BARGE = "Good afternoon, I am the team supervisor and I will help you both with this."


def test_whisper_reaches_only_the_agent_and_barge_reaches_both(system, browsers):
    customer = browsers.new("customer")
    conversation = start_chat(customer, system, "I need help: my card payment was refused twice today.", name="Leo Marsh")
    desk = browsers.new("desk")
    open_desk(desk, system)
    set_presence(desk, "available")
    offer_for(desk, conversation).find_element(By.CSS_SELECTOR, "button.accept").click()
    session_tab(desk, conversation)
    reply(desk, "Hello Leo, I am checking your card now.")

    supervisor = browsers.new("supervisor")
    sign_in(supervisor, system, SUPERVISOR, "/supervisor")
    until(supervisor, "the dashboard's queues", lambda d: d.find_elements(By.CSS_SELECTOR, "#queues tr"))
    browsers.shot(supervisor, "dashboard")
    supervisor.find_element(By.ID, "open-id").send_keys(conversation)
    supervisor.find_element(By.ID, "open-submit").click()
    transcript_has(supervisor, "my card payment was refused", "#watch-transcript .msg")

    supervisor.find_element(By.ID, "sup-text").send_keys(WHISPER)
    supervisor.find_element(By.ID, "do-whisper").click()
    until(supervisor, "the whisper's result", lambda d: "Whisper done" in d.find_element(By.ID, "sup-result").text)
    until(desk, "the whisper on the desk, marked as one", lambda d: any(
        WHISPER in e.text and "Whisper from" in e.text for e in d.find_elements(By.CSS_SELECTOR, "#transcript .msg.whisper")))
    browsers.shot(desk, "whisper")

    supervisor.find_element(By.ID, "sup-text").send_keys(BARGE)
    supervisor.find_element(By.ID, "do-barge").click()
    until(supervisor, "the barge's result", lambda d: "Barge done" in d.find_element(By.ID, "sup-result").text)
    joined = f"{SUPERVISOR_NAME}, a supervisor, joined the conversation"
    for window, css in ((customer, "#transcript .msg"), (desk, "#transcript .msg")):
        transcript_has(window, joined, css)
        transcript_has(window, BARGE, css)
    # The barge came after the whisper in the one transcript: the customer has everything up to it,
    # and the whisper is not among it.
    assert WHISPER not in customer.find_element(By.ID, "transcript").text
    assert WHISPER not in customer.page_source
    browsers.shot(customer, "barge")
    browsers.shot(supervisor, "barge")

    supervisor.find_element(By.ID, "do-stop").click()
    until(supervisor, "the stop's result", lambda d: "Stop done" in d.find_element(By.ID, "sup-result").text)
    transcript_has(customer, f"{SUPERVISOR_NAME} left the conversation")
    assert WHISPER not in customer.page_source
    close_with(desk, "escalated")
    set_presence(desk, "dnd")
