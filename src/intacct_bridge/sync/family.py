"""The family seam: what a family app hands the engine, and what the engine hands its hooks.

A family is a ``FamilySpec`` (``spec.py``: what syncs, declaratively) plus a ``Family`` subclass
overriding the few hooks it needs. Every hook that may read Intacct or record an issue takes the
run's ``RunContext`` (``context.py``); the others see only the record, the workspace or the values.
The base class's hooks do nothing special, so a family that needs none is just ``Family(spec=...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.apps import apps
from django.db.models import Model

from intacct_bridge.sync.spec import Direction, FamilySpec

if TYPE_CHECKING:
    from intacct_bridge.sync.context import RunContext
    from intacct_bridge.workspaces.models import Workspace

#: (code, text) problems of one record; codes are remedy catalogue errornos (IB-...)
Problems = list[tuple[str, str]]

#: the family's local model (``Family[Bill]``): what its hooks get as ``local``
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class CreateContext(Generic[M]):
    """What ``Family.build_create`` gets to build a create function's parameters."""

    workspace: Workspace
    local: M  # the local record
    values: Mapping[str, Any]  # app-side mapped values; references as the referenced business IDs
    lines: list[dict[str, Any]]  # app-side values of each local line, in line_no order, references resolved
    key: str  # the deterministic key: put it in ``spec.key_field``'s parameter


@dataclass(frozen=True)
class Family(Generic[M]):
    """One registered family. Subclass it (``class Bills(Family[Bill])``) and override the hooks the
    family needs; the engine sees every family as ``Family[Any]``."""

    spec: FamilySpec
    # app fields searched when suggesting matches for a remote record's title
    search_fields: tuple[str, ...] = ()
    # options an import accepts (documented in the API schema)
    import_options: tuple[str, ...] = ()
    # Intacct owns these records: the app shows them but offers no create/edit/delete/link/unlink
    read_only: bool = False
    # families whose records a run syncs before this one's, besides those its reference fields name
    after: tuple[str, ...] = ()
    # app-only fields ``derive`` sets from the mapped ones (written with them by a pull)
    derived_fields: tuple[str, ...] = ()
    # app words for pages: "bill" / "bill" (local noun / Intacct noun)
    noun: str = ""
    remote_noun: str = ""
    extras: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.family

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.spec.model)

    def depends_on(self) -> set[str]:
        """The families a run syncs first: the ones this family's references point at, and ``after``."""
        fields = list(self.spec.fields) + (list(self.spec.lines.fields) if self.spec.lines else [])
        return ({f.reference for f in fields if f.reference} | set(self.after)) - {self.name}

    # ---- records and values (no run) ----------------------------------------------------------

    def validate(self, values: Mapping[str, Any]) -> Problems:
        """Problems with a record's mapped values that stop it from syncing (recorded as issues)."""
        return []

    def local_title(self, local: M) -> str:
        """The label of a local record in lists and suggestions."""
        return str(local)

    def import_skip(self, options: Mapping[str, Any]) -> tuple[str, ...]:
        """App fields an import leaves alone, from the import's options (kept on the link: later
        syncs leave them alone too)."""
        return ()

    def derive(self, local: M) -> None:
        """Set ``derived_fields`` from the mapped values just applied (in memory, not saved)."""

    def on_create(self, local: M, options: Mapping[str, Any]) -> None:
        """App-only fields a new local record gets at import, from the import's options."""

    def ready_to_push(self, local: M) -> bool:
        """Push side: only records ready to go are pushed (a bill marked ready to pay)."""
        return True

    def build_create(self, context: CreateContext[M]) -> Mapping[str, Any]:
        """Parameters of ``spec.create_function`` for one record (required when the spec names one)."""
        raise TypeError(f"family {self.name} names {self.spec.create_function} but has no build_create")

    def created_key(self, local: M) -> str:
        """The deterministic key of a record the engine creates: a retry reuses it, never a new one."""
        return self.spec.created_business_id(local.pk)

    def create_attempt(self, local: M) -> str:
        """Part of a create's controlid besides the local id: a record created again after its
        Intacct twin was deleted needs a new controlid, as Intacct never runs one twice."""
        return ""

    def adopts(self, local: M, record: Mapping[str, Any]) -> bool:
        """Whether a remote record carrying a queued local record's created key is that record's own
        create whose answer was lost."""
        return True

    # ---- per workspace ------------------------------------------------------------------------

    def direction(self, workspace: Workspace) -> Direction:
        """The direction in this workspace (a workspace setting may choose it); default the spec's."""
        return self.spec.direction

    def pulls_for(self, workspace: Workspace) -> bool:
        return self.direction(workspace) in (Direction.PULL, Direction.TWO_WAY)

    def pushes_for(self, workspace: Workspace) -> bool:
        return self.direction(workspace) in (Direction.PUSH, Direction.TWO_WAY)

    def keep_app_values(self, workspace: Workspace) -> bool:
        """True where the app keeps what it sent: pulls of a linked record take only Intacct's own
        fields (push=False), and of its lines only deletions."""
        return False

    # ---- in a run -----------------------------------------------------------------------------

    def check_push(self, ctx: RunContext, local: M) -> Problems:
        """Checks before anything is sent; problems become issues on the record and it is not sent."""
        return []

    def after_push(self, ctx: RunContext, locals_: list[M]) -> None:
        """The local records a push batch created or updated in Intacct, after they were linked."""

    def push_refused(self, ctx: RunContext, local: M, error: Exception) -> str:
        """Intacct refused this record's write. A refusal can reveal that Intacct's state changed (an
        invoice paid there meanwhile): the family reads it back now (``ctx.refresh``) and returns
        what the person should read in the app's words (kept with Intacct's own text as the issue's
        correction), or "" to show Intacct's words only."""
        return ""

    def imports(self, ctx: RunContext, record: Mapping[str, Any]) -> bool:
        """Import-all families: whether a pull imports this new remote record."""
        return True

    def after_pull(self, ctx: RunContext, created: list[M], updated: list[M]) -> None:
        """The local records a pull created and those it changed from Intacct's values, in the
        pull's transaction."""

    def lines_removed(self, ctx: RunContext, lines: list[Any]) -> None:
        """The local lines a pull is about to delete because Intacct no longer has them."""
