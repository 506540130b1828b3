"""Template calls against a hostile stand-in: a create is never repeated on its own, a read
that fails says it changed nothing, and answers are read as the JSON they are."""

from __future__ import annotations

import pytest

from rcs_composer.services.kaleyra import KaleyraClient
from rcs_composer.services.kaleyra_replies import (
    ApiError,
    BadResponse,
    KaleyraError,
    OutcomeUnknown,
    RateLimited,
)
from tests.support.hostile_templates import (
    KEY,
    TemplateServer,
    answer,
    template,
    template_server,
)


def client(server: TemplateServer, **options: object) -> KaleyraClient:
    return KaleyraClient(
        server.url,
        "SID1",
        KEY,
        connect_timeout=1,
        read_timeout=2,
        sleep=lambda _s: None,
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(("status", "wait"), [(503, "1"), (429, "1"), (503, "0")])
def test_a_create_answered_busy_is_posted_once(status: int, wait: str) -> None:
    with template_server() as server:
        server.behaviours["POST"] = lambda _p, _b: answer(
            status, {"code": status, "message": "busy"}, **{"Retry-After": wait}
        )
        with pytest.raises(RateLimited):
            client(server).create_template({"template_name": "promo_dec"})
        assert len(server.made("POST")) == 1


def test_a_read_answered_busy_is_read_again() -> None:
    answers = iter(
        [answer(503, {"code": 503}, **{"Retry-After": "1"}), answer(200, template("t1"))]
    )
    with template_server() as server:
        server.behaviours["GET"] = lambda _p, _b: next(answers)
        assert client(server).get_template("t1").template_id == "t1"
        assert len(server.made("GET")) == 2


@pytest.mark.parametrize("fault", ["drop", "hang"])
def test_a_read_with_no_answer_says_it_changed_nothing(fault: str) -> None:
    with template_server() as server:
        server.behaviours["GET"] = lambda _p, _b: fault
        with pytest.raises(KaleyraError) as caught:
            client(server, deadline=1.5).get_template("t1")
    said = caught.value.user_message()
    assert "could not be read" in said and "try again" in said
    assert "may have been" not in said and "Templates list" not in said
    assert not caught.value.may_have_been_sent


@pytest.mark.parametrize("fault", ["drop", "hang"])
def test_a_create_with_no_answer_names_a_lookup_that_can_work(fault: str) -> None:
    with template_server() as server:
        server.behaviours["POST"] = lambda _p, _b: fault
        with pytest.raises(OutcomeUnknown) as caught:
            client(server, deadline=1.5).create_template({"template_name": "promo_dec"})
        assert len(server.made("POST")) == 1
    said = caught.value.user_message()
    assert "may have been created" in said and "console" in said
    assert "Templates list" not in said


def test_a_null_body_is_not_called_empty() -> None:
    with template_server() as server:
        server.behaviours["GET"] = lambda _p, _b: (200, {}, b"null")
        with pytest.raises(BadResponse) as caught:
            client(server).get_template("t1")
    said = caught.value.user_message()
    assert "empty body" not in said and "null" in said and "could not be read" in said


def test_a_retry_after_of_decades_is_not_read_out_in_seconds() -> None:
    with template_server() as server:
        server.behaviours["GET"] = lambda _p, _b: answer(
            429, {"code": 429}, **{"Retry-After": "1000000000"}
        )
        with pytest.raises(RateLimited) as caught:
            client(server).get_template("t1")
    said = caught.value.user_message()
    assert "1000000000" not in said and "Try again later" in said


@pytest.mark.parametrize("status", [400, 404])
def test_a_refused_read_gives_no_advice_to_fix_the_template(status: int) -> None:
    refusal = {
        "code": "RCS1104",
        "message": "Request invalid",
        "error": {"error_message": "Template not found"},
    }
    with template_server() as server:
        server.behaviours["GET"] = lambda _p, _b: answer(status, refusal)
        with pytest.raises(ApiError) as caught:
            client(server).get_template("t1")
    said = caught.value.user_message()
    assert "Fix the template" not in said and "refused the template" not in said
    assert "Template not found" in said


@pytest.mark.parametrize("content_type", ["text/plain", "text/json", "application/json"])
def test_utf8_json_is_read_as_utf8_whatever_text_type_it_is_served_as(content_type: str) -> None:
    name = "दिवाली ऑफर — 50% off ✨"
    body = template("t1", text=name)
    import json

    with template_server() as server:
        server.behaviours["GET"] = lambda _p, _b: (
            200,
            {"Content-Type": content_type},
            json.dumps(body, ensure_ascii=False).encode(),
        )
        result = client(server).get_template("t1")
    assert result.raw["data"]["text"] == name


def test_an_explicit_charset_is_still_honoured() -> None:
    with template_server() as server:
        server.behaviours["GET"] = lambda _p, _b: (
            200,
            {"Content-Type": "application/json; charset=latin-1"},
            '{"data": {"template_id": "t1", "text": "café"}}'.encode("latin-1"),
        )
        assert client(server).get_template("t1").raw["data"]["text"] == "café"
