"""Refusals: each one is clear, and nothing reaches the bus (the router's and the desk's seqs, read
from their heartbeats, are the same before and after)."""

from __future__ import annotations

import asyncio
import json

import requests
import websockets
from selenium.webdriver.common.by import By

from pages import sign_in, until
from support import AGENT, OTHER_AGENT, hidden_field


async def ws_request(socket, message: dict, timeout: float = 15) -> dict:
    await socket.send(json.dumps(message))
    async with asyncio.timeout(timeout):
        while True:
            answer = json.loads(await socket.recv())
            if answer.get("type") == "reply" and answer.get("id") == message.get("id"):
                return answer


async def push(socket, kind: str, timeout: float = 15) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await socket.recv())
            if message.get("type") == kind:
                return message


def cookie_header(http: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


async def refused_upgrade(url: str, origin: str, cookie: str | None) -> tuple[int, str]:
    """The status of a refused upgrade (101 when it was not refused) and the message saying why."""
    headers = {"Cookie": cookie} if cookie else {}
    try:
        async with websockets.connect(url, origin=origin, additional_headers=headers, open_timeout=10):
            return 101, ""
    except websockets.InvalidStatus as error:
        response = error.response
        try:
            message = json.loads(response.body)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = ""
        return response.status_code, message


def assert_error(reply: requests.Response, status: int, code: str):
    assert reply.status_code == status, f"{reply.request.method} {reply.url}: {reply.status_code} {reply.text[:300]}"
    error = reply.json()["error"]
    assert error["code"] == code, error
    assert len(error["message"]) > 10, f"a clear message, not {error['message']!r}"
    return error


def test_refusals_change_nothing_on_the_bus(system, browsers):
    origin = system.base
    # Everything that legitimately touches the bus happens first: the other agent's desk socket
    # (which signs them in at the desk) and two customers' conversations, both left again.
    other = system.signed_in(OTHER_AGENT)

    async def scenario():
        async with websockets.connect(system.ws_base + "/desk/ws", origin=origin,
                                      additional_headers={"Cookie": cookie_header(other)}, open_timeout=10) as desk:
            conversations = []
            for text in ("My card is blocked.", "A second question about my card."):
                async with websockets.connect(system.ws_base + "/chat/ws", origin=origin, open_timeout=10) as chat:
                    started = await ws_request(chat, {"type": "start", "id": "1", "queue": "chat-en-cards", "text": text})
                    assert started["ok"], started
                    await push(chat, "conversation")  # as the page does: leave once the chat is shown
                    left = await ws_request(chat, {"type": "leave", "id": "2"})
                    assert left["ok"], left
                    conversations.append(started["result"])
            before = await asyncio.to_thread(system.settled_bus_seqs)

            # An agent acting on another agent's desk.
            forged = await ws_request(desk, {"type": "desk", "id": "f1", "command": "desk.reply", "data": {
                "agentId": AGENT, "conversationId": conversations[0]["conversationId"], "text": "not mine to send"}})
            assert not forged["ok"] and forged["error"]["code"] == "forbidden", forged
            assert "own desk" in forged["error"]["message"]

            # A customer token used for another customer's conversation.
            async with websockets.connect(system.ws_base + "/chat/ws", origin=origin, open_timeout=10) as chat:
                stolen = await ws_request(chat, {"type": "resume", "id": "1",
                                                 "conversationId": conversations[1]["conversationId"],
                                                 "customerToken": conversations[0]["customerToken"]})
            assert not stolen["ok"] and stolen["error"]["code"] == "forbidden", stolen
            assert "another customer" in stolen["error"]["message"]

            # A WebSocket upgrade from another origin, with a valid session cookie, and an agent's
            # socket at the supervisor's endpoint (checked at the end, after the bus).
            for path in ("/desk/ws", "/supervisor/ws", "/chat/ws"):
                upgrades[f"{path} from another origin"] = await refused_upgrade(
                    system.ws_base + path, "http://evil.example", cookie_header(other))
            upgrades["/supervisor/ws for an agent"] = await refused_upgrade(
                system.ws_base + "/supervisor/ws", origin, cookie_header(other))
            return before

    upgrades: dict[str, int] = {}
    before = asyncio.run(scenario())

    # A wrong password, in the browser: the form again, with the message.
    window = browsers.new("signin")
    sign_in(window, system, AGENT, "/desk", password="not the password")
    until(window, "the wrong-password message", lambda d: "Wrong user name or password." in d.find_element(By.ID, "signin-error").text)
    assert "/signin" in window.current_url or window.find_elements(By.ID, "signin-form")
    browsers.shot(window, "wrong-password")
    http = requests.Session()
    form = http.get(system.base + "/signin", timeout=10)
    wrong = http.post(system.base + "/signin", data={"username": AGENT, "password": "nope", "next": "/desk",
                                                      "csrf": hidden_field(form.text, "csrf")}, allow_redirects=False, timeout=10)
    assert wrong.status_code == 401 and "Wrong user name or password." in wrong.text

    # An agent at /supervisor: a page that says why.
    agent_window = browsers.new("agent-at-supervisor")
    sign_in(agent_window, system, OTHER_AGENT, "/supervisor")
    until(agent_window, "the refusal page", lambda d: "cannot supervise" in d.find_element(By.TAG_NAME, "body").text)
    browsers.shot(agent_window, "forbidden")
    page = other.get(system.base + "/supervisor", allow_redirects=False, timeout=10)
    assert page.status_code == 403 and "cannot supervise" in page.text

    # A forged CSRF token: refused, and the session is still there.
    forged = other.post(system.base + "/signout", headers={"X-CSRF-Token": "forged-" + other.csrf}, allow_redirects=False, timeout=10)
    assert_error(forged, 403, "csrf")
    assert other.get(system.base + "/api/session", timeout=10).status_code == 200

    # An ended session (signed out): its cookie no longer opens anything.
    ended = system.signed_in(OTHER_AGENT)
    old_cookie = cookie_header(ended)
    out = ended.post(system.base + "/signout", headers={"X-CSRF-Token": ended.csrf}, allow_redirects=False, timeout=10)
    assert out.status_code == 303
    stale = requests.Session()
    stale.headers["Cookie"] = old_cookie
    assert_error(stale.get(system.base + "/api/session", timeout=10), 401, "unauthenticated")
    desk_page = stale.get(system.base + "/desk", allow_redirects=False, timeout=10)
    assert desk_page.status_code == 303 and desk_page.headers["Location"].startswith("/signin")
    upgrades["/desk/ws with an ended session"] = asyncio.run(refused_upgrade(system.ws_base + "/desk/ws", origin, old_cookie))

    after = system.bus_seqs()
    assert after == before, f"the bus moved: before {before}, after {after}"
    statuses = {what: status for what, (status, _) in upgrades.items()}
    expected = {what: (401 if "ended session" in what else 403) for what in upgrades}
    assert statuses == expected, f"refused upgrades answered {upgrades}, expected {expected}"
    unclear = {what: message for what, (_, message) in upgrades.items() if len(message) < 10}
    assert not unclear, f"refused upgrades without a JSON error saying why: {sorted(unclear)}"


def test_desk_whose_session_ended_goes_to_sign_in(system, browsers):
    desk = browsers.new("desk")
    sign_in(desk, system, OTHER_AGENT, "/desk")
    until(desk, "the desk connected", lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "live")
    # The session ends elsewhere (signed out from another tab): the open desk notices and sends
    # the agent to sign in again, to come back to the desk.
    http = requests.Session()
    for cookie in desk.get_cookies():
        http.cookies.set(cookie["name"], cookie["value"])
    csrf = desk.find_element(By.CSS_SELECTOR, 'meta[name="csrf-token"]').get_attribute("content")
    out = http.post(system.base + "/signout", headers={"X-CSRF-Token": csrf}, allow_redirects=False, timeout=10)
    assert out.status_code == 303
    until(desk, "the sign-in page", lambda d: "/signin" in d.current_url and d.find_elements(By.ID, "signin-form"), 45)
    assert "expired=1" in desk.current_url and "next=%2Fdesk" in desk.current_url
    assert "sign in again" in desk.find_element(By.ID, "signin-error").text
    browsers.shot(desk, "session-ended")
