"""The desk with the keyboard alone; the chat on a phone; axe on every page."""

from __future__ import annotations

from axe_selenium_python import Axe
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from pages import chat_status, open_desk, sign_in, start_chat, transcript_has, until
from support import AGENT_NAME, SUPERVISOR


def keys(driver, *sequence):
    ActionChains(driver).send_keys(*sequence).perform()


def alt(driver, key: str):
    ActionChains(driver).key_down(Keys.ALT).send_keys(key).key_up(Keys.ALT).perform()


def focused(driver):
    return driver.switch_to.active_element


def focus_is_visible(driver) -> bool:
    return driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;")


def test_desk_with_the_keyboard_alone(system, browsers):
    first = browsers.new("customer-1")
    second = browsers.new("customer-2")
    one = start_chat(first, system, "My new card has not arrived yet.", name="Kai Brooks")
    two = start_chat(second, system, "I think my card was charged twice for one purchase.", name="Mia Stone")

    desk = browsers.new("desk")
    open_desk(desk, system, keyboard=True)
    select = desk.find_element(By.ID, "presence-status")
    select.send_keys("Available")  # typing into the focused select: keyboard, not mouse
    until(desk, "Available", lambda d: d.find_element(By.ID, "presence-status").get_attribute("data-confirmed") == "available")

    # On a fresh load the tab order starts with the skip link, then the header's controls.
    desk.get(system.base + "/desk")
    until(desk, "the desk connected again", lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "live")
    keys(desk, Keys.TAB)
    assert focused(desk).get_attribute("class") == "skip-link"
    keys(desk, Keys.TAB)
    assert focused(desk).get_attribute("id") == "presence-status"
    assert focus_is_visible(desk)

    # Alt+A takes whichever offer is first; both customers' offers come in turn.
    def both_open(d):
        open_ = {t.get_attribute("data-conversation") for t in d.find_elements(By.CSS_SELECTOR, ".session-tab")}
        if {one, two} <= open_:
            return True
        if d.find_elements(By.CSS_SELECTOR, ".offer"):
            alt(d, "a")
        return False
    until(desk, "both customers' sessions opened with Alt+A", both_open, 60)
    browsers.shot(desk, "two-sessions")

    tabs = [t.get_attribute("data-conversation") for t in desk.find_elements(By.CSS_SELECTOR, ".session-tab")]
    assert set(tabs) >= {one, two}
    position = {c: str(tabs.index(c) + 1) for c in (one, two)}
    for conversation in (one, two, one):
        alt(desk, position[conversation])
        until(desk, f"session {position[conversation]} on screen", lambda d, c=conversation: d.find_element(
            By.CSS_SELECTOR, f'.session-tab[data-conversation="{c}"]').get_attribute("aria-selected") == "true")
        assert focused(desk).get_attribute("data-conversation") == conversation
        assert focus_is_visible(desk)

    # Reply to the first customer (on screen now): Alt+R to the box, Ctrl+Enter to send.
    alt(desk, "r")
    assert focused(desk).get_attribute("id") == "reply-text"
    answer = "Thank you for waiting; I can see the card was posted on Monday."
    keys(desk, answer)
    ActionChains(desk).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    transcript_has(desk, answer)
    transcript_has(first, answer)
    until(first, "the agent's name", lambda d: AGENT_NAME in chat_status(d))

    # Close both with Alt+C, the disposition chosen and confirmed with the keyboard.
    for conversation in (one, two):
        tabs = [t.get_attribute("data-conversation") for t in desk.find_elements(By.CSS_SELECTOR, ".session-tab")]
        alt(desk, str(tabs.index(conversation) + 1))
        until(desk, f"{conversation} on screen", lambda d, c=conversation: d.find_element(
            By.CSS_SELECTOR, f'.session-tab[data-conversation="{c}"]').get_attribute("aria-selected") == "true")
        alt(desk, "c")
        until(desk, "the close dialog", lambda d: d.find_element(By.ID, "close-dialog").is_displayed())
        assert focused(desk).get_attribute("id") == "disposition"
        keys(desk, Keys.ARROW_DOWN)  # "Follow-up needed"
        keys(desk, Keys.TAB, Keys.TAB)
        assert focused(desk).get_attribute("id") == "close-confirm"
        keys(desk, Keys.ENTER)
        until(desk, "the close dialog gone", lambda d: not d.find_element(By.ID, "close-dialog").is_displayed())
        browsers.shot(desk, "closed")
    until(desk, "both sessions gone", lambda d: not d.find_elements(
        By.CSS_SELECTOR, f'.session-tab[data-conversation="{one}"], .session-tab[data-conversation="{two}"]'))
    for window in (first, second):
        until(window, "the end on the customer's page", lambda d: d.find_element(By.ID, "ended").is_displayed())
    select = desk.find_element(By.ID, "presence-status")
    select.send_keys("Do not disturb")
    until(desk, "Do not disturb", lambda d: d.find_element(By.ID, "presence-status").get_attribute("data-confirmed") == "dnd")


