"""The one base class of the rule violations that services raise.

Each app has its own subclass (``ProgrammeError``, ``MeetingError``...). Its message is
written for the person who tried: pages show it as an error message, and the JSON API
answers it with 409 Conflict.
"""


class DomainError(Exception):
    """A request that the programme's rules refuse; the message is shown to the user."""
