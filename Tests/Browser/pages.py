"""What a person does on each page, as the tests need it. Every wait is bounded."""

from __future__ import annotations

import json

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from support import AGENT, PASSWORDS

WAIT = 30


def until(driver, what: str, predicate, timeout: float = WAIT):
    def check(d):
        try:
            return predicate(d)
        except StaleElementReferenceException:
            return False
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(check, message=f"{what} (waited {timeout} s)")


def click(driver, what: str, css: str, timeout: float = WAIT):
    """Clicks the first element at `css` once there is one. A page that re-renders a list between
    the element being found and clicked (a stale reference) has it found again, within the wait."""
    def attempt(d):
        found = d.find_elements(By.CSS_SELECTOR, css)
        if not found:
            return False
        found[0].click()
        return True
    until(driver, what, attempt, timeout)


def text_of(driver, css: str) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, css))


# ---- sign-in ----

def sign_in(driver, system, person: str, path: str = "/desk", password: str | None = None, keyboard: bool = False):
    driver.get(system.base + path)
    until(driver, "the sign-in form", lambda d: d.find_elements(By.ID, "username"))
    user = driver.find_element(By.ID, "username")
    user.clear()
    user.send_keys(person)
    field = driver.find_element(By.ID, "password")
    field.send_keys(password if password is not None else PASSWORDS[person])
    if keyboard:
        field.send_keys(Keys.ENTER)
    else:
        driver.find_element(By.ID, "signin-submit").click()


def open_desk(driver, system, person: str = AGENT, keyboard: bool = False):
    sign_in(driver, system, person, "/desk", keyboard=keyboard)
    until(driver, "the desk connected", lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "live")
    until(driver, "the desk's presence from the server", lambda d: d.find_element(By.ID, "presence-status").get_attribute("data-confirmed"))


def set_presence(driver, status: str):
    select = driver.find_element(By.ID, "presence-status")
    if select.get_attribute("data-confirmed") == status:
        return
    Select(select).select_by_value(status)
    until(driver, f"presence {status} confirmed by the server",
          lambda d: d.find_element(By.ID, "presence-status").get_attribute("data-confirmed") == status)


def status_word(status: str) -> str:
    return {"available": "Available", "away": "Away", "dnd": "Do not disturb"}[status]


def offer_for(driver, conversation_id: str):
    until(driver, f"the offer of {conversation_id} on the desk",
          lambda d: d.find_elements(By.CSS_SELECTOR, f'.offer[data-conversation="{conversation_id}"]'), 45)
    return driver.find_element(By.CSS_SELECTOR, f'.offer[data-conversation="{conversation_id}"]')


def session_tab(driver, conversation_id: str):
    until(driver, f"the session tab of {conversation_id}",
          lambda d: d.find_elements(By.CSS_SELECTOR, f'.session-tab[data-conversation="{conversation_id}"]'), 45)
    return driver.find_element(By.CSS_SELECTOR, f'.session-tab[data-conversation="{conversation_id}"]')


def click_session(driver, conversation_id: str):
    """Clicks a session's tab (the list is drawn anew on every push, so a stale tab is found again)."""
    def attempt(d):
        try:
            session_tab(d, conversation_id).click()
            return True
        except StaleElementReferenceException:
            return False
    until(driver, f"a click on the session tab of {conversation_id}", attempt)
    until(driver, f"{conversation_id} on screen", lambda d: d.find_element(
        By.CSS_SELECTOR, f'.session-tab[data-conversation="{conversation_id}"]').get_attribute("aria-selected") == "true")


def transcript_has(driver, text: str, css: str = "#transcript .msg"):
    until(driver, f"{text!r} in the transcript", lambda d: any(text in e.text for e in d.find_elements(By.CSS_SELECTOR, css)))


def reply(driver, text: str):
    box = driver.find_element(By.ID, "reply-text")
    box.send_keys(text)
    driver.find_element(By.ID, "send-reply").click()
    until(driver, "the reply sent (box emptied)", lambda d: d.find_element(By.ID, "reply-text").get_attribute("value") == ""
          and not d.find_element(By.ID, "reply-error").text)


def close_with(driver, disposition: str = "resolved"):
    conversation = driver.find_element(By.CSS_SELECTOR, '.session-tab[aria-selected="true"]').get_attribute("data-conversation")
    driver.find_element(By.ID, "close-session").click()
    until(driver, "the close dialog", lambda d: d.find_element(By.ID, "close-dialog").is_displayed())
    Select(driver.find_element(By.ID, "disposition")).select_by_value(disposition)
    driver.find_element(By.ID, "close-confirm").click()
    until(driver, "the close dialog gone", lambda d: not d.find_element(By.ID, "close-dialog").is_displayed())
    until(driver, "the session gone", lambda d: not d.find_elements(By.CSS_SELECTOR, f'.session-tab[data-conversation="{conversation}"]'))
    return conversation


# ---- customer chat ----

def start_chat(driver, system, text: str, name: str | None = None, queue: str = "chat-en-cards", fresh: bool = True) -> str:
    driver.get(system.base + "/chat/" + queue)
    if fresh:
        driver.execute_script("localStorage.removeItem(arguments[0])", "sb.chat." + queue)
        driver.get(system.base + "/chat/" + queue)
    until(driver, "the chat form", lambda d: d.find_element(By.ID, "message").is_displayed())
    if name:
        driver.find_element(By.ID, "customer-name").send_keys(name)
    driver.find_element(By.ID, "message").send_keys(text)
    driver.find_element(By.ID, "send").click()
    return chat_conversation(driver, queue)


def chat_conversation(driver, queue: str = "chat-en-cards") -> str:
    stored = until(driver, "the conversation stored by the chat page",
                   lambda d: d.execute_script("return localStorage.getItem(arguments[0])", "sb.chat." + queue))
    return json.loads(stored)["conversationId"]


def chat_status(driver) -> str:
    return driver.find_element(By.ID, "chat-status").text
