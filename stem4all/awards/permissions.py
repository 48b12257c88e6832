"""Who may do what in the award: plain predicates and fetch-and-authorise accessors
(404 when the object is not there or not visible, 403 when it is but the action is
not hers)."""

from __future__ import annotations

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff

from .models import Edition


def is_award_staff(user: User, edition: Edition) -> bool:
    return is_programme_staff(user, edition.programme_id)


# === nominations (helper A) ===

# === end nominations ===

# === voting and receipts (helper B) ===

# === end voting ===

# === integrity and jury (helper C) ===

# === end integrity and jury ===

# === results and exports (helper D) ===

# === end results ===

# === editions and categories (helper E) ===

# === end editions ===
