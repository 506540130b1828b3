"""What validation reports: a problem at a JSONPath in the message body, with its rule's source."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rcs_composer.core.records import Record


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Region(StrEnum):
    """Where the Kaleyra account sends; some limits differ (India pod, North America pod)."""

    IN = "IN"
    NA = "NA"


@dataclass(frozen=True, eq=False, repr=False)  # ==, hash() and repr() from Record
class Issue(Record):
    """One problem validation found: severity, where, rule code, a sentence and its source."""

    severity: Severity
    # JSONPath into the message body, as Kaleyra writes it: $.richCardStandalone.content.title
    path: str
    code: str  # stable, e.g. "card.title.too_long"
    message: str  # a sentence a person understands
    source: str  # where the rule comes from (seed, Kaleyra page, RBM)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_json(self) -> dict[str, str]:
        return {
            "path": self.path,
            "code": self.code,
            "message": self.message,
            "source": self.source,
        }
