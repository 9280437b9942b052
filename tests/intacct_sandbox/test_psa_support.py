"""What the projects, tasks and timesheets families need: PROJECTCATEGORY and PROJECTID rules, project
auto-numbering (and how a client detects it), smart rules on PA objects, timesheet entry rules, deleting
a time entry in Intacct, and the Projects "API Proxy" right."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_helpers import errors, seeded

from intacct_sandbox.company.model import ModelError


def project(pid: str | None, name: str = "Rollout", category: str | None = "Contract") -> str:
    pid_xml = f"<PROJECTID>{pid}</PROJECTID>" if pid is not None else ""
    cat_xml = f"<PROJECTCATEGORY>{category}</PROJECTCATEGORY>" if category is not None else ""
    customer = "<CUSTOMERID>C00001</CUSTOMERID>"
    return f"<create><PROJECT>{pid_xml}<NAME>{name}</NAME>{cat_xml}{customer}</PROJECT></create>"


def timesheet(employee: str, *entries: tuple[str, str, str, str]) -> str:
    """entries: (date, hours, project, task id)."""
    xml = "".join(
        f"<TIMESHEETENTRY><ENTRYDATE>{d}</ENTRYDATE><QTY>{q}</QTY><PROJECTID>{p}</PROJECTID>"
        f"<TASKID>{t}</TASKID><BILLABLE>true</BILLABLE></TIMESHEETENTRY>"
        for d, q, p, t in entries
    )
    return (
        f"<create><TIMESHEET><EMPLOYEEID>{employee}</EMPLOYEEID><BEGINDATE>11/02/2026</BEGINDATE>"
        f"<STATE>Submitted</STATE><TIMESHEETENTRIES>{xml}</TIMESHEETENTRIES></TIMESHEET></create>"
    )


def task_with_status(sb: Any, creds: dict[str, Any], status: str) -> tuple[str, str]:
    """(PROJECTID, TASKID) of an active project's task with this TASKSTATUS."""
    active = {
        p["PROJECTID"] for p in sb.control.records(creds["company_id"], "PROJECT") if p["STATUS"] == "active"
    }
    task = next(
        t
        for t in sb.control.records(creds["company_id"], "TASK")
        if t["TASKSTATUS"] == status and t["PROJECTID"] in active
    )
    return task["PROJECTID"], task["TASKID"]


# --- projects ----------------------------------------------------------------------------------


def test_projectcategory_is_required_and_project_ids_are_unique() -> None:
    sb, creds, client = seeded()
    missing = client.one(creds, project("NEW-1", category=None))
    assert errors(missing)[0][:3] == ("BL01001973", "", "Required field PROJECTCATEGORY is missing.")
    assert client.one(creds, project("NEW-1")).findtext("status") == "success"
    duplicate = client.one(creds, project("NEW-1", name="Another"))
    (code, _d, text, _c), (code2, _d2, text2, _c2) = errors(duplicate)
    assert (code, text) == ("BL34000061", "Another Project with the given value(s) NEW-1  already exists")
    assert (code2, text2) == ("BL01001973", "Could not create project record!")
    bad = client.one(creds, project("NEW-2", category="Research"))
    assert "PROJECTCATEGORY" in errors(bad)[0][2]
    assert [
        p["NAME"] for p in sb.control.records(creds["company_id"], "PROJECT") if p["PROJECTID"] == "NEW-1"
    ] == ["Rollout"]


def prefs(client: Any, creds: dict[str, Any], application: str) -> dict[str, str]:
    result = client.one(creds, f'<get_companyprefs application="{application}"/>')
    assert result.findtext("status") == "success"
    return {p.findtext("preference"): p.findtext("prefvalue") for p in result.iter("companypref")}


