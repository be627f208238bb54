"""A project's decision date, from its stage history: the one rule, used by stage changes, the
demo generator and the migration that recomputed the stored dates (0010).

The history is cut into runs: a loss or an abandonment ends a run, and the next move starts a
new one. The decision date is the date of the last move into Won in the current run, or, with
no Won in it, of the last move into Landed (a project recorded as landed without a Won step).
A project whose last move is a loss is decided on the date of the loss (the figures of
projects lost count it then); an abandoned project, or one whose current run has no win yet,
has none.

So a project lost on 2025-05-19 that comes back and lands on 2026-05-04 without a Won step is
decided on 2026-05-04, not on the date it was lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from models import Stage

#: The moves that end a run.
RUN_ENDS = frozenset({Stage.LOST, Stage.ABANDONED})


def decision_date(moves: Iterable[tuple[Stage | str, date]]) -> date | None:
    """The decision date of a project whose stage history is ``moves`` (to-stage and date of
    each move, oldest first: by date, then by the order they were recorded)."""
    decided: date | None = None
    won_in_run = False
    lost_on: date | None = None
    for to_stage, on in moves:
        stage = Stage(to_stage)
        lost_on = on if stage == Stage.LOST else None
        if stage in RUN_ENDS:
            decided, won_in_run = None, False
        elif stage == Stage.WON:
            decided, won_in_run = on, True
        elif stage == Stage.LANDED and not won_in_run:
            decided = on
    return lost_on or decided
