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


class AlreadyNominated(AwardError):
    default_message = _("You have already nominated them in this category.")


class AlreadyReviewed(AwardError):
    default_message = _("This nomination has already been reviewed.")


class TooManyLookups(AwardError):
    default_message = _("Too many receipts that do not exist from your network. Try later.")


class UnknownReceipt(AwardError):
    default_message = _("No vote has this receipt. Check the letters and digits.")


class VoidingRefused(AwardError):
    default_message = _("This vote cannot be voided.")


class JuryRefused(AwardError):
    default_message = _("This cannot be done on the jury.")


class ConflictOfInterestError(AwardError):
    default_message = _("You have a conflict of interest with this nomination.")


class ScoreSheetFinal(AwardError):
    default_message = _("Your scores are submitted. Ask the chair to reopen them first.")


class ResultsNotReady(AwardError):
    default_message = _("The results cannot be published yet.")


class ResultsAlreadyPublished(AwardError):
    default_message = _("The results of this edition are already published.")


class EditionLocked(AwardError):
    default_message = _("This part of the edition can no longer change.")


class CategoryInUse(AwardError):
    default_message = _("This category already has nominations.")