def test_project_autonumbering_assigns_ids_ignores_sent_ones_and_is_detectable() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    assert prefs(client, creds, "PA") == {"AUTONUMBER_PROJECTID": "F"}
    no_id = client.one(creds, project(None))
    assert "Required field PROJECTID is missing" in errors(no_id)[0][2]
    sb.control.set_autonumber(company, "PROJECT", True)
    assert prefs(client, creds, "PA") == {"AUTONUMBER_PROJECTID": "T"}
    first = client.one(creds, project(None, name="Auto one"))
    assert first.findtext("data/project/PROJECTID") == "P-0001"
    sent = client.one(creds, project("MINE-1", name="Auto two"))
    assert sent.findtext("data/project/PROJECTID") == "P-0002"
    ids = {p["PROJECTID"] for p in sb.control.records(company, "PROJECT")}
    assert {"P-0001", "P-0002"} <= ids and "MINE-1" not in ids
    sb.control.set_autonumber(company, "PROJECT", False)
    assert prefs(client, creds, "PA") == {"AUTONUMBER_PROJECTID": "F"}
    assert client.one(creds, project("MINE-1")).findtext("data/project/PROJECTID") == "MINE-1"
    # other applications: documented GEN preferences, and customers' sequencing under AR
    assert prefs(client, creds, "GEN")["PRIMARY_ACCTNO_LENGTH"] == "4"
    assert prefs(client, creds, "AR") == {"AUTONUMBER_CUSTOMERID": "F"}
    bad = client.one(creds, '<get_companyprefs application="XX"/>')
    assert "Invalid application 'XX'" in errors(bad)[0][2]
    with pytest.raises(ValueError, match="not TASK"):
        sb.control.set_autonumber(company, "TASK", True)


def test_autonumber_over_http_and_a_rolled_back_create_keeps_the_sequence() -> None:
    _sb, creds, client = seeded()
    answer = client.http.post(
        "/_sandbox/set_autonumber",
        json={"company_id": creds["company_id"], "object": "PROJECT", "on": True, "prefix": "PRJ"},
    )
    assert answer.status_code == 200, answer.text
    assert client.one(creds, project(None, category=None)).findtext("status") == "failure"
    assert client.one(creds, project(None)).findtext("data/project/PROJECTID") == "PRJ0001"


@pytest.mark.parametrize(
    ("obj", "event", "condition", "message"),
    [
        ("PROJECT", "add", "NAME = 'Blocked'", "Projects may not be named Blocked"),
        ("TASK", "set", "TASKSTATUS = 'On Hold'", "Tasks cannot be put on hold through the API"),
        ("TIMESHEET", "add", "HOURS > 40", "More than 40 hours needs a manager"),
    ],
)
def test_smart_rules_on_projects_tasks_and_timesheets(
    obj: str, event: str, condition: str, message: str
) -> None:
    sb, creds, client = seeded()
    sb.control.add_smart_rule(creds["company_id"], obj, event, condition, message)
    project_id, task_id = task_with_status(sb, creds, "In Progress")
    task_no = next(
        t["RECORDNO"]
        for t in sb.control.records(creds["company_id"], "TASK")
        if (t["PROJECTID"], t["TASKID"]) == (project_id, task_id)
    )
    body = {
        "PROJECT": project("BLK-1", name="Blocked"),
        "TASK": (
            f"<update><TASK><RECORDNO>{task_no}</RECORDNO><TASKSTATUS>On Hold</TASKSTATUS></TASK></update>"
        ),
        "TIMESHEET": timesheet("EMP001", *[(f"11/0{d}/2026", "9", project_id, task_id) for d in range(2, 7)]),
    }[obj]
    result = client.one(creds, body)
    assert result.findtext("status") == "failure"
    assert errors(result)[0][:3] == ("BL01001973", "", f"Smart rule {obj}_RULE_1 was violated. {message}")


# --- timesheets --------------------------------------------------------------------------------


def test_timesheet_with_entries_by_project_and_task_id() -> None:
    sb, creds, client = seeded()
    project_id, task_id = task_with_status(sb, creds, "In Progress")
    result = client.one(
        creds,
        timesheet(
            "EMP002", ("11/02/2026", "7.5", project_id, task_id), ("11/03/2026", "8", project_id, task_id)
        ),
    )
    assert result.findtext("status") == "success", errors(result)
    key = result.findtext("data/timesheet/RECORDNO")
    sheet = next(r for r in sb.control.records(creds["company_id"], "TIMESHEET") if r["RECORDNO"] == key)
    assert (sheet["HOURS"], sheet["STATE"], sheet["ENDDATE"]) == ("15.5", "Submitted", "11/08/2026")
    entries = sheet["TIMESHEETENTRIES"]["TIMESHEETENTRY"]
    assert [(e["TASKID"], e["PROJECTID"], e["BILLABLE"], e["TASKKEY"] is not None) for e in entries] == [
        (task_id, project_id, "true", True)
    ] * 2


