"""Stratified block randomisation. Pure Python, no Django.

Every stratum has its own sequence of arms, made of blocks: a block holds every arm as often as its ratio
(ratios 2:1:1 make blocks of four), shuffled by a generator seeded with the experiment's seed and the
stratum's name. The n-th resident randomised in a stratum gets the n-th arm of that stratum's sequence.

So the sequence is fixed the moment the seed is drawn, before anyone is randomised; anyone can reproduce
every assignment from the stored design, seed, stratum and position; and within a stratum the arms never
differ by more than one block. Residents consent over weeks: each is randomised once, when they consent,
at the next position of their stratum; nothing here ever draws again for someone who has a position."""

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass


def _generator(seed: int, stratum: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{stratum}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - reproducible, not secret


def block(ratios: dict[str, int]) -> list[str]:
    """One unshuffled block: each arm as often as its ratio, in the design's order."""
    return [arm for arm, ratio in ratios.items() for _ in range(ratio)]


def sequence(seed: int, stratum: str, length: int, ratios: dict[str, int]) -> list[str]:
    """The first ``length`` arms of a stratum's sequence."""
    generator = _generator(seed, stratum)
    arms: list[str] = []
    while len(arms) < length:
        current = block(ratios)
        generator.shuffle(current)
        arms.extend(current)
    return arms[:length]


@dataclass(frozen=True)
class Draw:
    participant: str  # the participant's id
    stratum: str
    position: int
    arm: str


def assign(
    seed: int, ratios: dict[str, int], waiting: Iterable[tuple[str, str]], taken: dict[str, int]
) -> list[Draw]:
    """Assign residents that wait, as (participant id, stratum) in the order they are randomised, given how
    many positions each stratum has already used (``taken``). Returns one draw per waiting participant."""
    used = dict(taken)
    pending: dict[str, list[str]] = {}
    order: list[tuple[str, str]] = list(waiting)
    for participant, stratum in order:
        pending.setdefault(stratum, []).append(participant)
    draws = []
    for stratum, participants in pending.items():
        start = used.get(stratum, 0)
        arms = sequence(seed, stratum, start + len(participants), ratios)
        for offset, participant in enumerate(participants):
            draws.append(Draw(participant, stratum, start + offset, arms[start + offset]))
    position = {participant: index for index, (participant, _) in enumerate(order)}
    return sorted(draws, key=lambda draw: position[draw.participant])
