"""Forms for the award."""

from __future__ import annotations

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
