"""The client against the sandbox over real HTTP on loopback: success shapes and Kaleyra's errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rcs_composer.core import codecs
from rcs_composer.services.kaleyra import InsecureUrl, KaleyraClient, parse_send_result
from rcs_composer.services.kaleyra_replies import (
    ApiError,
    AuthError,
    BadResponse,
    RateLimited,
    ServerUnavailable,
)
from rcs_composer.services.secrets import SANDBOX_KEY
from tests.support.faulty_sandbox import Faults
from tests.support.faulty_sandbox import FaultySandbox as SandboxServer

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(event_delays=(0.0, 0.0, 0.0)) as server:
        yield server


def client(server: SandboxServer, key: str = SANDBOX_KEY, **options: object) -> KaleyraClient:
    return KaleyraClient(
        server.url, "SIDTEST", key, read_timeout=5, sleep=lambda _s: None, **options
    )  # type: ignore[arg-type]


def card_body() -> dict[str, object]:
    return json.loads((FIXTURES / "seed000_standalone_card.json").read_text())


def test_send_returns_a_message_id_per_recipient(sandbox: SandboxServer) -> None:
    result = client(sandbox).send(card_body())
    assert list(result.message_ids) == ["917700000931", "19255550101"]
    assert all(len(message_id) == 36 for message_id in result.message_ids.values())
    assert sandbox.send_count == 1


def test_both_documented_success_shapes_are_read() -> None:
    first = parse_send_result({"recipientDetails": [{"to": "919", "messageId": "a "}]})
    second = parse_send_result(
        {"code": "1200", "message": "ok", "data": {"to": "919", "messageId": "b"}, "error": {}}
    )
    listed = parse_send_result(
        {"code": "1200", "data": [{"to": "1", "messageId": "c"}, {"to": "2", "messageId": "d"}]}
    )
    assert first.message_ids == {"919": "a"}
    assert second.message_ids == {"919": "b"}
    assert listed.message_ids == {"1": "c", "2": "d"}
    with pytest.raises(BadResponse, match="no message ids"):
        parse_send_result({"code": "1200", "data": {}})


def test_an_invalid_message_comes_back_with_kaleyras_path(sandbox: SandboxServer) -> None:
    body = card_body()
    body["richCardStandalone"]["content"]["title"] = "T" * 201  # type: ignore[index]
    with pytest.raises(ApiError) as caught:
        client(sandbox).send(body)
    error = caught.value
    assert (error.status, error.code) == (400, 1400)
    assert error.json_path == "$.richCardStandalone.content.title"
    assert "200" in error.user_message()


def test_a_bad_number_is_1417(sandbox: SandboxServer) -> None:
    body = card_body()
    body["to"] = ["12"]
    with pytest.raises(ApiError) as caught:
        client(sandbox).send(body)
    assert caught.value.code == 1417
    assert "Check the recipient numbers" in caught.value.user_message()


def test_wrong_key_is_an_auth_error_that_never_shows_the_key(sandbox: SandboxServer) -> None:
    planted = "planted-key-5b7e-UNIQUE"
    api = client(sandbox, key=planted)
    with pytest.raises(AuthError) as caught:
        api.send(card_body())
    error = caught.value
    assert error.status == 401
    assert "API key" in error.user_message()
    for text in (str(error), repr(error), error.user_message(), error.details(), repr(api)):
        assert planted not in text


def test_templates_create_get_update_history_delete(sandbox: SandboxServer) -> None:
    api = client(sandbox)
    body = json.loads((FIXTURES / "seed003_template_card_variables.json").read_text())
    created = api.create_template(body)
    assert created.template_number and created.template_number.startswith("MM")
    assert created.placeholders == (
        "custermername",
        "consumerno",
        "billamount",
        "duedate",
        "paymentLink",
    )
    assert api.get_template(created.template_id).status == "CREATED"
    body["status"] = "ACTIVE"
    assert api.update_template(created.template_id, body).status == "ACTIVE"
    assert [entry["status"] for entry in api.template_history(created.template_id)] == [
        "CREATED",
        "ACTIVE",
    ]
    with pytest.raises(ApiError, match="ACTIVE template cannot be edited"):
        api.update_template(created.template_id, body)
    api.delete_template(created.template_id)
    with pytest.raises(ApiError) as caught:
        api.get_template(created.template_id)
    assert caught.value.status == 404


@pytest.mark.parametrize(
    ("change", "error_code"),
    [
        (lambda b: b.pop("template_name"), "MISSING_REQUIRED_FIELDS"),
        (lambda b: b.update(template_type="99"), "FIELD_VALUE_ERROR"),
        (lambda b: b.update(template_type="1"), "INVALID_FIELD_VALUES"),
        (
            lambda b: b["rich_card_standalone"]["content"].update(title="x" * 201),
            "MAX_CHAR_LIMIT_EXCEEDED",
        ),
    ],
)
def test_template_errors_are_rcs1104(
    sandbox: SandboxServer, change: object, error_code: str
) -> None:
    body = json.loads((FIXTURES / "seed003_template_card_variables.json").read_text())
    change(body)  # type: ignore[operator]
    with pytest.raises(ApiError) as caught:
        client(sandbox).create_template(body)
    assert (caught.value.code, caught.value.error_code) == ("RCS1104", error_code)


def test_duplicate_template_names_are_refused(sandbox: SandboxServer) -> None:
    body = json.loads((FIXTURES / "seed003_template_text.json").read_text())
    client(sandbox).create_template(body)
    with pytest.raises(ApiError, match="already exists"):
        client(sandbox).create_template(body)


def test_invalid_json_is_rcs701(sandbox: SandboxServer) -> None:
    import requests

    response = requests.post(
        f"{sandbox.url}/v1/S/rcs/template",
        data=b"{nope",
        headers={"api-key": SANDBOX_KEY},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "RCS701"


def test_wrong_method_is_405(sandbox: SandboxServer) -> None:
    import requests

    response = requests.get(
        f"{sandbox.url}/v1/S/rcs/messages", headers={"api-key": SANDBOX_KEY}, timeout=5
    )
    assert (response.status_code, response.json()["code"]) == (405, 1405)


def test_429_with_retry_after_is_retried_for_template_reads_not_for_creates_or_sends(
    sandbox: SandboxServer,
) -> None:
    waits: list[float] = []
    api = KaleyraClient(sandbox.url, "S", SANDBOX_KEY, sleep=waits.append)
    body = json.loads((FIXTURES / "seed003_template_text.json").read_text())
    sandbox.set_faults(Faults(status=429, retry_after=1.5, remaining=1))
    with pytest.raises(RateLimited):  # a create is a send: never repeated on its own
        api.create_template(body)
    assert waits == []
    template_id = api.create_template(body).template_id
    sandbox.set_faults(Faults(status=429, retry_after=1.5, remaining=1))
    assert api.get_template(template_id).template_id == template_id
    assert waits == [1.5]
    sandbox.set_faults(Faults(status=429, retry_after=1.5, remaining=1))
    with pytest.raises(RateLimited) as caught:
        api.send(card_body())
    assert caught.value.retry_after == 1.5
    assert sandbox.send_count == 1
    assert waits == [1.5]


def test_500_and_html_502_and_empty_200(sandbox: SandboxServer) -> None:
    api = client(sandbox)
    sandbox.set_faults(Faults(status=500, remaining=1))
    with pytest.raises(ServerUnavailable, match="Try again"):
        api.send(card_body())
    sandbox.set_faults(Faults(html=True, remaining=1))
    with pytest.raises(BadResponse, match="not Kaleyra's JSON") as caught:
        api.send(card_body())
    assert "502 Bad Gateway" in caught.value.details()
    sandbox.set_faults(Faults(status=200, body="", remaining=1))
    with pytest.raises(BadResponse, match="empty body"):
        api.send(card_body())
    sandbox.set_faults(
        Faults(status=413, body='{"code": 413, "message": "Payload too large"}', remaining=1)
    )
    with pytest.raises(ApiError, match="Payload too large"):
        api.send(card_body())
    assert sandbox.send_count == 4  # one request each, never repeated


@pytest.mark.parametrize("url", ["http://rcs-api.in.kaleyra.io", "ftp://x", "http://10.0.0.5:8080"])
def test_plain_http_is_refused_off_loopback(url: str) -> None:
    with pytest.raises(InsecureUrl):
        KaleyraClient(url, "S", "k")


def test_sandbox_delivery_events_follow_each_send() -> None:
    with SandboxServer(event_delays=(0.0, 0.0, 0.0)) as server:
        body = card_body()
        body["to"] = ["919876543210", "919990001112"]
        result = client(server).send(body)
        ok_id, error_id = result.message_ids["919876543210"], result.message_ids["919990001112"]
        assert [e["type"] for e in server.events(ok_id)] == ["SENT", "DELIVERED", "READ"]
        assert [e["type"] for e in server.events(error_id)] == ["ERROR"]
        event = server.events(ok_id)[0]
        assert (event["from"], event["to"], event["messageId"]) == (
            "919876543210",
            "rcs-dev",
            ok_id,
        )
        import requests

        answer = requests.get(
            f"{server.url}/sandbox/events", params={"messageId": ok_id}, timeout=5
        ).json()
        assert [e["type"] for e in answer["events"]] == ["SENT", "DELIVERED", "READ"]


def test_events_arrive_over_time() -> None:
    now = [1000.0]
    with SandboxServer(event_delays=(1, 2, 3), clock=lambda: now[0]) as server:
        message_id = next(iter(client(server).send(card_body()).message_ids.values()))
        assert server.events(message_id) == []
        now[0] += 2.5
        assert [e["type"] for e in server.events(message_id)] == ["SENT", "DELIVERED"]


def test_export_of_a_draft_sends_as_is(sandbox: SandboxServer) -> None:
    draft = codecs.loads((FIXTURES / "seed001_carousel.json").read_text()).draft
    result = client(sandbox).send(codecs.export_message(draft.message))
    assert list(result.message_ids) == ["917700000931"]


@pytest.mark.parametrize(
    ("status", "code", "error_code", "words"),
    [
        (400, 1400, "MISSING_REQUIRED_FIELD", "found a problem in the message"),
        (405, 1405, "METHOD_NOT_ALLOWED", "does not allow this method"),
        (400, 1417, "INVALID_NUMBER", "recipient number is not valid"),
        (400, 1419, "INVALID_SERVICE_CODE", "Check the sender in Profiles"),
        (400, 1420, "INVALID_TTL", "time to live"),
        (400, 1423, "CHANNEL_UNSUPPORTED", "not supported for this recipient"),
        (405, "RCS405", "METHOD_NOT_ALLOWED", "does not allow this method"),
        (400, "RCS601", "RCS_CHANNEL_DISABLED", "enable the RCS channel"),
        (400, "RCS701", "INVALID_JSON_PAYLOAD", "could not read the JSON"),
        (400, "RCS1104", "MAX_CHAR_LIMIT_EXCEEDED", "refused the template"),
        (500, "RCS502", "RCS_CHANNEL_INTERNAL_ERROR", "gateway had an internal error"),
    ],
)
def test_every_documented_kaleyra_code_reads_as_a_sentence(
    sandbox: SandboxServer, status: int, code: object, error_code: str, words: str
) -> None:
    body = json.dumps(
        {
            "code": code,
            "message": "As Kaleyra words it",
            "error": {"error_code": error_code, "error_message": "As Kaleyra words it"},
        }
    )
    sandbox.set_faults(Faults(status=status, body=body, remaining=1))
    with pytest.raises(ApiError) as caught:
        client(sandbox).send(card_body())
    error = caught.value
    assert (error.status, error.code, error.error_code) == (status, code, error_code)
    assert words in error.user_message()
    assert "As Kaleyra words it" in error.user_message()
    assert sandbox.send_count == 1
