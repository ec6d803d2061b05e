"""The budget's answers to what the catalogue announces (``catalogue.signals``), in the catalogue's own
transaction: a seat taken commits money, a seat ended releases the rest."""
