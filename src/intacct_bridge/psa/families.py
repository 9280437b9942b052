"""The psa families on the sync engine: ``projects`` ↔ PROJECT and ``tasks`` ↔ TASK, both two-way.

Specs plus hooks only (no sync loop here); the rules they apply are in ``rules.py``.

* projects: PROJECTID is the same on both sides (an app project keeps its own ID as the created
  key; with auto-numbering Intacct's ID is taken back). PROJECTCATEGORY comes from the workspace's
  PSA settings. A customer not yet in the app is imported with the project as a linked client.
* tasks: within linked projects; the parent task follows PARENTKEY (a task's RECORDNO, which is
  why the family's business ID is RECORDNO). The created key is the task's TASKID.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intacct_bridge.psa import rules
from intacct_bridge.psa.events import record_pulled
from intacct_bridge.psa.models import BillingType, Project, PsaSettings, Stage, Task
from intacct_bridge.sync.context import RunContext
from intacct_bridge.sync.family import Family, Problems
from intacct_bridge.sync.models import Link, LinkState, PendingPush
from intacct_bridge.sync.registry import register
from intacct_bridge.sync.spec import (
    ConflictPolicy,
    Direction,
    FamilySpec,
    FieldMap,
    ImportMode,
    active_in,
    active_out,
    bool_in,
    bool_out,
    date_in,
    date_out,
    money_out,
    optional_money_in,
)

# The hooks remember per run (``ctx.remember``) the workspace's settings, the app's project IDs and
# Intacct's projects with the IDs about to be created, so a run of thousands of projects does not
# ask once per record.


def _settings(ctx: RunContext) -> PsaSettings:
    return ctx.remember("psa.settings", lambda: PsaSettings.of(ctx.workspace))


def _link(family: str, local: Any) -> Link | None:
    return Link.objects.filter(workspace_id=local.workspace_id, family=family, local_id=local.pk).first()


def is_linked(family: str, local: Any) -> bool:
    link = _link(family, local)
    return link is not None and link.is_linked


# ---- projects ---------------------------------------------------------------------------------


def _validate_project(values: Mapping[str, Any]) -> Problems:
    problems: Problems = []
    if not values.get("name"):
        problems.append(("IB-REQUIRED", "The project has no name (NAME is required)."))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        problems.append(("IB-VALUE", f"The project ends ({end}) before it begins ({start})."))
    return problems


def _project_ready(project: Project) -> bool:
    """Linked projects always follow; unlinked ones only in a stage that is exported (the end date
    is checked in ``_check_project`` so a late one gets an issue instead of silence)."""
    if _link("projects", project) is not None:
        return True
    settings = PsaSettings.of(project.workspace)
    problem = rules.export_problem(project, settings)
    if problem is None:
        return True
    # a late end date is worth an issue on projects someone touched since the connection; the
    # app's untouched history stays quiet instead of raising one issue per old project every day
    return (
        problem[0] == "IB-PSA-END-DATE"
        and project.stage == Stage.RUNNING
        and rules.is_new_project(project, settings, project.updated_at)
    )


def _project_imported(local: Any, options: Mapping[str, Any]) -> None:
    # Intacct-created projects become fixed price in the app (Sage PSA's rule)
    local.billing_type = BillingType.FIXED_PRICE


def _project_imports(ctx: RunContext, record: Mapping[str, Any]) -> bool:
    """Intacct projects are imported when Active with a qualifying end date, unless an app project
    not linked yet already uses their PROJECTID (the same ID on both sides: that is a question for
    a person, not a second project with the same ID)."""
    if not rules.import_qualifies(record, _settings(ctx)):
        return False
    project_id = str(record.get("PROJECTID") or "")
    # Intacct's IDs are unique, so the projects this run imports never clash with each other: the
    # app's IDs as the run started are enough
    local_ids = ctx.remember(
        "psa.local_ids",
        lambda: {
            pid.lower(): Project(pk=pk, name=name)
            for pk, pid, name in Project.objects.filter(workspace=ctx.workspace).values_list(
                "pk", "project_id", "name"
            )
        },
    )
    clash = local_ids.get(project_id.lower())
    code, why = (
        "IB-PSA-DUPLICATE-ID",
        "already uses that ID. If they are the same project, link it from the project's page; otherwise "
        "give the app project another ID.",
    )
    if clash is None and _settings(ctx).autonumber_projects:
        clash = _unlinked_namesake(ctx, str(record.get("NAME") or ""))
        code, why = (
            "IB-PSA-SAME-NAME",
            "has the same name and is not linked yet; Intacct auto-numbers projects, so it may be the "
            "same project, created by an earlier sync whose answer was lost. Link it from the project's "
            "page if so; otherwise rename one of them.",
        )
    if clash is None:
        return True
    ctx.issues.issue(
        "projects",
        errorno=code,
        text=(
            f"The Sage Intacct project {project_id} ({record.get('NAME')!r}) was not imported: the app's "
            f"project #{clash.pk} {clash.name!r} {why}"
        ),
        recordno=int(record["RECORDNO"]),
        business_id=project_id,
        local_id=clash.pk,
        action="import",
    )
    return False


def _same_project(project: Project, record: Mapping[str, Any]) -> bool:
    """A PROJECTID typed in the app may be another project's in Intacct: an Intacct project met with
    a queued project's ID is only taken for its lost create when the names agree too."""
    return str(record.get("NAME") or "").strip() == project.name.strip()


