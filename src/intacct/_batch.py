"""Many functions in one request: ``with client.batch() as b: h = b.create(...)``; on leaving the
block the functions are sent (split into requests of ``batch_size`` unless transaction=True) and
every handle gets its result, matched by controlid."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from intacct import _functions as fns
from intacct._query import Q
from intacct._results import Result

if TYPE_CHECKING:
    from intacct._client import Client


class Handle:
    """The place a function's result lands once its batch has been sent."""

    def __init__(self, function: fns.Function) -> None:
        self.function = function
        self._result: Result | None = None

    @property
    def controlid(self) -> str:
        return self.function.controlid

    @property
    def result(self) -> Result:
        if self._result is None:
            raise RuntimeError("the batch has not been sent yet (results exist after the with block)")
        return self._result

    def __repr__(self) -> str:
        state = "pending" if self._result is None else self._result.status
        return f"Handle({self.function.name}, controlid={self.controlid!r}, {state})"


class Batch:
    def __init__(self, client: Client, transaction: bool = False) -> None:
        self._client = client
        self.transaction = transaction
        self._handles: list[Handle] = []
        self._ids: set[str] = set()
        self.sent = False

    def add(self, function: fns.Function) -> Handle:
        if self.sent:
            raise RuntimeError("this batch has already been sent")
        if function.controlid in self._ids:
            raise ValueError(f"controlid {function.controlid!r} used twice in one batch")
        self._ids.add(function.controlid)
        handle = Handle(function)
        self._handles.append(handle)
        return handle

    def create(self, obj: str, values: Mapping[str, Any], controlid: str | None = None) -> Handle:
        return self.add(fns.write("create", obj, values, controlid))

    def update(self, obj: str, values: Mapping[str, Any], controlid: str | None = None) -> Handle:
        return self.add(fns.write("update", obj, values, controlid))

    def delete(self, obj: str, keys: Iterable[Any], controlid: str | None = None) -> Handle:
        return self.add(fns.delete(obj, keys, controlid))

    def read(self, obj: str, keys: Iterable[Any], fields: Sequence[str] | None = None) -> Handle:
        return self.add(fns.read(obj, keys, fields))

    def read_by_name(self, obj: str, names: Iterable[Any], fields: Sequence[str] | None = None) -> Handle:
        return self.add(fns.read(obj, names, fields, by_name=True))

    def query_page(
        self,
        obj: str,
        fields: Sequence[str],
        where: Q | None = None,
        order_by: Sequence[str] | None = None,
        page_size: int = fns.QUERY_MAX_PAGE,
        offset: int = 0,
    ) -> Handle:
        return self.add(fns.query(obj, fields, where, order_by, page_size, offset))

    def call(self, function_name: str, params: Mapping[str, Any], controlid: str | None = None) -> Handle:
        return self.add(fns.legacy(function_name, params, controlid))

    def __len__(self) -> int:
        return len(self._handles)

    def send(self) -> list[Result]:
        if self.sent:
            raise RuntimeError("this batch has already been sent")
        self.sent = True
        if not self._handles:
            return []
        results = self._client._execute([h.function for h in self._handles], transaction=self.transaction)
        for handle, result in zip(self._handles, results, strict=True):
            handle._result = result
        return results

    def __enter__(self) -> Batch:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # An exception inside the block means the caller's intent is incomplete: send nothing.
        if exc_type is None:
            self.send()
