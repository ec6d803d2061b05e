"""The budget's screens, one module per part: ``budget`` (the budget page, set-up and reports),
``commitments`` (commitments, overspend approval) and ``invoices`` (the provider's invoices and their review).
Each module keeps the habit of one view per form (docs/conventions.md)."""