def _unlinked_namesake(ctx: RunContext, name: str) -> Project | None:
    """Auto-numbered: an app project with this name not linked yet may be the one this Intacct
    project was created from (its answer lost): it is not imported as a second one."""
    namesakes = ctx.remember(
        "psa.unlinked_names",
        lambda: {
            p.name.strip(): p
            for p in Project.objects.filter(workspace=ctx.workspace).exclude(
                pk__in=Link.objects.filter(workspace=ctx.workspace, family="projects").values_list(
                    "local_id", flat=True
                )
            )
        },
    )
    found: Project | None = namesakes.get(name.strip())
    return found


def _check_project(ctx: RunContext, project: Project) -> Problems:
    """Before a project is sent: its end date, its client, and (for a create) its ID in Intacct."""
    link = _link("projects", project)
    if link is not None:
        return []
    settings = _settings(ctx)
    problems: Problems = []
    problem = rules.export_problem(project, settings)
    if problem is not None:
        problems.append(problem)
    if project.client_id is not None and not is_linked("clients", project.client):
        problems.append(
            (
                "IB-PSA-CLIENT",
                f"The client {project.client} is not a Sage Intacct customer yet, so the project cannot "
                "name it. Import or link the client under Clients (customers come from Intacct), then "
                "the project is sent with the next sync.",
            )
        )
    if problems:
        return problems
    # what Intacct needs and the app does not ask for: the category from the workspace's settings,
    # and in an entity-bound workspace the entity (LOCATIONID is required in multi-entity companies)
    filled: dict[str, str] = {}
    if not project.intacct_category:
        filled["intacct_category"] = settings.project_category
    connection = project.workspace.connection_or_none
    if not project.entity and connection is not None and connection.entity_id:
        filled["entity"] = connection.entity_id
    if filled:
        for name, value in filled.items():
            setattr(project, name, value)
        Project.objects.filter(pk=project.pk).update(**filled)
    if settings.autonumber_projects:
        # Intacct ignores the ID we send and numbers the project itself, so only the name can
        # tell an earlier create whose answer was lost
        twin = _name_taken(ctx, project)
        return [twin] if twin else []
    clash = _id_taken(ctx, project)
    return [clash] if clash else []


