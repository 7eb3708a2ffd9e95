"""Signals other apps listen to, so that dossiers never imports them (DESIGN.md: arrows point
towards dossiers).

``dossier_transitioned`` is sent inside the transition's transaction, after its history row is
written: a receiver writes only its own tables (an outbox row, say), which then commit or roll back
with the transition, and defers anything outside the database with ``transaction.on_commit``.
Arguments: ``dossier`` (as it is after the transition), ``event`` (the DossierEvent), ``action``.
"""

from django.dispatch import Signal

dossier_transitioned = Signal()
