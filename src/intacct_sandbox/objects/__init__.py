"""Object schemas and rules (no XML). Importing the package registers every object."""

from intacct_sandbox.objects import (  # noqa: F401  (import registers)
    account_labels,
    apadjustment,
    apbill,
    appymt,
    aradjustment,
    aradvance,
    arinvoice,
    arpayment,
    audithistory,
    bankfeed,
    cash,
    company_extras,
    contact,
    customer,
    customer_cards,
    department,
    employee,
    expenses,
    gl,
    glaccount,
    klass,
    location,
    location_entity,
    prbatch,
    project,
    project_costs,
    task,
    timesheet,
    userinfo,
    vendor,
)
from intacct_sandbox.objects.base import ObjectDef, all_objects, get_object, layout, sequences

#: object name -> schema (for lookup/inspect, coverage and the control plane)
SCHEMAS: dict[str, ObjectDef] = {o.name: o for o in all_objects()}

__all__ = ["SCHEMAS", "ObjectDef", "all_objects", "get_object", "layout", "sequences"]
