"""Signals other apps listen to, so that feedback never imports them (DESIGN.md: surveys points
towards feedback, not the other way).

``feedback_transitioned`` is sent inside the transition's transaction, after its history row and
the sender's notification are written: a receiver writes only its own tables (an outbox row, say),
which then commit or roll back with the transition. Arguments: ``item`` (as it is after the
transition), ``event`` (the FeedbackEvent), ``action`` (a ``rules.Action``).
"""

from django.dispatch import Signal

feedback_transitioned = Signal()
