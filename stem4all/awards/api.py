"""The award in the JSON API: the same forms, permissions and services as the pages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["awards"])

# === editions and categories (helper E) ===

# === end editions ===

# === nominations (helper A) ===

# === end nominations ===

# === voting and receipts (helper B) ===

# === end voting ===

# === integrity and jury (helper C) ===

# === end integrity and jury ===

# === results and exports (helper D) ===

# === end results ===
