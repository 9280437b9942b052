"""Company information functions integrations call from a "Test connection" step.

``<get_companyprefs application="PA"/>`` (developer.intacct.com company-console/subscriptions; the JS
SDK's GetCompanyPrefs): one ``<companypref><application/><preference/><prefvalue/></companypref>`` per
preference. The sandbox answers the documented GEN preferences and, for AR/AP/PA/EE, whether the
object's IDs are auto-numbered (``AUTONUMBER_CUSTOMERID`` / ``_VENDORID`` / ``_PROJECTID`` /
``_EMPLOYEEID``: T or F; names modelled).

``<getUserPermissions><userId>U</userId></getUserPermissions>`` (PHP/JS SDK GetUserPermissions;
docs/intacct/setup.md §2): ``<permissions><appSubscription><applicationName/><policies><policy>
<policyName/><rights>List|View|Add</rights></policy>…``. Needs View on USERINFO. The Projects
application lists the ``API Proxy`` policy (rights ``Permit``) when the user's roles grant it.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import child_text, unwrapped
from intacct_sandbox.objects.autonumber import preferences
from intacct_sandbox.record_faults import NotInSandbox, ValidationFailed

APPLICATIONS = ("GEN", "ME", "GL", "CM", "AP", "AR", "EE", "PO", "SO", "INV", "PA", "CS")
#: the sandbox's modules (company.model.MODULES) under the names getUserPermissions reports
APPLICATION_NAMES = {
    "AR": "Accounts Receivable",
    "AP": "Accounts Payable",
    "GL": "General Ledger",
    "CO": "Company",
    "PA": "Projects",
    "CM": "Cash Management",
    "EE": "Time & Expenses",
    "IC": "Inventory Control",
}
RIGHT_NAMES = {"L": "List", "V": "View", "A": "Add", "E": "Edit", "D": "Delete"}
#: role rights that are not objects -> (module, policy name as the UI shows it)
SPECIAL_POLICIES = {"PROJECTS_API_PROXY": ("PA", "API Proxy")}


@function("get_companyprefs")
@unwrapped
def get_companyprefs(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    application = (el.get("application") or child_text(el, "application") or "").strip().upper()
    if application not in APPLICATIONS:
        raise ValidationFailed(
            f"Invalid application '{application}'.",
            correction=f"Use one of {', '.join(APPLICATIONS)}.",
        )
    prefs = preferences(ctx.store, ctx.company_id, application)
    return FunctionOutcome(
        records=[
            ("companypref", {"application": application, "preference": name, "prefvalue": value})
            for name, value in prefs
        ],
        # no <data> attributes in the documented answer; an empty list is an empty <data/>
        no_data=not prefs,
    )


@function("getUserPermissions")
@unwrapped
def get_user_permissions(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    from intacct_sandbox.company.model import MODULES

    company = getattr(ctx, "company", None)
    if company is None:
        raise NotInSandbox("getUserPermissions needs the gateway's company model.")
    user_id = (child_text(el, "userId") or "").strip()
    if not user_id:
        raise ValidationFailed("Required field userId is missing.")
    ctx.require("USERINFO", "V")
    user = company.user(user_id)
    if user is None:
        raise ValidationFailed(f"Invalid user '{user_id}' specified.")
    apps: list[dict[str, Any]] = []
    for module, objects in MODULES.items():
        policies: list[dict[str, Any]] = []
        for obj in objects:
            if obj in SPECIAL_POLICIES:
                continue
            letters = company.granted(user, obj)
            rights = [name for letter, name in RIGHT_NAMES.items() if letter in letters]
            if rights:
                policies.append({"policyName": obj.lower(), "rights": "|".join(rights)})
        for key, (policy_module, policy_name) in SPECIAL_POLICIES.items():
            if policy_module == module and "A" in company.granted(user, key):
                policies.append({"policyName": policy_name, "rights": "Permit"})
        if policies:
            apps.append({"applicationName": APPLICATION_NAMES[module], "policies": {"policy": policies}})
    return FunctionOutcome(records=[("permissions", {"appSubscription": apps})])
