"""The channel connectors' JSON API: idempotent retries, clear 4xx errors naming the field, rate limits."""

from __future__ import annotations

import uuid

import pytest
import requests

from support import API_KEY_RATE_PER_MINUTE


@pytest.fixture(scope="module")
def api(system):
    def call(method: str, path: str, body=None, key: str = "tests", idempotency: str | None = "new", raw: bytes | None = None,
             headers: dict | None = None):
        sent = {"Authorization": "Bearer " + system.api_keys[key]}
        if idempotency == "new":
            sent["Idempotency-Key"] = str(uuid.uuid4())
        elif idempotency:
            sent["Idempotency-Key"] = idempotency
        sent.update(headers or {})
        if raw is not None:
            sent["Content-Type"] = "application/json"
            return requests.request(method, system.base + path, data=raw, headers=sent, timeout=20)
        return requests.request(method, system.base + path, json=body, headers=sent, timeout=20)
    return call


def error_of(reply: requests.Response, status: int | tuple, code: str | tuple, field: str | None = None) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    codes = code if isinstance(code, tuple) else (code,)
    assert reply.status_code in statuses, f"{reply.status_code} {reply.text[:300]}"
    assert reply.headers.get("Content-Type", "").startswith("application/json")
    error = reply.json()["error"]
    assert error["code"] in codes, error
    assert len(error.get("message", "")) > 10, error
    if field:
        assert error.get("field") == field, error
    return error


def test_retry_with_the_same_key_gets_the_same_answer(api):
    key = str(uuid.uuid4())
    body = {"queue": "messaging-en", "customerId": "wa-447700900123", "text": "Hi, how do I top up my account?", "name": "Sam"}
    first = api("POST", "/api/v1/conversations", body, idempotency=key)
    assert first.status_code == 201, first.text
    created = first.json()
    assert created["queue"] == "messaging-en" and created["conversationId"]
    again = api("POST", "/api/v1/conversations", body, idempotency=key)
    assert (again.status_code, again.json()) == (first.status_code, created)

    changed = api("POST", "/api/v1/conversations", dict(body, text="Something else entirely"), idempotency=key)
    error_of(changed, 422, ("conflict", "invalid_argument", "idempotency_mismatch"))

    message_key = str(uuid.uuid4())
    sent = api("POST", f"/api/v1/conversations/{created['conversationId']}/messages", {"text": "Are you there?"}, idempotency=message_key)
    assert sent.status_code == 201, sent.text
    resent = api("POST", f"/api/v1/conversations/{created['conversationId']}/messages", {"text": "Are you there?"}, idempotency=message_key)
    assert (resent.status_code, resent.json()) == (201, sent.json())


def test_bad_requests_are_clear_4xx_naming_the_field(api, system):
    error_of(api("POST", "/api/v1/conversations", raw=b'{"queue": "messaging-en", "text": '), 400, "bad_json")
    error_of(api("POST", "/api/v1/conversations", {"queue": "no-such-queue", "text": "hello"}), (404, 422), ("not_found", "invalid_argument"), "queue")
    error_of(api("POST", "/api/v1/conversations", {"queue": "messaging-en"}), (400, 422), ("missing_field", "invalid_argument"), "text")
    error_of(api("POST", "/api/v1/conversations", {"queue": "messaging-en", "text": "x" * 8001}), (413, 422), ("invalid_argument", "too_large"), "text")
    error_of(api("POST", "/api/v1/conversations", {"queue": "messaging-en", "text": "hello"}, idempotency=None), 400, "missing_field", "Idempotency-Key")
    unauthenticated = requests.post(system.base + "/api/v1/conversations", json={"queue": "messaging-en", "text": "hi"},
                                    headers={"Idempotency-Key": "k", "Authorization": "Bearer not-a-key"}, timeout=20)
    error_of(unauthenticated, 401, "unauthenticated")
    error_of(api("POST", "/api/v1/conversations/c-does-not-exist/messages", {"text": "hello"}), 404, "not_found")


def test_closed_conversation_refuses_messages(api):
    created = api("POST", "/api/v1/conversations", {"queue": "messaging-en", "customerId": "sms-1", "text": "Please call me back about my loan."})
    assert created.status_code == 201, created.text
    conversation = created.json()["conversationId"]
    left = api("POST", f"/api/v1/conversations/{conversation}/leave")
    assert left.status_code == 200, left.text
    error_of(api("POST", f"/api/v1/conversations/{conversation}/messages", {"text": "One more thing"}), 409, "conflict")


def test_rate_limit_answers_429_with_retry_after(api):
    answers = []
    for _ in range(API_KEY_RATE_PER_MINUTE + 20):
        reply = api("POST", "/api/v1/conversations/c-does-not-exist/messages", {"text": "ping"}, key="burst")
        answers.append(reply.status_code)
        if reply.status_code == 429:
            error_of(reply, 429, "rate_limited")
            assert int(reply.headers["Retry-After"]) >= 1
            return
    pytest.fail(f"no 429 after {len(answers)} requests on one key limited to {API_KEY_RATE_PER_MINUTE}/min: {sorted(set(answers))}")
