"""What the catalogue announces inside its own transactions, for higher apps to act on in the same one.

The budget (a higher app, docs/architecture.md) commits money when a seat is taken and releases the rest
when a seat ends early; the catalogue may not import it, so it sends these signals with ``send`` (not
``send_robust``): a receiver that raises ``RuleError`` refuses the whole change, the transaction rolls back
and the user sees the receiver's message.
"""

from django.dispatch import Signal

# sender=Seat, seat=<Seat>, proposal=<Proposal>, actor=<Actor>; sent after the seat row exists.
seat_taken = Signal()
# sender=Seat, seat=<Seat> (ended_on set), actor=<Actor>; sent after the seat is saved.
seat_ended = Signal()
# sender=Proposal, municipality_id=<uuid>, resident=<Resident>, placement=<Placement>, domain=<str>,
# start_date=<date>, hours_per_week=<int>, actor=<Actor>; sent by the propose page (GET and POST). Each
# receiver returns a list of Dutch warning texts for the caseworker; a warning never blocks the proposal.
proposal_warnings = Signal()
