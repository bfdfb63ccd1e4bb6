"""External videos behind a two-click solution: nothing is requested from the video platform until the visitor
explicitly asks for it on the page."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ExternalVideo:
    url: str  # the page on the platform
    embed_url: str  # the player (on a privacy-friendly domain where the platform has one)
    provider: str


def external_video(url: str) -> ExternalVideo | None:
    """The embeddable player for YouTube and Vimeo links; other links are offered as a plain external link."""
    if not url:
        return None
    parsed = urlparse(url)
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parsed.path.strip("/")
        provider, embed = "YouTube", "https://www.youtube-nocookie.com/embed/{}"
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        video_id = parse_qs(parsed.query).get("v", [""])[0] or parsed.path.rsplit("/", 1)[-1]
        provider, embed = "YouTube", "https://www.youtube-nocookie.com/embed/{}"
    elif host == "vimeo.com":
        video_id = parsed.path.strip("/").split("/")[0]
        provider, embed = "Vimeo", "https://player.vimeo.com/video/{}?dnt=1"
    else:
        return ExternalVideo(url=url, embed_url="", provider=host or str(_("external website")))
    if not video_id.replace("-", "").replace("_", "").isalnum():
        return ExternalVideo(url=url, embed_url="", provider=provider)
    return ExternalVideo(url=url, embed_url=embed.format(video_id), provider=provider)
