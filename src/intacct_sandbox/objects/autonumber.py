"""Document sequencing of business IDs (docs/intacct/objects.md §0.2: "the business ID is optional on create
when document sequencing is on"). A company setting per object; when on, Intacct assigns the next number of
the sequence and a business ID sent in the create is ignored (Sage PSA: "to keep PSA-created IDs, turn
off project auto-numbering in Intacct"; whether Intacct ignores or refuses a sent ID is UNSURE).

Clients detect it with the legacy ``<get_companyprefs application="PA"/>``: the preference
``AUTONUMBER_PROJECTID`` is ``T`` or ``F`` (name modelled; the function and answer shape are documented).
"""

from __future__ import annotations

from typing import Any

AUTONUMBER_META = "records:{company}:autonumber"
#: objects that can be sequenced -> (application of get_companyprefs, default prefix)
SEQUENCED: dict[str, tuple[str, str]] = {
    "PROJECT": ("PA", "P-"),
    "CUSTOMER": ("AR", "C-"),
    "VENDOR": ("AP", "V-"),
    "EMPLOYEE": ("EE", "E-"),
    "SUPDOC": ("CO", "A-"),
    "EEXPENSES": ("EE", "ER-"),
}
DIGITS = 4


def settings(store: Any, company_id: str) -> dict[str, dict[str, Any]]:
    return dict(store.get_meta(AUTONUMBER_META.format(company=company_id)) or {})


def set_autonumber(store: Any, company_id: str, obj: str, on: bool, prefix: str | None = None) -> None:
    obj = obj.upper()
    if obj not in SEQUENCED:
        raise ValueError(f"auto-numbering is modelled for {', '.join(SEQUENCED)}, not {obj}")
    current = settings(store, company_id)
    if on:
        old = current.get(obj, {})
        current[obj] = {
            "prefix": prefix if prefix is not None else old.get("prefix", SEQUENCED[obj][1]),
            "next": int(old.get("next", 1)),
        }
    else:
        current.pop(obj, None)
    store.set_meta(AUTONUMBER_META.format(company=company_id), current)


def is_on(store: Any, company_id: str, obj: str) -> bool:
    return obj.upper() in settings(store, company_id)


def next_id(store: Any, company_id: str, obj: str) -> str | None:
    """The next free ID of the object's sequence (and advance it), or None when sequencing is off."""
    current = settings(store, company_id)
    sequence = current.get(obj)
    if sequence is None:
        return None
    number = int(sequence["next"])
    while True:
        candidate = f"{sequence['prefix']}{number:0{DIGITS}d}"
        number += 1
        if store.get_by_id(company_id, obj, candidate) is None:
            break
    current[obj] = {**sequence, "next": number}
    store.set_meta(AUTONUMBER_META.format(company=company_id), current)
    return candidate


def preferences(store: Any, company_id: str, application: str) -> list[tuple[str, str]]:
    """(preference, value) pairs get_companyprefs answers for one application."""
    application = application.upper()
    prefs: list[tuple[str, str]] = []
    if application == "GEN":
        prefs += [
            ("PRIMARY_ACCTNO_LENGTH", "4"),
            ("ACCTNO_SEPARATOR", "-"),
            ("SUBACCTNO_LENGTH", "0"),
            ("FISCAL_FIRST_MONTH", "1"),
            ("FISCAL_FIRST_MONTH_TAX", "1"),
            ("WEEK_START", "2"),
            ("CUSTOM_ACCOUNTING_PERIODS", "F"),
        ]
    for obj, (app, _prefix) in SEQUENCED.items():
        if app == application:
            from intacct_sandbox.objects.base import get_object

            definition = get_object(obj)
            assert definition is not None and definition.id_field is not None
            on = is_on(store, company_id, obj)
            prefs.append((f"AUTONUMBER_{definition.id_field}", "T" if on else "F"))
    return prefs
