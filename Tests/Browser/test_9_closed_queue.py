"""A customer who opens a chat on a queue outside its hours is told, in their language, when it opens."""

from __future__ import annotations

import datetime
import shutil
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from pages import until
from support import ROOT, System

ZONE = "Europe/Paris"
QUEUE = "chat-fr"
FRENCH_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def closed_centre(directory: Path, today: datetime.date) -> Path:
    """The contact centre with the French chat queue open 09:00-17:00 in Paris every day but today
    and tomorrow, which are holidays: closed now, opening the day after tomorrow at 09:00."""
    text = (ROOT / "Topology" / "contact-centre.yaml").read_text()
    anchor = "  chat-fr:\n    name: Chat, French\n    channel: chat\n"
    assert anchor in text, "the sample contact centre's French chat queue moved; update this test"
    days = ", ".join(f"{day}: [09:00-17:00]" for day in
                     ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    holidays = ", ".join(str(today + datetime.timedelta(days=n)) for n in (0, 1))
    hours = (f"    hours:\n      timeZone: {ZONE}\n      weekly: {{{days}}}\n"
             f"      holidays: [{holidays}]\n      closedRule: refuse\n")
    path = directory / "contact-centre-closed.yaml"
    path.write_text(text.replace(anchor, anchor + hours))
    return path


@pytest.fixture(scope="module")
def closed_system():
    today = datetime.datetime.now(ZoneInfo(ZONE)).date()
    directory = Path(tempfile.mkdtemp(prefix="sb-closed-centre-"))
    running = System(centre=closed_centre(directory, today))
    try:
        running.start()
    except BaseException:
        running.stop()
        raise
    yield running, today
    survivors = running.stop()
    shutil.rmtree(directory, ignore_errors=True)
    assert not survivors, f"processes survived `up`'s stop and were killed: {survivors}"


def test_a_closed_queue_tells_the_customer_when_it_opens_in_their_language(closed_system, browsers):
    system, today = closed_system
    opens = today + datetime.timedelta(days=2)
    customer = browsers.new("customer")
    customer.get(system.base + "/chat/" + QUEUE)
    customer.execute_script("localStorage.removeItem(arguments[0])", "sb.chat." + QUEUE)
    customer.get(system.base + "/chat/" + QUEUE)
    until(customer, "the chat form", lambda d: d.find_element(By.ID, "message").is_displayed())
    customer.find_element(By.ID, "customer-name").send_keys("Camille Roux")
    customer.find_element(By.ID, "message").send_keys("Bonjour, ma carte est bloquée.")
    customer.find_element(By.ID, "send").click()
    notice = until(customer, "the closed notice", lambda d: d.find_element(By.ID, "composer-error").text.strip())
    browsers.shot(customer, "closed-queue")
    assert notice.startswith("Nous sommes fermés pour le moment. Nous ouvrons "), notice
    assert f"({ZONE})" in notice, notice
    # The opening in French words, in the queue's zone: the day after tomorrow at 09:00.
    assert FRENCH_WEEKDAYS[opens.weekday()] in notice and f" {opens.day} " in notice and "09:00" in notice, notice
    # No conversation was opened.
    assert not customer.execute_script("return localStorage.getItem(arguments[0])", "sb.chat." + QUEUE)
