"""Object schemas and rules (no XML). Importing the package registers every object."""

from intacct_sandbox.objects import (  # noqa: F401  (import registers)
    apbill,
    aradjustment,
    arinvoice,
    arpayment,
    audithistory,
    contact,
    customer,
    department,
    employee,
    glaccount,
    klass,
    location,
    project,
    task,
    timesheet,
    userinfo,
    vendor,
)
from intacct_sandbox.objects.base import ObjectDef, all_objects, get_object, layout, sequences

__all__ = ["ObjectDef", "all_objects", "get_object", "layout", "sequences"]
