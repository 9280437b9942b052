"""Change, delete and add records of one object to drive incremental syncs.

    mutate(store, "DEMO", "CUSTOMER", change=10, delete="2%", add=3, seed=1, now=now)

Counts are numbers or ``"N%"`` of the current records. A changed record gets a new name (or title /
description) and a new WHENMODIFIED; deleted records vanish, leaving AUDITHISTORY ``D`` events (records
still referenced by others are deleted last, so references stay valid when possible); added records are
copies of existing ones with a new business ID and name. Deterministic by seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from intacct_sandbox.objects import all_objects, get_object
from intacct_sandbox.objects.base import ObjectDef
from intacct_sandbox.objects.writes import WriteContext, audit

#: the field that carries a record's visible name, per object (first one present wins)
NAME_FIELDS = ("NAME", "TITLE", "PRINTAS", "DESCRIPTION", "ENTRYDESCRIPTION")
ADJECTIVES = ("Renamed", "Updated", "Revised", "New", "Rebranded", "Merged", "Global", "United")


def resolve_count(spec: int | str, total: int) -> int:
    """``10`` -> 10, ``"2%"`` -> 2% of total (rounded, at least 1 when the percentage is positive)."""
    if isinstance(spec, str):
        text = spec.strip()
        if text.endswith("%"):
            pct = float(text[:-1])
            if pct < 0:
                raise ValueError(f"negative percentage {spec!r}")
            return min(total, max(1, round(total * pct / 100))) if pct > 0 and total else 0
        spec = int(text)
    if spec < 0:
        raise ValueError(f"negative count {spec!r}")
    return int(spec)


def _name_field(obj: ObjectDef) -> str | None:
    for name in NAME_FIELDS:
        if name in obj.by_name:
            return name
    return None


def _referenced(store: Any, company_id: str, obj: ObjectDef) -> set[str]:
    """Business IDs of ``obj`` that other records point at."""
    used: set[str] = set()
    for other in all_objects():
        fields = [f.name for f in other.fields if f.ref is not None and f.ref[0] == obj.name]
        if not fields:
            continue
        for row in store.rows(company_id, other.name).values():
            for name in fields:
                value = row.get(name)
                if value not in (None, ""):
                    used.add(str(value))
    return used


def mutate(
    store: Any,
    company_id: str,
    obj_name: str,
    *,
    change: int | str = 0,
    delete: int | str = 0,
    add: int | str = 0,
    seed: int = 1,
    now: datetime | None = None,
    user_id: str = "Admin",
) -> dict[str, Any]:
    obj = get_object(obj_name)
    if obj is None or not obj.audited:
        raise ValueError(f"cannot mutate object {obj_name!r}")
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    own_txn = not store.in_transaction
    if own_txn:
        store.begin()
    try:
        result = _mutate(store, company_id, obj, change, delete, add, seed, when, user_id)
    except BaseException:
        if own_txn:
            store.rollback()
        raise
    if own_txn:
        store.commit()
    return result


def _mutate(
    store: Any,
    company_id: str,
    obj: ObjectDef,
    change: int | str,
    delete: int | str,
    add: int | str,
    seed: int,
    now: datetime,
    user_id: str,
) -> dict[str, Any]:
    rng = random.Random(f"{seed}:{company_id}:{obj.name}:{store.count(company_id, obj.name)}")
    wc = WriteContext(company_id, user_id, None, store, now)
    recordnos = list(store.rows(company_id, obj.name))
    n_change = resolve_count(change, len(recordnos))
    n_delete = resolve_count(delete, len(recordnos))
    n_add = resolve_count(add, len(recordnos))
    name_field = _name_field(obj)

    deleted: list[int] = []
    if n_delete:
        used = _referenced(store, company_id, obj) if obj.id_field else set()
        shuffled = rng.sample(recordnos, len(recordnos))
        # unreferenced records first, so references from other records stay valid while possible
        shuffled.sort(key=lambda r: str(store.get(company_id, obj.name, r).get(obj.id_field)) in used)
        deleted = sorted(shuffled[:n_delete])
        for recordno in deleted:
            if obj.lines is not None:
                for line in store.children(company_id, obj.lines.line_object, recordno):
                    store.delete(company_id, obj.lines.line_object, line["RECORDNO"])
            store.delete(company_id, obj.name, recordno)
            audit(wc, obj, recordno, "D")
    remaining = [r for r in recordnos if r not in set(deleted)]

    changed = sorted(rng.sample(remaining, min(n_change, len(remaining))))
    modifier = wc.user_recordno() if changed or n_add else None
    for recordno in changed:
        row = dict(store.get(company_id, obj.name, recordno))
        if name_field is not None:
            base = str(row.get(name_field) or obj.label)
            row[name_field] = f"{rng.choice(ADJECTIVES)} {base.split(' ', 1)[-1] if ' ' in base else base}"[
                :80
            ]
            if obj.name in ("CUSTOMER", "VENDOR"):
                row["DISPLAYCONTACT.PRINTAS"] = row[name_field]
        row.update({"WHENMODIFIED": now, "MODIFIEDBY": modifier})
        store.replace(company_id, obj.name, recordno, row)
        audit(wc, obj, recordno, "M")

    added: list[int] = []
    for number in range(n_add if remaining else 0):
        source = store.get(company_id, obj.name, rng.choice(remaining))
        row = {k: v for k, v in source.items() if k != "RECORDNO"}
        if obj.id_field is not None:
            row[obj.id_field] = _new_id(store, company_id, obj, str(source.get(obj.id_field) or "X"), number)
        if name_field is not None:
            row[name_field] = (
                f"{rng.choice(ADJECTIVES)} {obj.label} {row.get(obj.id_field or 'RECORDID') or number}"
            )
        stamp = "AUWHENCREATED" if obj.transaction else "WHENCREATED"
        row.update({stamp: now, "WHENMODIFIED": None, "CREATEDBY": modifier, "MODIFIEDBY": None})
        recordno = store.insert(company_id, obj.name, row)
        if obj.lines is not None:
            line_def = get_object(obj.lines.line_object)
            parent = (line_def.parent_field if line_def else None) or "RECORDKEY"
            for line in store.children(company_id, obj.lines.line_object, source["RECORDNO"]):
                copy = {k: v for k, v in line.items() if k != "RECORDNO"}
                copy.update({parent: recordno, "WHENCREATED": now, "WHENMODIFIED": None})
                store.insert(company_id, obj.lines.line_object, copy)
        audit(wc, obj, recordno, "C")
        added.append(recordno)
    return {"object": obj.name, "changed": changed, "deleted": deleted, "added": added}


def _new_id(store: Any, company_id: str, obj: ObjectDef, source_id: str, number: int) -> str:
    prefix = "".join(ch for ch in source_id if ch.isalpha())[:4] or obj.name[:1]
    counter = store.count(company_id, obj.name) + number + 1
    while True:
        candidate = f"{prefix}M{counter:05d}"
        if store.get_by_id(company_id, obj.name, candidate) is None:
            return candidate
        counter += 1
