"""What the recordings rules refuse. Each error carries the HTTP status that the code
page and the API answer with; its message is shown to the person."""

from django.utils.translation import gettext_lazy as _

from stem4all.core.errors import DomainError


class RecordingError(DomainError):
    status = 409


class CodeNotValid(RecordingError):
    status = 400

    def __init__(self, message=None):
        super().__init__(message or _("This code is not valid. Check it and type it again."))


class CodeRevoked(RecordingError):
    status = 403

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "This code has been withdrawn by the programme team. Ask the person who gave "
                "it to you for a new one."
            )
        )


class RecordingGone(RecordingError):
    status = 410

    def __init__(self, message=None):
        super().__init__(
            message or _("This recording is no longer available: its access period has ended.")
        )


class NotYetAvailable(RecordingError):
    status = 403

    def __init__(self, message=None):
        super().__init__(message or _("This recording is not available yet."))


class TooManyAttempts(RecordingError):
    status = 429

    def __init__(self, message=None):
        super().__init__(
            message
            or _("Too many wrong codes were typed from this network. Wait an hour and try again.")
        )


class NoAccess(Exception):
    """The viewer has neither a place in the cohort nor a grant from a code."""