@pytest.mark.parametrize("hours", ["0", "-1", "24.5"])
def test_zero_negative_or_too_many_hours_are_refused(hours: str) -> None:
    sb, creds, client = seeded()
    project_id, task_id = task_with_status(sb, creds, "In Progress")
    before = sb.control.count(creds["company_id"], "TIMESHEET")
    result = client.one(creds, timesheet("EMP002", ("11/02/2026", hours, project_id, task_id)))
    code, _d, text, correction = errors(result)[0]
    assert code == "BL01001973" and f"QTY {hours}" in text and "more than 0 and at most 24" in text
    assert correction.startswith("Enter between 0.01 and 24 hours")
    assert sb.control.count(creds["company_id"], "TIMESHEET") == before


def test_time_on_a_completed_task_or_an_unknown_task_is_refused() -> None:
    sb, creds, client = seeded()
    project_id, task_id = task_with_status(sb, creds, "Completed")
    result = client.one(creds, timesheet("EMP002", ("11/02/2026", "2", project_id, task_id)))
    code, _d, text, correction = errors(result)[0]
    assert (
        code == "BL01001973"
        and text == f"Task {task_id} of project {project_id} is Completed: time cannot be charged to it."
    )
    assert correction.startswith("Reopen the task")
    unknown = client.one(creds, timesheet("EMP002", ("11/02/2026", "2", project_id, "NOPE")))
    assert f"Invalid Task 'NOPE' specified for project '{project_id}'" in errors(unknown)[0][2]


def test_deleting_a_timesheet_takes_its_entries() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    project_id, task_id = task_with_status(sb, creds, "In Progress")
    key = client.one(creds, timesheet("EMP002", ("11/02/2026", "3", project_id, task_id))).findtext(
        "data/timesheet/RECORDNO"
    )
    entries = sb.control.count(company, "TIMESHEETENTRY")
    deleted = client.one(creds, f"<delete><object>TIMESHEET</object><keys>{key}</keys></delete>")
    assert deleted.findtext("status") == "success"
    assert sb.control.count(company, "TIMESHEETENTRY") == entries - 1
    assert key not in {r["RECORDNO"] for r in sb.control.records(company, "TIMESHEET")}


def test_a_time_entry_deleted_in_intacct_is_audited_and_moves_the_sheet() -> None:
    sb, creds, client = seeded()
    company = creds["company_id"]
    project_id, task_id = task_with_status(sb, creds, "In Progress")
    key = client.one(
        creds,
        timesheet(
            "EMP002", ("11/02/2026", "3", project_id, task_id), ("11/03/2026", "4", project_id, task_id)
        ),
    ).findtext("data/timesheet/RECORDNO")
    sheet = next(r for r in sb.control.records(company, "TIMESHEET") if r["RECORDNO"] == key)
    first, second = sheet["TIMESHEETENTRIES"]["TIMESHEETENTRY"]
    assert sheet["WHENMODIFIED"] is None
    sb.control.advance_clock(120)
    sb.control.delete_record(company, "TIMESHEETENTRY", int(first["RECORDNO"]))
    after = next(r for r in sb.control.records(company, "TIMESHEET") if r["RECORDNO"] == key)
    assert after["HOURS"] == "4" and after["WHENMODIFIED"] is not None
    left = after["TIMESHEETENTRIES"]["TIMESHEETENTRY"]
    assert (left if isinstance(left, dict) else left[0])["RECORDNO"] == second["RECORDNO"]
    audit = client.one(
        creds,
        "<readByQuery><object>AUDITHISTORY</object><fields>OBJECTTYPE,OBJECTKEY,ACCESSMODE,USERID</fields>"
        f"<query>OBJECTTYPE = 'timesheetentry' AND OBJECTKEY = '{first['RECORDNO']}'</query>"
        "<pagesize>10</pagesize></readByQuery>",
    )
    assert [(a.findtext("ACCESSMODE"), a.findtext("USERID")) for a in audit.iter("audithistory")] == [
        ("D", "Admin")
    ]
    with pytest.raises(ModelError, match="no TIMESHEETENTRY"):
        sb.control.delete_record(company, "TIMESHEETENTRY", int(first["RECORDNO"]))
    with pytest.raises(ModelError, match="deleted with their document"):
        sb.control.delete_record(company, "APBILLITEM", 1)
    # a whole record too, over HTTP
    answer = client.http.post(
        "/_sandbox/delete_record", json={"company_id": company, "object": "TIMESHEET", "recordno": key}
    )
    assert answer.status_code == 200, answer.text
    assert key not in {r["RECORDNO"] for r in sb.control.records(company, "TIMESHEET")}


