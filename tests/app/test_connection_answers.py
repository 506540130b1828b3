"""The connection test's reading of answers and failures that loopback cannot produce: a real
pod's shapes, an offline computer, a proxy's error page."""

from __future__ import annotations

import errno
import json

import pytest
import requests

from rcs_composer.app.connection import Verdict, _judge
from rcs_composer.services.kaleyra import ProbeAnswer, probe_failure
from rcs_composer.services.profiles import Profile

IN_POD = Profile(name="acme", pod="IN", sid="HXAP16")


def answer(status: int, body: object = None, **headers: str) -> ProbeAnswer:
    text = json.dumps(body) if body is not None else ""
    return ProbeAnswer(status, headers, body, text)


@pytest.mark.parametrize(
    ("status", "body", "verdict", "words"),
    [
        (
            404,
            {
                "code": "RCS1104",
                "message": "Template not found.",
                "error": {"error_code": "TEMPLATE_NOT_FOUND", "error_message": "No template"},
            },
            Verdict.ACCEPTED,
            "Key accepted by rcs-api.in.kaleyra.io",
        ),
        (401, {"code": 401, "message": "Unauthorized"}, Verdict.KEY_REFUSED, "HTTP 401"),
        (403, None, Verdict.KEY_REFUSED, "limited to certain IP addresses"),
        (404, {"message": "Not Found"}, Verdict.WRONG_ADDRESS, "not as Kaleyra's RCS API"),
        (405, None, Verdict.WRONG_ADDRESS, "check the pod or base URL"),
        (200, None, Verdict.WRONG_ADDRESS, "not as Kaleyra's RCS API"),
        (429, None, Verdict.UNEXPECTED, "limiting the request rate"),
        (502, None, Verdict.UNEXPECTED, "a proxy on the way had a problem (HTTP 502)"),
        (418, {"teapot": True}, Verdict.UNEXPECTED, "unexpected answer (HTTP 418)"),
    ],
    ids=["404-kaleyra", "401", "403", "404-other", "405", "200-empty", "429", "502", "418"],
)
def test_answers_of_a_real_pod(status: int, body: object, verdict: Verdict, words: str) -> None:
    check = _judge(answer(status, body), "rcs-api.in.kaleyra.io", IN_POD)
    assert check.verdict is verdict
    assert words in check.message


def test_a_redirect_is_a_wrong_address_and_names_where() -> None:
    check = _judge(
        answer(302, None, Location="https://login.example/"), "rcs-api.in.kaleyra.io", IN_POD
    )
    assert check.verdict is Verdict.WRONG_ADDRESS
    assert "https://login.example/" in check.message


def chained(outer: Exception, cause: BaseException) -> Exception:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (
            chained(requests.exceptions.ConnectionError("x"), OSError(errno.ENETUNREACH, "x")),
            "no_network",
        ),
        (
            chained(requests.exceptions.ConnectionError("x"), OSError(errno.EHOSTUNREACH, "x")),
            "no_network",
        ),
        (requests.exceptions.ConnectTimeout("x"), "timeout"),
        (requests.exceptions.ReadTimeout("x"), "timeout"),
        (requests.exceptions.SSLError("x"), "tls"),
        (chained(requests.exceptions.ConnectionError("x"), ConnectionRefusedError()), "refused"),
        (requests.exceptions.ConnectionError("x"), "connection"),
    ],
    ids=["net-unreachable", "host-unreachable", "connect-timeout", "read-timeout", "tls",
         "refused", "other"],
)  # fmt: skip
def test_failures_are_named(error: Exception, kind: str) -> None:
    named, sentence = probe_failure(error, "https://rcs-api.in.kaleyra.io")
    assert named == kind
    assert "rcs-api.in.kaleyra.io" in sentence