def _name_taken(ctx: RunContext, project: Project) -> tuple[str, str] | None:
    """Auto-numbered: an Intacct project with this name that nothing here is linked to may be this
    project's own create whose answer was lost (it cannot be found by the ID we sent). A person
    decides; nothing is sent, so nothing is created twice."""
    named = ctx.remember(
        "psa.named", lambda: _intacct_projects_named_as_queued(ctx))
    if project.name not in named:
        named[project.name] = ctx.remote.read_by_business_ids(PROJECTS.spec, [project.name], field="NAME")
    linked = set(
        Link.objects.filter(
            workspace=ctx.workspace, family="projects", state=LinkState.LINKED
        ).values_list("recordno", flat=True)
    )
    twins = [r for r in named[project.name] if int(r["RECORDNO"]) not in linked]
    if not twins:
        return None
    ids = ", ".join(str(r.get("PROJECTID")) for r in twins)
    return (
        "IB-PSA-SAME-NAME",
        f"Sage Intacct auto-numbers projects and already has a project named {project.name!r} ({ids}) "
        "that nothing here is linked to: it may be this project, created by an earlier sync whose "
        "answer was lost. If it is, link it from the project's page; if not, rename one of them. "
        "Nothing was sent.",
    )


def _id_taken(ctx: RunContext, project: Project) -> tuple[str, str] | None:
    """A PROJECTID already in Intacct for another project must not be sent (it would be refused, or
    worse, taken for ours). The same ID with the same name is our own earlier create whose answer
    was lost: the engine settles that by reading it back, so it passes."""
    taken = ctx.remember(
        "psa.taken", lambda: _intacct_projects_with_queued_ids(ctx))
    if project.project_id not in taken:  # queued after the run began: ask for this one alone
        found = ctx.remote.read_by_business_ids(PROJECTS.spec, [project.project_id])
        taken[project.project_id] = found[0] if found else None
    record = taken[project.project_id]
    if record is None:
        return None
    recordno = int(record["RECORDNO"])
    owner = Link.objects.filter(
        workspace=ctx.workspace, family="projects", recordno=recordno, state=LinkState.LINKED
    ).first()
    if owner is None and _same_project(project, record):
        return None
    whose = f"project #{owner.local_id} here" if owner is not None else f"{record.get('NAME')!r}"
    return (
        "IB-PSA-DUPLICATE-ID",
        f"The project ID {project.project_id} already exists in Sage Intacct for another project ({whose}, "
        f"record {recordno}). Give this project another ID, or link it to that Intacct project from its "
        "page; nothing was sent.",
    )


def _queued_projects(ctx: RunContext) -> Any:
    """The workspace's projects queued to be created in Intacct (not linked yet)."""
    linked = Link.objects.filter(workspace=ctx.workspace, family="projects").values_list(
        "local_id", flat=True
    )
    queued = PendingPush.objects.filter(workspace=ctx.workspace, family="projects").exclude(
        local_id__in=linked
    )
    return Project.objects.filter(pk__in=queued.values_list("local_id", flat=True))


def _intacct_projects_with_queued_ids(ctx: RunContext) -> dict[str, Any]:
    """PROJECTID -> Intacct's project (or None) for every project queued to be created: one query
    per chunk of IDs instead of one per project."""
    ids = sorted(set(_queued_projects(ctx).exclude(project_id="").values_list("project_id", flat=True)))
    found: dict[str, Any] = dict.fromkeys(ids)
    for record in ctx.remote.read_by_business_ids(PROJECTS.spec, ids) if ids else []:
        found[str(record.get("PROJECTID"))] = record
    return found


def _intacct_projects_named_as_queued(ctx: RunContext) -> dict[str, list[Any]]:
    """NAME -> Intacct's projects with that name, for every project queued to be created."""
    names = sorted(set(_queued_projects(ctx).values_list("name", flat=True)))
    found: dict[str, list[Any]] = {name: [] for name in names}
    for record in ctx.remote.read_by_business_ids(PROJECTS.spec, names, field="NAME") if names else []:
        found.setdefault(str(record.get("NAME")), []).append(record)
    return found