# --- the Projects API Proxy right --------------------------------------------------------------


def limited_user(sb: Any, creds: dict[str, Any], *, proxy: bool, employee: str | None) -> dict[str, Any]:
    company = creds["company_id"]
    perms = {"TIMESHEET": "LVAED", "PROJECT": "LV", "TASK": "LV", "EMPLOYEE": "LV", "USERINFO": "LV"}
    if proxy:
        perms["PROJECTS_API_PROXY"] = "A"
    role = f"time {proxy}"
    sb.control.create_role(company, role, perms)
    user_id = f"time_{proxy}_{employee}"
    sb.control.create_user(company, user_id, "pw-123", roles=[role], employee_id=employee)
    return {**creds, "user_id": user_id, "user_password": "pw-123"}


def test_timesheets_of_other_employees_need_the_api_proxy_right() -> None:
    sb, creds, client = seeded()
    project_id, task_id = task_with_status(sb, creds, "In Progress")
    entry = ("11/02/2026", "2", project_id, task_id)
    own = limited_user(sb, creds, proxy=False, employee="EMP002")
    assert client.one(own, timesheet("EMP002", entry)).findtext("status") == "success"
    refused = client.one(own, timesheet("EMP003", entry))
    code, _d, text, correction = errors(refused)[0]
    assert code == "PL04000005"
    assert (
        text == "You do not have the Projects API Proxy permission needed to create a timesheet on behalf of "
        "employee EMP003."
    )
    assert correction == "Grant the Web Services user's role the Projects API Proxy permission."
    proxy = limited_user(sb, creds, proxy=True, employee=None)
    made = client.one(proxy, timesheet("EMP003", entry))
    assert made.findtext("status") == "success"
    key = made.findtext("data/timesheet/RECORDNO")
    # approving: on someone's behalf (APPROVEDBY or another employee's sheet) needs the right too
    approve = (
        f"<approve><TIMESHEET><RECORDNO>{key}</RECORDNO><APPROVEDBY>Jo</APPROVEDBY></TIMESHEET></approve>"
    )
    assert errors(client.one(own, approve))[0][0] == "PL04000005"
    by_update = f"<update><TIMESHEET><RECORDNO>{key}</RECORDNO><STATE>Approved</STATE></TIMESHEET></update>"
    assert "approve a timesheet on behalf of employee EMP003" in errors(client.one(own, by_update))[0][2]
    assert client.one(proxy, approve).findtext("status") == "success"


def test_clients_check_the_api_proxy_right_with_getuserpermissions() -> None:
    sb, creds, client = seeded()

    def policies(who: dict[str, Any]) -> dict[str, dict[str, str]]:
        result = client.one(
            who, f"<getUserPermissions><userId>{who['user_id']}</userId></getUserPermissions>"
        )
        assert result.findtext("status") == "success", errors(result)
        return {
            app.findtext("applicationName") or "": {
                p.findtext("policyName") or "": p.findtext("rights") or "" for p in app.iter("policy")
            }
            for app in result.iter("appSubscription")
        }

    full = policies(creds)
    assert full["Projects"]["API Proxy"] == "Permit"
    assert full["Projects"]["timesheet"] == "List|View|Add|Edit|Delete"
    without = policies(limited_user(sb, creds, proxy=False, employee="EMP002"))
    assert "API Proxy" not in without["Projects"] and without["Projects"]["project"] == "List|View"
    assert "Accounts Receivable" not in without
    with_it = policies(limited_user(sb, creds, proxy=True, employee=None))
    assert with_it["Projects"]["API Proxy"] == "Permit"
