"""Who may reach the served app: loopback addresses, the page login, and the API key of /v1."""

from __future__ import annotations

import hmac
import ipaddress
from pathlib import Path

from .config import Settings
from .errors import SettingsError


def is_loopback(host: str) -> bool:
    """Whether host is an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:  # any other host name may resolve to a public address
        return False


def read_auth(settings: Settings) -> tuple[str, str] | None:
    """The (user, password) login from --auth or --auth-file, or None when neither is set."""
    if settings.auth_file:
        try:
            lines = Path(settings.auth_file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(
                f"Cannot read the auth file {settings.auth_file}: {exc.__class__.__name__}. "
                "Give a UTF-8 file whose first line is USER:PASSWORD."
            ) from None
        return _parse_login(lines[0] if lines else "", f"The first line of {settings.auth_file}")
    if settings.auth:
        return _parse_login(settings.auth, "--auth")
    return None


def _parse_login(text: str, where: str) -> tuple[str, str]:
    user, _, password = text.strip().partition(":")
    if not user or not password:
        raise SettingsError(f"{where} must be USER:PASSWORD with neither part empty.")
    return user, password


class ApiKeyCheck:
    """The bearer key rule of the OpenAI-compatible API.

    With `api_key` set, every request must carry `Authorization: Bearer <key>` (compared in constant
    time). Without one, requests are accepted on a loopback bind and refused on any other, where the
    API stays off until a key is set (as the page needs a login there).
    """

    def __init__(self, settings: Settings):
        self._key = settings.api_key.encode("utf-8")
        self.open = not settings.api_key and is_loopback(settings.host)
        self.disabled = not settings.api_key and not self.open

    def refusal(self, authorization: str | None) -> str | None:
        """Why a request with this Authorization header is refused, or None when it may pass."""
        if self.open:
            return None
        if self.disabled:
            return (
                "The API is off on a non-loopback address until the server has a key: "
                "set REPORTQA_API_KEY and send it as `Authorization: Bearer <key>`."
            )
        scheme, _, given = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return "Missing API key: send `Authorization: Bearer <key>` (the server's REPORTQA_API_KEY)."
        if not hmac.compare_digest(given.strip().encode("utf-8"), self._key):
            return "Incorrect API key: send the server's REPORTQA_API_KEY as `Authorization: Bearer <key>`."
        return None