def _projects_pushed(ctx: RunContext, projects: list[Any]) -> None:
    """Auto-numbering: Intacct gave a created project its own ID (the read-back already took it).
    Known beforehand it is expected; switched on mid-way it is recorded so people hear of it."""
    for project in projects:
        current = Project.objects.filter(pk=project.pk).values_list("project_id", flat=True).first()
        if current is None or current == project.project_id:
            continue
        settings = PsaSettings.of(project.workspace)
        if not settings.autonumber_projects:
            ctx.issues.issue(
                "projects",
                errorno="IB-PSA-AUTONUMBER",
                text=(
                    f"Sage Intacct numbered the new project itself: {project.project_id} became {current}, "
                    "and the app now uses that ID. The company auto-numbers projects now; turn project "
                    "auto-numbering off in Intacct (Projects > Setup > Configure) to keep the app's IDs."
                ),
                local_id=project.pk,
                business_id=current,
                action="push",
            )
            PsaSettings.objects.filter(pk=settings.pk).update(autonumber_projects=True)
            _settings(ctx).autonumber_projects = True  # the rest of this run knows it too


class Projects(Family[Project]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _validate_project(values)

    def local_title(self, local: Project) -> str:
        return f"{local.project_id} {local.name}".strip()

    def on_create(self, local: Project, options: Mapping[str, Any]) -> None:
        _project_imported(local, options)

    def ready_to_push(self, local: Project) -> bool:
        return _project_ready(local)

    def check_push(self, ctx: RunContext, local: Project) -> Problems:
        return _check_project(ctx, local)

    def created_key(self, local: Project) -> str:
        return str(local.project_id)

    def after_push(self, ctx: RunContext, locals_: list[Project]) -> None:
        _projects_pushed(ctx, locals_)

    def imports(self, ctx: RunContext, record: Mapping[str, Any]) -> bool:
        return _project_imports(ctx, record)

    def adopts(self, local: Project, record: Mapping[str, Any]) -> bool:
        return _same_project(local, record)

    def after_pull(self, ctx: RunContext, created: list[Project], updated: list[Project]) -> None:
        record_pulled("projects", created, updated)


PROJECTS = register(
    Projects(
        spec=FamilySpec(
            family="projects",
            label="Projects",
            intacct_object="PROJECT",
            business_id="PROJECTID",
            name_field="NAME",
            model="bridge_psa.Project",
            fields=(
                # the shared key: set by the create (the project's own ID), taken from Intacct after
                FieldMap("project_id", "PROJECTID", push=False),
                FieldMap("name", "NAME"),
                FieldMap("description", "DESCRIPTION"),
                FieldMap("start_date", "BEGINDATE", to_app=date_in, to_intacct=date_out),
                FieldMap("end_date", "ENDDATE", to_app=date_in, to_intacct=date_out),
                FieldMap("client", "CUSTOMERID", reference="clients", import_missing=True),
                FieldMap("budget", "BUDGETAMOUNT", to_app=optional_money_in, to_intacct=money_out),
                FieldMap("stage", "PROJECTSTATUS", to_app=rules.stage_in, to_intacct=rules.stage_out),
                FieldMap("intacct_active", "STATUS", to_app=active_in, to_intacct=active_out),
                # required by Intacct, not an app concept: the workspace setting fills it in
                FieldMap("intacct_category", "PROJECTCATEGORY"),
                FieldMap("entity", "LOCATIONID"),
            ),
            direction=Direction.TWO_WAY,
            conflict_policy=ConflictPolicy.NEWEST_WINS,
            import_mode=ImportMode.ALL,
            created_id_prefix="IBP",
            notes="Two-way; Running projects with a qualifying end date are exported, Active Intacct "
            "projects with one imported; custom fields and billing type stay in the app.",
        ),
        search_fields=("name", "project_id", "description"),
        noun="project",
        remote_noun="project",
    )
)


# ---- tasks ------------------------------------------------------------------------------------


def _validate_task(values: Mapping[str, Any]) -> Problems:
    return [] if values.get("name") else [("IB-REQUIRED", "The task has no name (NAME is required).")]


def _task_ready(task: Task) -> bool:
    """A subtask waits for its parent to be in Intacct (it names the parent's RECORDNO); the
    parent's push sends it right after (``_tasks_pushed``)."""
    if task.parent_id is None or _link("tasks", task) is not None:
        return True
    parent = Task.objects.filter(pk=task.parent_id).first()
    return parent is None or is_linked("tasks", parent)


def _check_task(ctx: RunContext, task: Task) -> Problems:
    project = task.project
    if is_linked("projects", project):
        return []
    reason = rules.export_problem(project, _settings(ctx))
    why = f" ({reason[1]})" if reason else ""
    return [
        (
            "IB-PSA-TASK-PROJECT",
            f"The task's project {project} is not in Sage Intacct{why}. Tasks sync only within linked "
            "projects: move the project to Running with a qualifying end date, or link it to its Intacct "
            "project; the task follows with the next sync.",
        )
    ]


def _task_imports(ctx: RunContext, record: Mapping[str, Any]) -> bool:
    """Tasks sync within linked projects: a task of a project the app does not have stays out."""
    return str(record.get("PROJECTID") or "") in ctx.linked_ids("projects")


def _tasks_pushed(ctx: RunContext, tasks: list[Any]) -> None:
    """Subtasks whose parent was just created go out now, in the same run."""
    fam = TASKS
    created = [t.pk for t in tasks]
    waiting = [
        t.pk
        for t in Task.objects.filter(parent_id__in=created)
        if not Link.objects.filter(workspace=ctx.workspace, family="tasks", local_id=t.pk).exists()
    ]
    if waiting:
        ctx.push(fam, waiting)


def _task_key(task: Task) -> str:
    return task.task_id or task.default_task_id()


class Tasks(Family[Task]):
    def validate(self, values: Mapping[str, Any]) -> Problems:
        return _validate_task(values)

    def local_title(self, local: Task) -> str:
        return str(local.name)

    def ready_to_push(self, local: Task) -> bool:
        return _task_ready(local)

    def check_push(self, ctx: RunContext, local: Task) -> Problems:
        return _check_task(ctx, local)

    def created_key(self, local: Task) -> str:
        return _task_key(local)

    def after_push(self, ctx: RunContext, locals_: list[Task]) -> None:
        _tasks_pushed(ctx, locals_)

    def imports(self, ctx: RunContext, record: Mapping[str, Any]) -> bool:
        return _task_imports(ctx, record)

    def after_pull(self, ctx: RunContext, created: list[Task], updated: list[Task]) -> None:
        record_pulled("tasks", created, updated)


TASKS = register(
    Tasks(
        spec=FamilySpec(
            family="tasks",
            label="Tasks",
            intacct_object="TASK",
            business_id="RECORDNO",
            name_field="NAME",
            model="bridge_psa.Task",
            fields=(
                FieldMap("task_id", "TASKID", push=False),
                FieldMap("project", "PROJECTID", reference="projects"),
                FieldMap("name", "NAME"),
                FieldMap("description", "DESCRIPTION"),
                FieldMap(
                    "status", "TASKSTATUS", to_app=rules.task_status_in, to_intacct=rules.task_status_out
                ),
                FieldMap("billable", "BILLABLE", to_app=bool_in, to_intacct=bool_out),
                FieldMap("estimate", "ESTQTY", to_app=optional_money_in, to_intacct=money_out),
                FieldMap("parent", "PARENTKEY", reference="tasks"),
            ),
            direction=Direction.TWO_WAY,
            conflict_policy=ConflictPolicy.NEWEST_WINS,
            import_mode=ImportMode.ALL,
            created_key_field="TASKID",
            created_id_prefix="IBT",
            extra_fields=("PROJECTNAME",),
            notes="Two-way within linked projects: name, description, status, billable, estimate, parent.",
        ),
        search_fields=("name", "task_id", "description"),
        noun="task",
        remote_noun="task",
    )
)
