"""Every documented limit and advice, as one table of named rules with the source of each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rcs_composer.core.issues import Region, Severity

E, W = Severity.ERROR, Severity.WARNING

K_SPEC = "K:rcs-payload-specification"
SEED_000 = "seed 000 (send a standalone rich card)"
SEED_001 = "seed 001 (send a carousel)"
SEED_003 = "seed 003 (create a template)"
RBM = "RBM AgentContentMessage reference"
K_SUGGESTIONS = "K:suggestions reference and RBM (a reply is text + postbackData only)"
SINCH = "Sinch, quoting Google's rich card guide"


@dataclass(frozen=True)
class Rule:
    """One rule: a stable code, its severity, its limit (per region where it differs), its source.

    ``message`` is a format string; validation fills ``{limit}``, ``{count}``, ``{value}``.
    """

    code: str
    severity: Severity
    source: str
    message: str
    limits: Mapping[Region | None, int] = field(default_factory=dict)

    def limit(self, region: Region | None) -> int:
        """The limit for ``region``; with no region, the stricter of the regional values."""
        if region in self.limits:
            return self.limits[region]
        return min(self.limits.values())


def _limit(value: int) -> dict[Region | None, int]:
    return {None: value}


def _regional(india: int, north_america: int) -> dict[Region | None, int]:
    return {Region.IN: india, Region.NA: north_america}


_RULES = [
    # envelope
    Rule(
        "envelope.from.missing",
        E,
        SEED_000,
        "The sender (from) is missing: it is the agent's service code, set in the profile.",
    ),
    Rule("envelope.to.missing", E, SEED_000, "There are no recipients: add at least one number."),
    Rule(
        "envelope.to.too_many",
        E,
        SEED_000,
        "{count} recipients; Kaleyra takes at most {limit} in one send.",
        _limit(100),
    ),
    Rule(
        "envelope.to.format",
        E,
        SEED_000,
        "Recipient {value} must be digits only with the country code and no '+', "
        "for example 919876543210.",
    ),
    Rule("envelope.to.invalid", E, SEED_000, "Recipient {value} is not a possible phone number."),
    Rule(
        "envelope.to.unlikely",
        W,
        SEED_000,
        "Recipient {value} does not look like a number in use; check it.",
    ),
    Rule("envelope.to.duplicate", W, SEED_000, "Recipient {value} is listed more than once."),
    Rule(
        "envelope.ttl.invalid",
        E,
        "K:rcs-api-messages-api-error-responses (1420 INVALID_TTL)",
        "The time to live must be a positive number of seconds.",
    ),
    Rule(
        "message.too_large",
        E,
        RBM,
        "The message is {count} kB once serialized; the limit is {limit} kB.",
        _limit(250),
    ),
    # text and file
    Rule("text.empty", E, "K:send-a-plain-text-message", "The message text is empty."),
    Rule(
        "text.too_long",
        E,
        K_SPEC,
        "The text is {count} characters; Kaleyra allows at most {limit} here.",
        _regional(2500, 2000),
    ),
    Rule(
        "template.text.too_long",
        E,
        SEED_003,
        "Template text is {count} characters; templates allow at most {limit}.",
        _limit(2000),
    ),
    Rule("file.url.missing", E, "K:sent-a-file-message", "The file needs a file URL."),
    # cards
    Rule(
        "card.orientation.missing",
        E,
        SEED_000,
        "Choose a card orientation: vertical or horizontal.",
    ),
    Rule("card.empty", E, RBM, "A card needs at least a title, a description or media."),
    Rule(
        "card.title.too_long",
        E,
        "seeds 000/001, RBM CardContent",
        "The title is {count} characters; Kaleyra allows at most {limit}.",
        _limit(200),
    ),
    Rule(
        "card.description.too_long",
        E,
        "seeds 000/001, RBM",
        "The description is {count} characters; Kaleyra allows at most {limit}.",
        _limit(2000),
    ),
    Rule(
        "card.suggestions.too_many",
        E,
        K_SPEC + " (RBM's newer model says 10)",
        "{count} suggestions on one card; Kaleyra allows at most {limit}.",
        _limit(4),
    ),
    Rule(
        "card.suggestions.crowded",
        W,
        "RBM, " + SINCH,
        "{count} suggestions under {value} media may be cut on small screens; "
        "at most {limit} fit safely.",
    ),
    Rule(
        "card.alignment.vertical",
        W,
        "RBM (seed 003's own sample sets it)",
        "Thumbnail alignment only applies to horizontal cards; devices ignore it here.",
    ),
    Rule(
        "card.alignment.missing",
        E,
        RBM,
        "A horizontal card needs a thumbnail alignment: LEFT or RIGHT.",
    ),
    Rule(
        "media.height.horizontal",
        W,
        RBM,
        "Media height is ignored on horizontal cards: the image is a fixed-width thumbnail.",
    ),
    Rule(
        "media.height.missing",
        W,
        "Dialogflow RBM types, Google's rich card guide",
        "No media height: devices use SHORT (112 dp).",
    ),
    Rule("media.file.missing", E, SEED_000, "Media needs a file with a file URL."),
    Rule("media.url.missing", E, SEED_000, "The media needs a file URL."),
    Rule(
        "media.url.scheme",
        E,
        RBM,
        "{value} is not a web address: media must be a public https URL.",
    ),
    Rule(
        "media.url.insecure",
        W,
        RBM,
        "{value} uses http: devices may refuse media that is not served over https.",
    ),
    Rule(
        "url.too_long",
        E,
        "K, " + SEED_000,
        "The URL is {count} characters; Kaleyra allows at most {limit} here.",
        _regional(2048, 4000),
    ),
    # carousel
    Rule(
        "carousel.cards.too_few",
        E,
        SEED_001 + ", RBM",
        "A carousel needs at least {limit} cards; it has {count}.",
        _limit(2),
    ),
    Rule(
        "carousel.cards.too_many",
        E,
        SEED_001 + ", RBM",
        "A carousel takes at most {limit} cards; it has {count}.",
        _limit(10),
    ),
    Rule(
        "carousel.tall_small",
        E,
        "Dialogflow RBM types, AWS",
        "TALL media is not allowed in a carousel of SMALL cards: choose SHORT or MEDIUM.",
    ),
    Rule(
        "carousel.tall_medium",
        W,
        "AWS End User Messaging RCS",
        "TALL media in a carousel may be refused by some devices: prefer SHORT or MEDIUM.",
    ),
    # suggestions
    Rule(
        "chips.too_many",
        E,
        "K, RBM",
        "{count} chips below the message; Kaleyra allows at most {limit}.",
        _limit(11),
    ),
    Rule("suggestion.text.missing", E, "K, RBM", "The chip needs a label."),
    Rule(
        "suggestion.text.too_long",
        E,
        "K, RBM",
        "The chip label is {count} characters; at most {limit} are shown.",
        _limit(25),
    ),
    Rule(
        "suggestion.postback.missing",
        E,
        SEED_000 + ", RBM",
        "The chip needs postback data: your system receives it when the chip is tapped.",
    ),
    Rule(
        "suggestion.postback.too_long",
        E,
        RBM,
        "The postback data is {count} characters; the limit is {limit}.",
        _limit(2048),
    ),
    Rule(
        "suggestion.postback.long",
        W,
        "K (400 for the API, 120 in the IN console)",
        "The postback data is {count} characters; Kaleyra's pages advise at most {limit}.",
        _limit(400),
    ),
    Rule(
        "reply.url.ignored",
        W,
        K_SUGGESTIONS,
        "A reply chip cannot open a link: devices ignore this URL. "
        "Use an action chip with Open URL to open {value}.",
    ),
    Rule(
        "action.missing",
        E,
        "K, RBM",
        "The action chip needs an action: open URL, dial, view location, calendar event "
        "or share location.",
    ),
    Rule("open_url.url.missing", E, SEED_000, "The Open URL action needs a URL."),
    Rule("open_url.url.scheme", E, "RBM (RFC 3986 URL)", "{value} is not an http or https URL."),
    Rule("open_url.url.insecure", W, "RBM", "{value} uses http: prefer https."),
    Rule(
        "open_url.webview_mode.browser",
        W,
        RBM,
        "The webview mode only applies when the URL opens in a WEBVIEW.",
    ),
    Rule(
        "open_url.webview_mode.missing",
        W,
        RBM,
        "Choose a webview mode (FULL, HALF or TALL) for a URL that opens in a WEBVIEW.",
    ),
    Rule("dial.phone.missing", E, "K, RBM", "The dial action needs a phone number."),
    Rule(
        "dial.phone.format",
        E,
        RBM,
        "{value} must be in international format with '+' and the country code, "
        "for example +919876543210.",
    ),
    Rule("dial.phone.invalid", E, RBM, "{value} is not a possible phone number."),
    Rule("dial.phone.unlikely", W, RBM, "{value} does not look like a number in use; check it."),
    Rule(
        "location.missing",
        E,
        RBM,
        "The location needs a latitude and longitude, or a search query.",
    ),
    Rule("location.lat_long.incomplete", E, RBM, "Give both a latitude and a longitude."),
    Rule("location.latitude.range", E, RBM, "Latitude {value} must be between -90 and 90."),
    Rule("location.longitude.range", E, RBM, "Longitude {value} must be between -180 and 180."),
    Rule(
        "location.label.too_long",
        E,
        "K",
        "The location label is {count} characters; at most {limit}.",
        _limit(200),
    ),
    Rule(
        "location.query.too_long",
        E,
        "K",
        "The location query is {count} characters; at most {limit}.",
        _limit(2000),
    ),
    Rule("calendar.time.missing", E, RBM, "The calendar event needs a {value} time."),
    Rule(
        "calendar.time.format",
        E,
        "RBM (RFC 3339)",
        "{value} is not an RFC 3339 time such as 2026-12-05T10:30:00Z.",
    ),
    Rule("calendar.time.order", E, RBM, "The event ends before it starts."),
    Rule("calendar.title.missing", E, RBM, "The calendar event needs a title."),
    Rule(
        "calendar.title.too_long",
        E,
        "K (200 US, 2048 IN)",
        "The event title is {count} characters; Kaleyra allows at most {limit} here.",
        _regional(2048, 200),
    ),
    Rule(
        "calendar.title.long",
        W,
        RBM,
        "The event title is {count} characters; Google's limit is {limit}.",
        _limit(100),
    ),
    Rule("calendar.description.missing", E, RBM, "The calendar event needs a description."),
    Rule(
        "calendar.description.too_long",
        E,
        RBM,
        "The event description is {count} characters; the limit is {limit}.",
        _limit(500),
    ),
    # templates
    Rule("template.name.missing", E, SEED_003, "The template needs a name."),
    Rule(
        "template.name.format",
        E,
        SEED_003,
        "Template names use only letters, digits and _ (no spaces), 1 to {limit} characters.",
        _limit(20),
    ),
    Rule("template.agent_number.missing", E, SEED_003, "The template needs the agent number."),
    Rule(
        "template.status.unknown",
        E,
        SEED_003,
        "{value} is not a template status: use CREATED, ACTIVE, DRAFT or SUBMITTEDFORAPPROVAL.",
    ),
    Rule(
        "template.status.region",
        E,
        SEED_003,
        "{value} is only for Vi agents in India; use CREATED or ACTIVE here.",
    ),
    Rule("payload.shape", E, "Kaleyra payload shape", "{value}"),
]

RULES: Mapping[str, Rule] = {rule.code: rule for rule in _RULES}

# Suggestions a card shows safely per media height (preview-spec.md "in-card suggestions").
SAFE_SUGGESTIONS_BY_HEIGHT: Mapping[str, int] = {"TALL": 1, "MEDIUM": 2, "SHORT": 3}
