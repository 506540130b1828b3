"""A custom base URL whose host only looks like Kaleyra's (``kаleyra.io`` with a Cyrillic а)
is refused, the character named and the host's ASCII (xn--) form offered: by ``profile add``
and when a hand-edited profiles.json holds one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rcs_composer.cli import main

HOMOGRAPH = "https://rcs-api.in.k\u0430leyra.io"  # U+0430 CYRILLIC SMALL LETTER A
NAMED = "character 13 of the host rcs-api.in.k\u0430leyra.io is U+0430 CYRILLIC SMALL LETTER A"
ASCII_FORM = "https://rcs-api.in.xn--kleyra-3nf.io"
CARD = str(Path(__file__).parent.parent / "fixtures" / "seed000_standalone_card.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys: pytest.CaptureFixture[str], base_url: str) -> tuple[int, str, str]:
    return run(capsys, "profile", "add", "p", "--pod", "custom", "--base-url", base_url,
               "--sid", "S1", "--sender", "acme")  # fmt: skip


def test_profile_add_refuses_a_lookalike_host_and_offers_its_ascii_form(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = add(capsys, HOMOGRAPH)
    assert code == 1
    assert out == ""
    assert NAMED in err
    assert f"write its ASCII form: {ASCII_FORM}" in err
    assert "\np\t" not in run(capsys, "profile", "list")[1]  # nothing was saved

    code, _, err = add(capsys, ASCII_FORM)  # as the sentence says: saved, shown as it goes
    assert code == 0, err
    assert f"p\tcustom\tIN\tacme\t{ASCII_FORM}" in run(capsys, "profile", "list")[1]


@pytest.mark.parametrize(
    ("base_url", "said"),
    [
        ("https://RCS-API.in.k\u0430leyra.io:8443/proxy", f"{ASCII_FORM}:8443/proxy"),
        ("https://b\u00fccher.example", "U+00FC LATIN SMALL LETTER U WITH DIAERESIS"),
        ("https://rcs-api\uff0ein.kaleyra.io", "https://rcs-api.in.kaleyra.io"),
        ("https://x\u200b.example", "U+200B ZERO WIDTH SPACE"),
        ("https://" + "\u0430" * 70 + ".io", "Write the host in plain ASCII."),
    ],
)
def test_any_host_outside_ascii_is_refused_by_name(
    capsys: pytest.CaptureFixture[str], base_url: str, said: str
) -> None:
    code, _, err = add(capsys, base_url)
    assert code == 1
    assert "not plain ASCII" in err
    assert said in err


def test_a_hand_edited_lookalike_profile_is_never_used(
    capsys: pytest.CaptureFixture[str], isolated_dirs: Path
) -> None:
    evil = {"name": "evil", "pod": "custom", "base_url": HOMOGRAPH, "sid": "S1", "sender": "x"}
    (isolated_dirs / "config" / "profiles.json").write_text(
        json.dumps({"version": 1, "profiles": [evil]}, ensure_ascii=False), encoding="utf-8"
    )
    code, out, err = run(capsys, "profile", "list")
    assert code == 0
    assert "evil" not in out and "k\u0430leyra" not in out
    assert "Profile 'evil' is not used" in err and NAMED in err and ASCII_FORM in err

    code, out, err = run(capsys, "send", CARD, "--profile", "evil", "--recipient", "919876543210")
    assert code == 2
    assert out == ""
    assert "Profile 'evil' is not used" in err and NAMED in err  # not a DNS lookup of it
    assert "DNS" not in err
    kept = json.loads((isolated_dirs / "config" / "profiles.json").read_text(encoding="utf-8"))
    assert kept["profiles"] == [evil]
