"""What a function gave back: records, the legacy key, or a typed error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from intacct._errors import IntacctError
from intacct._parse import RawResult, Record


@dataclass
class Result:
    """The outcome of one function, matched to it by controlid."""

    function: str
    controlid: str
    status: str
    object: str | None = None
    records: list[Record] = field(default_factory=list)
    data_attrs: dict[str, str] = field(default_factory=dict)
    key: str | None = None
    error: IntacctError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == "success"

    @property
    def record(self) -> Record | None:
        return self.records[0] if self.records else None

    @property
    def record_no(self) -> str | None:
        """RECORDNO of the first record written or read (generic create/update results)."""
        rec = self.record
        value = rec.get("RECORDNO") if rec else None
        return value if isinstance(value, str) else None

    def raise_for_error(self) -> Result:
        if self.error is not None:
            raise self.error
        return self

    def value(self) -> Any:
        """The result's payload (key, single record or records), raising its error if it failed."""
        self.raise_for_error()
        if self.key is not None:
            return self.key
        return self.records

    @classmethod
    def from_raw(cls, raw: RawResult, obj: str | None, error: IntacctError | None) -> Result:
        return cls(
            function=raw.function,
            controlid=raw.controlid,
            status=raw.status,
            object=obj,
            records=raw.records,
            data_attrs=raw.data_attrs,
            key=raw.key,
            error=error,
        )


class WriteResult(Result):
    """A create/update/delete outcome: ``ok``, ``record_no``, ``error``."""