def test_chat_fits_a_phone(system, browsers):
    phone = browsers.new("phone", 390, 844)
    start_chat(phone, system, "Hola, mi tarjeta ha sido rechazada en una tienda esta mañana y no sé por qué; ¿me pueden ayudar?", queue="chat-es", name="Lucía")
    until(phone, "the customer's message shown", lambda d: d.find_elements(By.CSS_SELECTOR, "#transcript .msg.customer"))
    assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    assert "Salir" in phone.find_element(By.ID, "leave").text
    widths = phone.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 390, f"horizontal scroll at 390 px: {widths}"
    browsers.shot(phone, "chat-390")
    # Leaving, in the customer's language.
    phone.find_element(By.ID, "leave").click()
    until(phone, "the confirmation", lambda d: d.switch_to.alert).accept()
    until(phone, "the end in Spanish", lambda d: d.find_element(By.ID, "ended").is_displayed()
          and "Ha salido del chat." in d.find_element(By.ID, "ended-text").text)
    assert phone.find_element(By.ID, "new-chat").text == "Iniciar un nuevo chat"
    browsers.shot(phone, "left")


def serious(driver) -> list:
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v.get("impact") in ("serious", "critical")]


def test_axe_finds_nothing_serious(system, browsers):
    problems = {}
    window = browsers.new("axe")
    for path in ("/", "/signin"):
        window.get(system.base + path)
        problems[path] = serious(window)
    start_chat(window, system, "Can I raise my contactless limit?", name="Axe Tester")
    until(window, "the chat under way", lambda d: d.find_elements(By.CSS_SELECTOR, "#transcript .msg"))
    problems["/chat/chat-en-cards"] = serious(window)
    browsers.shot(window, "chat")
    window.execute_script("localStorage.clear()")

    desk = browsers.new("axe-desk")
    open_desk(desk, system)
    problems["/desk"] = serious(desk)
    browsers.shot(desk, "desk")
    supervisor = browsers.new("axe-supervisor")
    sign_in(supervisor, system, SUPERVISOR, "/supervisor")
    until(supervisor, "the dashboard's queues", lambda d: d.find_elements(By.CSS_SELECTOR, "#queues tr"))
    problems["/supervisor"] = serious(supervisor)
    browsers.shot(supervisor, "supervisor")
    supervisor.find_element(By.ID, "nav-whatif").click()
    until(supervisor, "the What if page ready", lambda d: d.find_element(By.ID, "status").text)
    problems["/whatif"] = serious(supervisor)
    browsers.shot(supervisor, "whatif")
    found = {page: found for page, found in problems.items() if found}
    assert not found, f"axe found serious or critical violations: {found}"


def test_embed_script_opens_the_chat(system, browsers, tmp_path):
    host = tmp_path / "bank-site.html"
    host.write_text(f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Northwind Bank</title></head>
<body><main><h1>Cards</h1><p>Questions about your card? Chat with us.</p></main>
<script src="{system.base}/embed.js" data-queue="chat-en-cards" data-label="Chat with us"></script></body></html>""")
    site = browsers.new("bank-site")
    site.get(host.as_uri())
    button = until(site, "the chat button", lambda d: [b for b in d.find_elements(By.TAG_NAME, "button") if b.text == "Chat with us"])[0]
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    frame = until(site, "the chat frame", lambda d: d.find_elements(By.CSS_SELECTOR, "#sb-chat-panel iframe"))[0]
    assert frame.get_attribute("src") == system.base + "/chat/chat-en-cards"
    site.switch_to.frame(frame)
    until(site, "the chat form inside the frame", lambda d: d.find_element(By.ID, "message").is_displayed())
    site.switch_to.default_content()
    browsers.shot(site, "embedded")
