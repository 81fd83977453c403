"""Errors a user can fix; each message says what to do next."""


class ReportQAError(Exception):
    """Base class for every error the CLI and UI show as a one-line message."""


class NoIndexError(ReportQAError):
    """The index folder holds no usable index."""


class EmptyCorpusError(ReportQAError):
    """The corpus folder holds no readable document."""


class DocumentError(ReportQAError):
    """One document could not be read; the others are still indexed."""


class QuestionError(ReportQAError):
    """The question cannot be answered as typed (empty, too long, ...)."""


class ModelMissingError(ReportQAError):
    """A model package or file that a setting asks for is not installed."""


class SettingsError(ReportQAError):
    """A setting or command-line option has a value that cannot be used."""


class UnknownDocumentError(ReportQAError):
    """A document name, given to ask within some documents, matches no indexed document (or several)."""
