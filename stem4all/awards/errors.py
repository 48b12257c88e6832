"""The rules of the award that a request can break; each message is shown to the
person who tried (pages) or answered with 409 (the JSON API)."""

from django.utils.translation import gettext_lazy as _

from stem4all.core.errors import DomainError


class AwardError(DomainError):
    default_message = _("This cannot be done in the award.")

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))


class PhaseClosed(AwardError):
    default_message = _("This phase of the award is not open.")


class NotEligible(AwardError):
    default_message = _("This nominee cannot be nominated in this category.")


class EmailNotVerified(AwardError):
    default_message = _("Confirm your e-mail address before you vote.")


class AlreadyVoted(AwardError):
    default_message = _("You have already voted in this category.")


class TooManyVotes(AwardError):
    default_message = _("Too many votes from your network just now. Please try again later.")


class NotVotable(AwardError):
    default_message = _("This nomination is not open for votes.")
