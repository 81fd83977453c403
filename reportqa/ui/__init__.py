"""The web UI: `launch(settings)` serves the chat, documents and settings page."""

from .handlers import ReportUI
from .page import build_app, launch

__all__ = ["ReportUI", "build_app", "launch"]
