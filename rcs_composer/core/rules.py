"""Every documented limit and advice, as one table of named rules with the source of each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rcs_composer.core.issues import Region, Severity
from rcs_composer.core.records import Record

E, W = Severity.ERROR, Severity.WARNING

K_SPEC = "K:rcs-payload-specification"
SEED_000 = "seed 000 (send a standalone rich card)"
SEED_001 = "seed 001 (send a carousel)"
SEED_003 = "seed 003 (create a template)"
RBM = "RBM AgentContentMessage reference"
K_SUGGESTIONS = "K:suggestions reference and RBM (a reply is text + postbackData only)"
SINCH = "Sinch, quoting Google's rich card guide"
RFC_3986 = "RFC 3986 (URI syntax), RFC 9110 §4.2.1 (an http(s) URI has a host)"
RFC_3339 = (
    "RFC 3339, as protobuf Timestamp parses it (upper-case T and Z, at most 9 fractional digits)"
)
E164 = "RBM DialAction (E.164: '+' then at most 15 digits), ITU-T E.164"
DIALOGFLOW_BYTES = "Dialogflow RBM types (RbmCardContent counts bytes)"
SEED_VARIABLES = SEED_003 + ", dynamic variables: {{variableName}}"
RBM_RETENTION = "RBM send guide (undelivered messages are deleted 30 days after they were sent)"
RFC_8259 = "RFC 8259 §4 (names within an object should be unique)"


@dataclass(frozen=True, eq=False, repr=False)
class Rule(Record):
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


def _by_region(default: int, india: int, north_america: int) -> dict[Region | None, int]:
    """A limit that, with no region given, is not the stricter regional one but ``default``."""
    return {None: default, Region.IN: india, Region.NA: north_america}


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
        # Seed 000 also allows "a URI-like identification" but documents no form of it, so
        # tel: URIs and other forms are refused rather than sent unchecked.
        SEED_000 + " (digits with country code; no URI form is documented)",
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
        "envelope.ref.too_long",
        E,
        K_SPEC + " (MAX_SIZE_REFERENCE_KEYS: Ref1, Ref2 and Ref3, 255 each, US and IN)",
        "{value} is {count} characters; Kaleyra allows at most {limit} for each reference.",
        _limit(255),
    ),
    Rule(
        "envelope.ttl.invalid",
        E,
        "K:rcs-api-messages-api-error-responses (1420 INVALID_TTL)",
        "The time to live must be a positive number of seconds.",
    ),
    Rule(
        "envelope.ttl.beyond_retention",
        W,
        RBM_RETENTION,
        "The time to live is {count:,} seconds, but RBM deletes a message it could not deliver "
        "{limit:,} seconds (30 days) after it was sent: anything longer acts as 30 days.",
        _limit(30 * 24 * 60 * 60),
    ),
    Rule(
        "message.too_large",
        E,
        RBM,
        "The message is {count} kB once serialized; the limit is {limit} kB.",
        _limit(250),
    ),
    # text and file
    Rule(
        "issues.too_many",
        E,
        "rcs-composer (a check stops there, so a hostile file cannot take minutes)",
        "More problems than these {limit}: fix them, then check again for the rest.",
    ),
    Rule(
        "text.control",
        E,
        "Unicode category Cc (control characters; a phone draws none of them, or a box)",
        "The text holds an invisible control character ({where}): remove it.",
    ),
    Rule(
        "text.empty",
        E,
        "K:send-a-plain-text-message",
        "Type the message text: a text message cannot be empty.",
    ),
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
    Rule(
        "file.url.missing",
        E,
        "K:sent-a-file-message",
        "Add the file address: the public https URL of the file to send.",
    ),
    # cards
    Rule(
        "card.orientation.missing",
        E,
        SEED_000,
        "Choose the card's orientation: vertical or horizontal.",
    ),
    Rule("card.empty", E, RBM, "Add a title, a description or an image: this card is empty."),
    Rule(
        "card.text.missing",
        E,
        'seeds 000/001 (title and description marked mandatory; seed 000 sends "")',
        "Add a title or a description: Kaleyra requires them on every card.",
    ),
    Rule(
        "card.horizontal.media_only",
        E,
        "RBM general_purpose_card.proto",
        "A horizontal card needs a title, a description or suggestions besides its media.",
    ),
    Rule(
        "card.title.bytes",
        W,
        DIALOGFLOW_BYTES + "; Kaleyra counts 200 characters",
        "The title fits Kaleyra's 200 characters but takes {count} bytes (accents, other "
        "scripts and emoji take 2 to 4 each); Google allows {limit}, so some phones may cut it.",
        _limit(200),
    ),
    Rule(
        "card.description.bytes",
        W,
        DIALOGFLOW_BYTES + "; Kaleyra counts 2000 characters",
        "The description fits Kaleyra's 2000 characters but takes {count} bytes (accents, other "
        "scripts and emoji take 2 to 4 each); Google allows {limit}, so some phones may cut it.",
        _limit(2000),
    ),
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
        E,
        "seeds 000/001 (media height marked mandatory); devices would use SHORT (112 dp)",
        "Choose a media height: SHORT, MEDIUM or TALL. Kaleyra requires it.",
    ),
    Rule("media.file.missing", E, SEED_000, "Add the image address, or untick the media."),
    Rule(
        "media.url.missing",
        E,
        SEED_000,
        "Add the image address: the public https URL of the picture or video.",
    ),
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
        "url.whitespace",
        E,
        RFC_3986,
        "{value} has a space or line break {where}: a URL cannot hold one "
        "(write a space inside the address as %20).",
    ),
    Rule(
        "url.control",
        E,
        RFC_3986,
        "{value} holds an invisible control character ({where}): remove it.",
    ),
    Rule(
        "url.host.missing",
        E,
        RFC_3986,
        "{value} has no host: name the site after the //, as in https://example.com/a.jpg.",
    ),
    Rule(
        "url.host.invalid",
        E,
        RFC_3986,
        "{value} does not have a valid host ({where}).",
    ),
    Rule(
        "url.port.invalid",
        E,
        RFC_3986,
        "{value} has an invalid port: a port is a number from 1 to 65535.",
    ),
    Rule(
        "url.character",
        W,
        RFC_3986 + "; browsers tolerate them, devices may not",
        "{value} holds {where}, which a URL should carry percent-encoded.",
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
    Rule(
        "suggestion.text.missing",
        E,
        "K, RBM",
        "Add the label: the words people see on the suggestion.",
    ),
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
        "Add the postback data: what your system receives when the suggestion is tapped "
        "(for example, interested).",
    ),
    Rule(
        "suggestion.postback.too_long",
        E,
        # MAX_SIZE_POSTBACK_DATA: US 1800, IN 120, "validated by Kaleyra" 2048; its text says 120
        # is the console's limit and 400 the API's. The IN column's 120 is a console limit, so
        # the hard limit in India is the 2048 Kaleyra validates (and RBM's); 120 is advice there.
        # With no region, the stricter of the two, as every other limit.
        K_SPEC + " (MAX_SIZE_POSTBACK_DATA: US 1800; 2048 validated by Kaleyra), RBM 2048",
        "The postback data is {count} characters; the limit is {limit}.",
        _regional(2048, 1800),
    ),
    Rule(
        "suggestion.postback.long",
        W,
        K_SPEC + " (400 for API requests; the IN column's 120 is its console's limit)",
        "The postback data is {count} characters; Kaleyra's pages advise at most {limit}.",
        _by_region(400, 120, 400),
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
        "Choose what the suggestion does: open URL, dial, view location, calendar event "
        "or share location.",
    ),
    Rule(
        "open_url.url.missing",
        E,
        SEED_000,
        "Add the link the suggestion opens, such as https://example.com/offer.",
    ),
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
    Rule(
        "dial.phone.missing",
        E,
        "K, RBM",
        "Add the phone number to call: + and the country code, for example +919876543210.",
    ),
    Rule(
        "dial.phone.format",
        E,
        E164,
        "{value} must be '+' and the country code and number in digits only, with no spaces, "
        "letters or extension, for example +919876543210.",
    ),
    Rule("dial.phone.invalid", E, RBM, "{value} is not a possible phone number."),
    Rule("dial.phone.unlikely", W, RBM, "{value} does not look like a number in use; check it."),
    Rule(
        "location.missing",
        E,
        RBM,
        "Add a latitude and longitude, or a search query, for the location.",
    ),
    Rule(
        "location.lat_long.incomplete",
        E,
        RBM,
        "Add both the latitude and the longitude, for example 12.9716 and 77.5946.",
    ),
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
    Rule("calendar.time.missing", E, RBM, "Add the event's {value} time."),
    Rule(
        "calendar.time.format",
        E,
        RFC_3339,
        "{value} is not a complete date and time: type it as 2026-12-05 10:30 (UTC); in a "
        "file, write 2026-12-05T10:30:00Z or 2026-12-05T10:30:00+05:30 (upper-case T and Z, "
        "at most 9 digits after the seconds).",
    ),
    Rule("calendar.time.order", E, RBM, "The event ends before it starts."),
    Rule("calendar.title.missing", E, RBM, "Add the event's title."),
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
    Rule("calendar.description.missing", E, RBM, "Add the event's description."),
    Rule(
        "calendar.description.too_long",
        E,
        K_SPEC + " (MAX_SIZE_EVENT_DESCRIPTION: 2000 US, 2048 IN)",
        "The event description is {count} characters; Kaleyra allows at most {limit} here.",
        _regional(2048, 2000),
    ),
    Rule(
        "calendar.description.long",
        W,
        RBM,
        "The event description is {count} characters; Google's limit is {limit}.",
        _limit(500),
    ),
    # templates
    Rule("template.name.missing", E, SEED_003, "Type a name for the template."),
    Rule(
        "template.name.format",
        E,
        SEED_003,
        "Template names use only letters, digits and _ (no spaces), 1 to {limit} characters.",
        _limit(20),
    ),
    Rule(
        "template.name.returned_long",
        W,
        SEED_003 + " (its own dynamic-variable response returns a 35-character name)",
        "Kaleyra returned a template name of {count} characters; its rules say at most {limit}, "
        "so a new template of that name would be refused.",
        _limit(20),
    ),
    Rule(
        "template.agent_number.missing",
        E,
        SEED_003,
        "Add the agent number: it is set in the profile.",
    ),
    Rule(
        "template.type.missing",
        E,
        SEED_003 + " (template_type marked mandatory)",
        'The template needs a template_type: "1" text, "3" file, "4" rich card, "5" carousel.',
    ),
    Rule(
        "template.type.number",
        W,
        SEED_003 + " (template_type is a String)",
        'template_type is the number {value}; Kaleyra documents a string: write "{value}".',
    ),
    Rule(
        "template.status.missing",
        E,
        SEED_003 + " (status marked mandatory)",
        "The template needs a status: CREATED or ACTIVE (DRAFT or SUBMITTEDFORAPPROVAL for Vi "
        "agents in India).",
    ),
    Rule(
        "template.status.unknown",
        E,
        SEED_003 + " (four statuses; APPROVED only comes back from Kaleyra)",
        "{value} is not a template status: use CREATED, ACTIVE, DRAFT or SUBMITTEDFORAPPROVAL.",
    ),
    Rule(
        "template.status.region",
        E,
        SEED_003,
        "{value} is only for Vi agents in India; use CREATED or ACTIVE here.",
    ),
    # keys and variables
    Rule(
        "key.unknown",
        W,
        "seeds 000/001/003 and RBM (the keys each object documents)",
        "{value} is not a key Kaleyra documents here; it is kept as written.{where}",
    ),
    Rule(
        "key.duplicate",
        W,
        RFC_8259,
        "The key {value} appears {count} times in this object; only the last one is read.",
    ),
    Rule(
        "variable.empty",
        W,
        SEED_VARIABLES,
        "{{{{}}}} has no variable name: write {{{{name}}}}, or remove the braces.",
    ),
    Rule(
        "variable.malformed",
        W,
        SEED_VARIABLES,
        "{value} is not a variable name: use letters, digits, _ . and - only, as in "
        "{{{{billAmount}}}}.",
    ),
    Rule(
        "variable.unbalanced",
        W,
        SEED_VARIABLES,
        "A {value} has no partner: a variable is written {{{{name}}}}.",
    ),
    Rule(
        "variable.nested",
        W,
        SEED_VARIABLES,
        "Braces around a variable ({value}): only the innermost {{{{name}}}} is filled in, "
        "the other braces go out as text around its value: write {{{{name}}}} once.",
    ),
    # variable rows (a CSV or Excel file of values, one message per row)
    Rule(
        "row.variable.unmapped",
        E,
        SEED_VARIABLES,
        "{{{{{value}}}}} has no column: map it to one, or every row goes out with the braces.",
    ),
    Rule(
        "row.cell.empty",
        E,
        SEED_VARIABLES,
        "{{{{{value}}}}} is empty in this row (column {where}): the message would go out with "
        "the braces.",
    ),
    Rule(
        "row.value.variable",
        E,
        SEED_VARIABLES,
        "The value of {{{{{value}}}}} holds {where} itself: it would go out with the braces.",
    ),
    Rule(
        "row.cell.formula",
        W,
        "ours: spreadsheet formulas are read as the text written, never calculated",
        "{{{{{value}}}}} is a formula ({where}): the message gets the formula's text, not its "
        "result.",
    ),
    Rule(
        "row.card.cut",
        W,
        "Sinch (quoting Google): too-tall card content is cut in this order",
        "With this row's values the card is taller than phones allow: they cut it.",
    ),
    Rule(
        "row.recipient.missing",
        W,
        SEED_000,
        "the cell (column {where}) is empty: this row cannot be test-sent.",
    ),
    Rule(
        "row.recipient.invalid",
        E,
        SEED_000,
        "{value} (column {where}) is not a phone number: {why}",
    ),
    Rule("payload.shape", E, "Kaleyra payload shape", "{value}"),
]

RULES: Mapping[str, Rule] = {rule.code: rule for rule in _RULES}

# Suggestions a card shows safely per media height (preview-spec.md "in-card suggestions").
SAFE_SUGGESTIONS_BY_HEIGHT: Mapping[str, int] = {"TALL": 1, "MEDIUM": 2, "SHORT": 3}
