"""Web addresses parsed (RFC 3986, RFC 9110 §4.2.1), not prefix-checked, with what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rcs_composer.core.issues import Severity
from rcs_composer.core.records import Record
from rcs_composer.core.rules import RULES

WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_DOTTED_NUMBERS = re.compile(r"[0-9.]+")
_LABEL = re.compile(r"[\w\-]+")  # letters (any script), digits, _ and -: a DNS label or an IDN
_MAX_LABEL, _MAX_HOST = 63, 253  # RFC 1035 §2.3.4
_MAX_PORT = 65535
# Printable ASCII that RFC 3986 allows nowhere unencoded.
_UNSAFE_ASCII = frozenset('<>"{}|\\^`')
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True, eq=False, repr=False)
class UrlFinding(Record):
    """One rule broken by a URL: the rule code and the values its message is filled with."""

    code: str
    values: dict[str, str] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return RULES[self.code].severity is Severity.ERROR

    def sentence(self) -> str:
        return RULES[self.code].message.format(**self.values)


def shown(url: str) -> str:
    """The URL as messages quote it: its start, with invisible characters escaped."""
    return repr(url[:60] + ("…" if len(url) > 60 else ""))


def char_name(char: str) -> str:
    import unicodedata

    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _space_problem(url: str) -> UrlFinding | None:
    if url.isascii() and url.isprintable() and " " not in url:
        # ASCII has no format character, and every control character and white space but
        # the space is unprintable: nothing below can match (and unicodedata is not loaded).
        return None
    import unicodedata

    for index, char in enumerate(url):
        if char.isspace():
            if index == 0:
                where = "at the start"
            elif not url[index:].strip():
                where = "at the end"
            else:
                where = "inside it"
            return UrlFinding("url.whitespace", {"value": shown(url), "where": where})
        if unicodedata.category(char) in ("Cc", "Cf"):
            return UrlFinding("url.control", {"value": shown(url), "where": char_name(char)})
    return None


def _host_problem(url: str, host: str, bracketed: bool) -> UrlFinding | None:
    def bad(why: str) -> UrlFinding:
        return UrlFinding("url.host.invalid", {"value": shown(url), "where": why})

    import ipaddress  # only for a host written as an address: validate starts faster

    if bracketed:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return bad("not an IPv6 address between [ ]")
        return None
    if _DOTTED_NUMBERS.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return bad("not an IPv4 address")
        return None
    name = host[:-1] if host.endswith(".") else host  # a fully qualified name may end in a dot
    if len(name) > _MAX_HOST:
        return bad(f"longer than {_MAX_HOST} characters")
    for label in name.split("."):
        if not label:
            return bad("an empty name between dots")
        if len(label) > _MAX_LABEL:
            return bad(f"a name part longer than {_MAX_LABEL} characters")
        if not _LABEL.fullmatch(label):
            odd = next((c for c in label if not _LABEL.fullmatch(c)), "?")
            return bad(f"{odd!r} cannot appear in a host name")
    return None


def url_findings(url: str, *, scheme_code: str = "media.url.scheme") -> list[UrlFinding]:
    """Every rule ``url`` breaks as a web address a device opens; errors first, then advice.

    ``scheme_code`` is the rule reported for a scheme other than http or https (media and
    links word it differently). An empty URL has no findings: callers report it as missing.
    """
    if not url:
        return []
    problem = _space_problem(url)
    if problem is not None:
        return [problem]
    scheme_match = _SCHEME.match(url)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme not in WEB_SCHEMES:
        return [UrlFinding(scheme_code, {"value": shown(url)})]
    missing_host = UrlFinding("url.host.missing", {"value": shown(url)})
    if not url[len(scheme) + 1 :].startswith("//"):
        return [missing_host]
    try:
        parts = urlsplit(url)
    except ValueError:  # [ ] unclosed, misplaced, or not around an IP address
        where = "square brackets [ ] that do not hold an IPv6 address"
        return [UrlFinding("url.host.invalid", {"value": shown(url), "where": where})]
    authority = parts.netloc.rpartition("@")[2]  # user info, if any, precedes the host
    bracketed = authority.startswith("[")
    if bracketed:
        host = authority[1 : authority.find("]")] if "]" in authority else ""
        rest = authority[len(host) + 2 :]
    else:
        host = authority.partition(":")[0]
        rest = authority[len(host) :]
    if not host:
        return [missing_host]
    host_problem = _host_problem(url, host, bracketed)
    if host_problem is not None:
        return [host_problem]
    port = rest[1:]
    if rest and (
        not rest.startswith(":")
        or (port and not (port.isascii() and port.isdigit() and 1 <= int(port) <= _MAX_PORT))
    ):
        return [UrlFinding("url.port.invalid", {"value": shown(url)})]
    findings: list[UrlFinding] = []
    unsafe = sorted({char for char in url if char in _UNSAFE_ASCII})
    if _PERCENT.search(url):
        unsafe.append("a % not followed by two hex digits")
    if unsafe:
        listed = ", ".join(repr(char) if len(char) == 1 else char for char in unsafe)
        findings.append(UrlFinding("url.character", {"value": shown(url), "where": listed}))
    return findings


def url_problem(url: str, *, link: bool = False) -> str | None:
    """What is wrong with ``url`` as a web address, as the sentence the validator shows; None if
    it parses as an http or https URL with a valid host and port.

    Advice (plain http, characters browsers tolerate) is not a problem here: such a URL can
    still be fetched. ``link`` words a wrong scheme as for an Open URL chip instead of media.
    """
    if not url:
        return RULES["media.url.missing" if not link else "open_url.url.missing"].message
    scheme_code = "open_url.url.scheme" if link else "media.url.scheme"
    for finding in url_findings(url, scheme_code=scheme_code):
        if finding.is_error:
            return finding.sentence()
    return None
