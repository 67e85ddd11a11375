"""The agent's say over the assistance on the web desk: a suggested reply used (and edited) or dismissed, an
article found by searching the knowledge base and marked helpful, and the case summary corrected at a transfer,
which the receiving agent reads marked as edited."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from pages import click_session, close_with, offer_for, open_desk, session_tab, set_presence, start_chat, until
from support import AGENT, AGENT_NAME, OTHER_AGENT
from test_5_keyboard_and_access import serious

OTHER_AGENT_NAME = "Amara Nwosu"
ISSUE = "A transfer to the landlord left the account twice this morning"
NEXT_STEP = "Raise a dispute for the duplicate with the receiving bank"
RECEIVER_NEXT_STEP = "Dispute raised; tell the customer the refund takes up to 10 working days"


def feedback(system) -> dict:
    return system.snapshot("desk", "feedback.")


def suggestion_ids(driver) -> list[str]:
    return [e.get_attribute("data-suggestion") for e in driver.find_elements(By.CSS_SELECTOR, "#suggestions li")]


def test_agent_uses_dismisses_searches_and_corrects_the_case_summary(system, browsers):
    # As in the transfer test: the first agent serves chat-en-general, the named agent takes it over.
    desk = browsers.new("desk")
    open_desk(desk, system, OTHER_AGENT)
    set_presence(desk, "available")
    customer = browsers.new("customer")
    conversation = start_chat(customer, system, "A transfer to my landlord went out twice this morning.",
                              name="Lena Hart", queue="chat-en-general")
    offer_for(desk, conversation).find_element(By.CSS_SELECTOR, "button.accept").click()
    session_tab(desk, conversation)
    click_session(desk, conversation)
    until(desk, "two suggested replies", lambda d: len(suggestion_ids(d)) >= 2, 60)
    set_presence(desk, "dnd")
    receiver = browsers.new("receiver-desk")
    open_desk(receiver, system, AGENT)

    # Dismiss the first: it leaves the pane, and the desk counts it under the conversation's intent.
    first = suggestion_ids(desk)[0]
    desk.find_element(By.CSS_SELECTOR, f'#suggestions li[data-suggestion="{first}"] .dismiss-suggestion').click()
    until(desk, "the dismissed suggestion gone", lambda d: first not in suggestion_ids(d))
    until(desk, "the dismissal in the desk's feedback", lambda d: any(
        s["suggestionId"] == first and s["dismissed"] >= 1
        for item in feedback(system).values() for s in item["suggestions"]))

    # Use the next with the keyboard: it goes into the reply box; changed and sent, it counts as used and edited.
    used = suggestion_ids(desk)[0]
    text = desk.find_element(By.CSS_SELECTOR, f'#suggestions li[data-suggestion="{used}"] .suggestion-text').text
    use = desk.find_element(By.CSS_SELECTOR, f'#suggestions li[data-suggestion="{used}"] .use-suggestion')
    assert use.get_attribute("aria-describedby"), "the button names the suggestion it uses"
    use.send_keys(Keys.ENTER)
    box = desk.find_element(By.ID, "reply-text")
    until(desk, "the suggestion in the reply box", lambda d: text in box.get_attribute("value"))
    assert desk.switch_to.active_element == box, "the reply box has the focus"
    box.send_keys(" Thank you for waiting.")
    desk.find_element(By.ID, "send-reply").click()
    until(desk, "the reply sent", lambda d: d.find_element(By.ID, "reply-text").get_attribute("value") == "")
    until(desk, "the use, edited, in the desk's feedback", lambda d: any(
        s["suggestionId"] == used and s["used"] >= 1 and s["edited"] >= 1
        for item in feedback(system).values() for s in item["suggestions"]))
    browsers.shot(desk, "suggestions-after-feedback")

    # Search the knowledge base from the pane and mark what helped.
    query = desk.find_element(By.ID, "knowledge-query")
    assert desk.find_element(By.CSS_SELECTOR, 'label[for="knowledge-query"]').text == "Search articles"
    query.send_keys("apple pay google pay", Keys.ENTER)
    until(desk, "search results", lambda d: d.find_elements(By.CSS_SELECTOR, "#knowledge-results li"))
    found = desk.find_elements(By.CSS_SELECTOR, "#knowledge-results li")
    assert "Apple Pay" in found[0].text, [f.text for f in found]
    article = found[0].get_attribute("data-article")
    # With the keyboard (a toast may lie over the pane's foot).
    found[0].find_element(By.CSS_SELECTOR, "button.helpful").send_keys(Keys.ENTER)
    until(desk, "the article marked helpful", lambda d: d.find_element(
        By.CSS_SELECTOR, f'#knowledge-results li[data-article="{article}"] button.helpful'
    ).get_attribute("aria-pressed") == "true")
    until(desk, "the article in the desk's feedback", lambda d: any(
        a["articleId"] == article and a["helpful"] >= 1 for item in feedback(system).values() for a in item["articles"]))
    browsers.shot(desk, "knowledge-search")
    assert not serious(desk), "axe on the pane with suggestions, search results and helpful buttons"

    # Transfer to a named agent with a corrected case summary.
    set_presence(receiver, "available")
    desk.find_element(By.ID, "transfer-session").click()
    until(desk, "the transfer dialog", lambda d: d.find_element(By.ID, "transfer-dialog").is_displayed())
    Select(desk.find_element(By.ID, "transfer-to")).select_by_value(f"agent:{AGENT}")
    issue = desk.find_element(By.ID, "case-issue")
    issue.clear()
    issue.send_keys(ISSUE)
    actions = desk.find_element(By.ID, "case-actions")
    actions.clear()
    actions.send_keys("Checked the delivery address", Keys.ENTER, "Confirmed the card was dispatched")
    step = desk.find_element(By.ID, "case-next")
    step.clear()
    step.send_keys(NEXT_STEP)
    browsers.shot(desk, "transfer-with-case-summary")
    assert not serious(desk), "axe on the transfer dialog with the case summary editor"
    confirm = desk.find_element(By.ID, "transfer-confirm")
    desk.execute_script("arguments[0].scrollIntoView({block: 'center'})", confirm)
    confirm.click()
    until(desk, "the transfer dialog gone", lambda d: not d.find_element(By.ID, "transfer-dialog").is_displayed(), 45)

    # The receiving agent reads the corrected summary, marked as edited by the first agent.
    session_tab(receiver, conversation)
    click_session(receiver, conversation)
    until(receiver, "the edited case summary", lambda d: d.find_element(By.ID, "case-edited").is_displayed()
          and ISSUE in d.find_element(By.ID, "case-summary").get_attribute("textContent"), 60)
    marked = receiver.find_element(By.ID, "case-edited").text
    assert marked.startswith(f"Edited by {OTHER_AGENT_NAME}"), marked
    summary = receiver.find_element(By.ID, "case-summary").get_attribute("textContent")
    assert NEXT_STEP in summary and "Confirmed the card was dispatched" in summary, summary
    browsers.shot(receiver, "edited-case-summary")
    assert not serious(receiver), "axe on the edited case summary"
    desk_item = system.snapshot("desk", f"desk.{AGENT}")[f"desk.{AGENT}"]
    pane = next(s for s in desk_item["workspace"]["sessions"] if s["item"]["conversation"] == conversation)
    assert pane["assistance"]["caseSummary"]["editedBy"] == OTHER_AGENT, pane["assistance"]
    assert ISSUE not in customer.page_source

    # The receiving agent corrects it in turn, from the pane.
    receiver.find_element(By.ID, "edit-case-summary").click()
    until(receiver, "the case summary dialog", lambda d: d.find_element(By.ID, "case-dialog").is_displayed())
    assert receiver.find_element(By.ID, "case-edit-issue").get_attribute("value") == ISSUE
    step = receiver.find_element(By.ID, "case-edit-next")
    step.clear()
    step.send_keys(RECEIVER_NEXT_STEP)
    receiver.find_element(By.ID, "case-save").click()
    until(receiver, "the receiver's correction, marked as theirs", lambda d:
          RECEIVER_NEXT_STEP in d.find_element(By.ID, "case-summary").get_attribute("textContent")
          and d.find_element(By.ID, "case-edited").text.startswith(f"Edited by {AGENT_NAME}"))

    # Leave the desks as the other tests expect them: the chat closed, nobody Available.
    set_presence(receiver, "dnd")
    close_with(receiver)
