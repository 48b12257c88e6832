"""The award's pages. Views are thin: the first line fetches and authorises, then a
form, a service or a query, then a template (or a redirect after a POST)."""

from __future__ import annotations

from django.shortcuts import render

from stem4all.core.public import public

from . import queries

# === editions and categories (helper E) ===


@public
def index(request):
    return render(request, "awards/index.html", {"editions": queries.visible_editions()})


# === end editions ===

# === nominations (helper A) ===

# === end nominations ===

# === voting and receipts (helper B) ===

# === end voting ===

# === integrity and jury (helper C) ===

# === end integrity and jury ===

# === results and exports (helper D) ===

# === end results ===
