"""The sync engine: one loop every family runs through, split along its sections.

``base`` (shared state, references, cursors), ``pull``, ``link`` (import and link), ``documents``
(entities, lines, reading back), ``removal``, ``push`` and ``run`` (a family, a whole run). Driven by
the family's spec (``sync/spec.py``) and hooks (``sync/family.py``); the engine names no family.
"""

from intacct_bridge.sync.engine.base import STOP, Interrupted, LinkRefused
from intacct_bridge.sync.engine.rows import insert_links, update_rows
from intacct_bridge.sync.engine.run import Engine, execute, families_of, with_link_ids

__all__ = [
    "STOP",
    "Engine",
    "Interrupted",
    "LinkRefused",
    "execute",
    "families_of",
    "insert_links",
    "update_rows",
    "with_link_ids",
]
