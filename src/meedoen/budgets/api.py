"""The budget's API (``/api/v1/budget/...``): amounts are strings with two decimals, never numbers.

The sections below are owned by different parts of the work; keep new endpoints in their own section and
add their paths to that section's list at the bottom."""

from django.urls import URLPattern

# ------------------------------------------------------------ budget year, sources, projects, balances

budget_patterns: list[URLPattern] = []

# ------------------------------------------------------------------------------- commitments

commitment_patterns: list[URLPattern] = []

# ------------------------------------------------------------------------------ invoices

invoice_patterns: list[URLPattern] = []

urlpatterns = [*budget_patterns, *commitment_patterns, *invoice_patterns]
