"""What a fetched image will look like on a phone: its box, and warnings per the reference."""

from __future__ import annotations

from urllib.parse import urlsplit

from rcs_composer.services.media import MediaInfo

THUMBNAIL_ADVICE_BYTES = 100 * 1024  # RBM: thumbnails up to 100 kB
# Width:height the device shows per media box, to judge an image's aspect (preview-spec.md).
BOX_RATIO = {"SHORT": 296 / 112, "MEDIUM": 296 / 168, "TALL": 296 / 264, "HORIZONTAL": 128 / 170}


def media_box(orientation: object = None, height: object = None) -> str:
    """The box an image fills: HORIZONTAL for horizontal cards, else the media height."""
    if str(getattr(orientation, "value", orientation) or "").upper() == "HORIZONTAL":
        return "HORIZONTAL"
    name = str(getattr(height, "value", height) or "SHORT").upper()
    return name if name in BOX_RATIO else "SHORT"


def inspect(
    info: MediaInfo,
    orientation: object = None,
    height: object = None,
    *,
    role: str = "file",
    box: str | None = None,
) -> list[str]:
    """Warnings about one media URL per the reference.

    The box is ``box`` (SHORT/MEDIUM/TALL/HORIZONTAL) or follows from the card's
    ``orientation`` and media ``height``; ``role`` is "file" or "thumbnail".
    """
    box = box or media_box(orientation, height)
    notes = []
    if info.error:
        notes.append(info.error)
    if urlsplit(info.url).scheme == "http":
        notes.append("served over http: devices want https")
    if info.redirected:
        notes.append(f"redirects to {info.final_url}: devices do not follow redirects")
    if info.content_type and not info.content_type.startswith(
        ("image/", "video/", "application/pdf")
    ):
        notes.append(f"content type {info.content_type} is not an image or video")
    if role == "thumbnail" and info.size and info.size > THUMBNAIL_ADVICE_BYTES:
        notes.append(f"thumbnail is {info.size // 1024} kB: devices want at most 100 kB")
    if info.width and info.height and box in BOX_RATIO:
        ratio, wanted = info.width / info.height, BOX_RATIO[box]
        if max(ratio, wanted) / min(ratio, wanted) > 1.6:
            notes.append(f"{info.width}x{info.height} will be cropped a lot in a {box.lower()} box")
    return notes
