"""Every function class of the official Intacct SDKs and the XML function it sends, as data.

The PHP, .NET and Node SDKs share most function classes (same names, same XML); a few exist in
the .NET or Node SDK only (``sdks`` says which). This is that set, module by module, as facts (class
name -> function element, and the object a generic function names), not code. The coverage page
(``coverage_doc``) renders it with each class's status, and ``tests/intacct_sandbox/test_sdk_catalog.py``
fails when a class of an in-scope module has no implementation. Which modules are in scope:
docs/intacct/gl-company-reads.md §1.
"""

from __future__ import annotations

from dataclasses import dataclass

#: functions that carry the object in a child element (generic 3.0 functions): their status depends on
#: the object being modelled and allowing the operation
GENERIC = frozenset({"create", "update", "delete", "approve", "decline", "hold", "resume", "retrievepdf"})


@dataclass(frozen=True)
class SdkFunction:
    module: str
    cls: str
    function: str
    #: the object a generic function names (create/update/delete/approve/decline), else None
    object: str | None = None
    #: which official SDKs have the class
    sdks: str = "all"


AP = "Accounts Payable"
AR = "Accounts Receivable"
CM = "Cash Management"
GL = "General Ledger"
CO = "Company"
PA = "Projects"
EE = "Time & Expenses"
READS = "Generic reads"
PS = "Platform Services"
IC = "Inventory Control"
OE = "Order Entry"
PO = "Purchasing"
DDS = "Data Delivery Service"
GC = "Global Consolidations"
CN = "Contracts & Revenue Management"

#: modules the sandbox leaves out, and why
OUT_OF_SCOPE: dict[str, str] = {
    OE: "order entry is out of scope",
    PO: "purchasing is out of scope",
    IC: "inventory is out of scope (items excepted)",
    DDS: "data delivery is out of scope",
    GC: "global consolidation is out of scope",
    CN: "contracts and revenue management are out of scope",
}

#: single classes left out inside an otherwise in-scope module
OUT_OF_SCOPE_CLASSES: dict[str, str] = {
    "ApplicationInstall": "installing Platform Services applications is out of scope",
}

#: classes of an out-of-scope module that are in scope all the same (the issue names items)
IN_SCOPE_CLASSES = frozenset({"ItemCreate", "ItemUpdate", "ItemDelete"})


def _f(module: str, cls: str, function: str, obj: str | None = None, sdks: str = "all") -> SdkFunction:
    return SdkFunction(module, cls, function, obj, sdks)


NET = ".NET"
NODE = "Node"
NET_NODE = ".NET, Node"


CATALOG: tuple[SdkFunction, ...] = (
    # Accounts Payable
    _f(AP, "ApAccountLabelCreate", "create", "APACCOUNTLABEL"),
    _f(AP, "ApAccountLabelUpdate", "update", "APACCOUNTLABEL"),
    _f(AP, "ApAccountLabelDelete", "delete_apaccountlabel"),
    _f(AP, "ApAdjustmentCreate", "create_apadjustment"),
    _f(AP, "ApAdjustmentDelete", "delete_apadjustment"),
    _f(AP, "ApAdjustmentSummaryCreate", "create_apadjustmentbatch"),
    _f(AP, "ApPaymentCreate", "create", "APPYMT"),
    _f(AP, "ApPaymentDelete", "delete", "APPYMT"),
    _f(AP, "ApPaymentReverse", "reverse_appayment"),
    _f(AP, "ApPaymentApprove", "approve_appaymentrequest"),
    _f(AP, "ApPaymentConfirm", "confirm_appaymentrequest"),
    _f(AP, "ApPaymentDecline", "decline_appaymentrequest"),
    _f(AP, "ApPaymentSend", "send_appaymentrequest"),
    _f(AP, "ApPaymentVoid", "void_appaymentrequest"),
    _f(AP, "BillCreate", "create_bill"),
    _f(AP, "BillDelete", "delete_bill"),
    _f(AP, "BillReverse", "reverse_bill"),
    _f(AP, "BillSummaryCreate", "create_billbatch"),
    _f(AP, "VendorCreate", "create", "VENDOR"),
    _f(AP, "VendorUpdate", "update", "VENDOR"),
    _f(AP, "VendorDelete", "delete_vendor"),
    _f(AP, "BillUpdate", "update_bill", sdks=NET_NODE),
    _f(AP, "ApPaymentUpdate", "update", "APPYMT", sdks=NODE),
    # Accounts Receivable
    _f(AR, "ArAccountLabelCreate", "create", "ARACCOUNTLABEL"),
    _f(AR, "ArAccountLabelUpdate", "update", "ARACCOUNTLABEL"),
    _f(AR, "ArAccountLabelDelete", "delete_araccountlabel"),
    _f(AR, "ArAdjustmentCreate", "create_aradjustment"),
    _f(AR, "ArAdjustmentDelete", "delete_aradjustment"),
    _f(AR, "ArAdjustmentSummaryCreate", "create_aradjustmentbatch"),
    _f(AR, "ArPaymentApply", "apply_arpayment"),
    _f(AR, "ArPaymentCreate", "create_arpayment"),
    _f(AR, "ArPaymentReverse", "reverse_arpayment"),
    _f(AR, "ArPaymentSummaryCreate", "create_arpaymentbatch"),
    _f(AR, "CustomerCreate", "create", "CUSTOMER"),
    _f(AR, "CustomerUpdate", "update", "CUSTOMER"),
    _f(AR, "CustomerDelete", "delete_customer"),
    _f(AR, "InvoiceCreate", "create_invoice"),
    _f(AR, "InvoiceDelete", "delete_invoice"),
    _f(AR, "InvoiceReverse", "reverse_invoice"),
    _f(AR, "InvoiceSummaryCreate", "create_invoicebatch"),
    _f(AR, "CustomerChargeCardCreate", "create_customerchargecard"),
    _f(AR, "CustomerChargeCardUpdate", "update_customerchargecard"),
    _f(AR, "CustomerChargeCardDelete", "delete_customerchargecard"),
    _f(AR, "ArAdvanceCreate", "create", "ARADVANCE", sdks=NET),
    _f(AR, "ArAdvanceUpdate", "update", "ARADVANCE", sdks=NET),
    # Cash Management
    _f(CM, "ChargeCardTransactionCreate", "record_cctransaction"),
    _f(CM, "ChargeCardTransactionUpdate", "update_cctransaction"),
    _f(CM, "ChargeCardTransactionReverse", "reverse_cctransaction"),
    _f(CM, "DepositCreate", "record_deposit"),
    _f(CM, "OtherReceiptCreate", "record_otherreceipt"),
    _f(CM, "BankFeedsCreate", "create", "BANKACCTTXNFEED", sdks=NODE),
    _f(CM, "BankFeedsDelete", "delete", "BANKACCTTXNFEED", sdks=NODE),
    # General Ledger
    _f(GL, "AccountCreate", "create", "GLACCOUNT"),
    _f(GL, "AccountUpdate", "update", "GLACCOUNT"),
    _f(GL, "AccountDelete", "delete_glaccount"),
    _f(GL, "StatisticalAccountCreate", "create", "STATACCOUNT"),
    _f(GL, "StatisticalAccountUpdate", "update", "STATACCOUNT"),
    _f(GL, "StatisticalAccountDelete", "delete_statglaccount"),
    _f(GL, "JournalEntryCreate", "create", "GLBATCH"),
    _f(GL, "JournalEntryDelete", "delete", "GLBATCH"),
    _f(GL, "StatisticalJournalEntryCreate", "create", "GLBATCH"),
    _f(GL, "StatisticalJournalEntryDelete", "delete", "GLBATCH"),
    # Company
    _f(CO, "AllocationCreate", "create", "ALLOCATION"),
    _f(CO, "AllocationUpdate", "update", "ALLOCATION"),
    _f(CO, "AllocationDelete", "delete_allocation"),
    _f(CO, "ApiSessionCreate", "getAPISession"),
    _f(CO, "AttachmentsCreate", "create_supdoc"),
    _f(CO, "AttachmentsUpdate", "update_supdoc"),
    _f(CO, "AttachmentsDelete", "delete_supdoc"),
    _f(CO, "AttachmentsFolderCreate", "create_supdocfolder"),
    _f(CO, "AttachmentsFolderUpdate", "update_supdocfolder"),
    _f(CO, "AttachmentsFolderDelete", "delete_supdocfolder"),
    _f(CO, "AuditTrailRead", "getObjectTrail"),
    _f(CO, "ClassCreate", "create", "CLASS"),
    _f(CO, "ClassUpdate", "update", "CLASS"),
    _f(CO, "ClassDelete", "delete_class"),
    _f(CO, "CompanyPrefsGet", "get_companyprefs"),
    _f(CO, "ContactCreate", "create", "CONTACT"),
    _f(CO, "ContactUpdate", "update", "CONTACT"),
    _f(CO, "ContactDelete", "delete_contact"),
    _f(CO, "DepartmentCreate", "create", "DEPARTMENT"),
    _f(CO, "DepartmentUpdate", "update", "DEPARTMENT"),
    _f(CO, "DepartmentDelete", "delete_department"),
    _f(CO, "LocationCreate", "create", "LOCATION"),
    _f(CO, "LocationUpdate", "update", "LOCATION"),
    _f(CO, "LocationDelete", "delete_location"),
    _f(CO, "UserCreate", "create", "USERINFO"),
    _f(CO, "UserUpdate", "update", "USERINFO"),
    _f(CO, "UserPermissionsRead", "getUserPermissions"),
    _f(CO, "UserEffectivePermissionList", "getUserPermissions", sdks=NET),
    _f(CO, "GetUserPermissions", "getUserPermissions", sdks=NODE),
    _f(CO, "SubscriptionList", "get_applications", sdks=NET),
    # Projects
    _f(PA, "ProjectCreate", "create", "PROJECT"),
    _f(PA, "ProjectUpdate", "update", "PROJECT"),
    _f(PA, "ProjectDelete", "delete_project"),
    _f(PA, "TaskCreate", "create", "TASK"),
    _f(PA, "TaskUpdate", "update", "TASK"),
    _f(PA, "TaskDelete", "delete_task"),
    _f(PA, "TimesheetCreate", "create", "TIMESHEET"),
    _f(PA, "TimesheetUpdate", "update", "TIMESHEET"),
    _f(PA, "TimesheetDelete", "delete_timesheet"),
    _f(PA, "TimesheetApprove", "approve", "TIMESHEET"),
    _f(PA, "TimesheetDecline", "decline", "TIMESHEET"),
    _f(PA, "ProjectObservedPercentCompletedCreate", "create", "OBSPCTCOMPLETED", sdks=NET),
    _f(PA, "ProjectObservedPercentCompletedUpdate", "update", "OBSPCTCOMPLETED", sdks=NET),
    _f(PA, "ProjectObservedPercentCompletedDelete", "delete", "OBSPCTCOMPLETED", sdks=NET),
    _f(PA, "TaskObservedPercentCompletedCreate", "create", "OBSPCTCOMPLETED", sdks=NET),
    _f(PA, "TaskObservedPercentCompletedUpdate", "update", "OBSPCTCOMPLETED", sdks=NET),
    _f(PA, "TaskObservedPercentCompletedDelete", "delete", "OBSPCTCOMPLETED", sdks=NET),
    # Time & Expenses (the SDKs' EmployeeExpense namespace)
    _f(EE, "EmployeeCreate", "create", "EMPLOYEE"),
    _f(EE, "EmployeeUpdate", "update", "EMPLOYEE"),
    _f(EE, "EmployeeDelete", "delete_employee"),
    _f(EE, "ExpenseReportCreate", "create_expensereport"),
    _f(EE, "ExpenseReportDelete", "delete_expensereport"),
    _f(EE, "ExpenseReportReverse", "reverse_expensereport"),
    _f(EE, "ExpenseReportSummaryCreate", "create_expensereportbatch"),
    _f(EE, "ExpenseAdjustmentCreate", "create_expenseadjustmentreport"),
    _f(EE, "ExpenseAdjustmentDelete", "delete_expenseadjustmentreport"),
    _f(EE, "ExpenseTypeCreate", "create", "EEACCOUNTLABEL"),
    _f(EE, "ExpenseTypeUpdate", "update", "EEACCOUNTLABEL"),
    _f(EE, "ExpenseTypeDelete", "delete_expensetype"),
    _f(EE, "ReimbursementRequestCreate", "create_reimbursementrequest"),
    # Generic reads (the SDKs' Common namespace)
    _f(READS, "Read", "read"),
    _f(READS, "ReadByName", "readByName"),
    _f(READS, "ReadByQuery", "readByQuery"),
    _f(READS, "ReadMore", "readMore"),
    _f(READS, "ReadRelated", "readRelated"),
    _f(READS, "ReadReport", "readReport"),
    _f(READS, "ReadView", "readView"),
    _f(READS, "Query", "query"),
    _f(READS, "GetList", "get_list"),
    _f(READS, "Lookup", "lookup"),
    _f(READS, "Inspect", "inspect"),
    # Platform Services
    _f(PS, "DimensionsGet", "getDimensions"),
    _f(PS, "DimensionRelationshipsGet", "getDimensionRelationships"),
    _f(PS, "ApplicationInstall", "installApp"),
    # Inventory Control (items are in scope)
    _f(IC, "ItemCreate", "create", "ITEM"),
    _f(IC, "ItemUpdate", "update", "ITEM"),
    _f(IC, "ItemDelete", "delete_item"),
    _f(IC, "InventoryTransactionCreate", "create_ictransaction"),
    _f(IC, "InventoryTransactionDelete", "delete_ictransaction"),
    _f(IC, "WarehouseCreate", "create", "WAREHOUSE"),
    _f(IC, "WarehouseUpdate", "update", "WAREHOUSE"),
    _f(IC, "WarehouseDelete", "delete", "WAREHOUSE"),
    _f(IC, "WarehouseTransferCreate", "create", "ICTRANSFER", sdks=NET),
    _f(IC, "WarehouseTransferUpdate", "update", "ICTRANSFER", sdks=NET),
    _f(IC, "WarehouseTransferDelete", "delete", "ICTRANSFER", sdks=NET),
    # Order Entry
    _f(OE, "OrderEntryTransactionCreate", "create_sotransaction"),
    _f(OE, "OrderEntryTransactionUpdate", "update_sotransaction"),
    _f(OE, "OrderEntryTransactionDelete", "delete_sotransaction"),
    _f(OE, "RecurringOrderEntryTransactionCreate", "create_recursotransaction", sdks=NET),
    _f(OE, "RecurringOrderEntryTransactionDelete", "delete_recursotransaction", sdks=NET),
    _f(OE, "OrderEntryRetrievePDF", "retrievepdf", "SODOCUMENT", sdks=NODE),
    # Purchasing
    _f(PO, "PurchasingTransactionCreate", "create_potransaction"),
    _f(PO, "PurchasingTransactionUpdate", "update_potransaction"),
    _f(PO, "PurchasingTransactionDelete", "delete_potransaction"),
    _f(PO, "PurchasingTransactionApprove", "approve", "PODOCUMENT"),
    _f(PO, "PurchasingTransactionDecline", "decline", "PODOCUMENT"),
    # Data Delivery Service
    _f(DDS, "DdsJobCreate", "runDdsJob"),
    _f(DDS, "DdsObjectDdlRead", "getDdsDdl"),
    _f(DDS, "DdsObjectRead", "getDdsObjects"),
    _f(DDS, "DdsObjectDdlGet", "getDdsDdl", sdks=NET_NODE),
    _f(DDS, "DdsObjectList", "getDdsObjects", sdks=NET_NODE),
    # Global Consolidations
    _f(GC, "ConsolidationCreate", "consolidate"),
    # Contracts & Revenue Management
    _f(CN, "ContractCreate", "create", "CONTRACT", sdks=NET_NODE),
    _f(CN, "ContractUpdate", "update", "CONTRACT", sdks=NET_NODE),
    _f(CN, "ContractDelete", "delete", "CONTRACT", sdks=NET_NODE),
    _f(CN, "ContractLineCreate", "create", "CONTRACTDETAIL", sdks=NET_NODE),
    _f(CN, "ContractLineUpdate", "update", "CONTRACTDETAIL", sdks=NET_NODE),
    _f(CN, "ContractLineDelete", "delete", "CONTRACTDETAIL", sdks=NET_NODE),
    _f(CN, "ContractLineHold", "hold", "CONTRACTDETAIL", sdks=NET_NODE),
    _f(CN, "ContractLineResume", "resume", "CONTRACTDETAIL", sdks=NET_NODE),
)

#: module order on the coverage page
MODULES: tuple[str, ...] = tuple(dict.fromkeys(f.module for f in CATALOG))

#: functions the gateway answers itself (not through a registered handler)
GATEWAY_FUNCTIONS = frozenset({"getAPISession"})

IMPLEMENTED = "implemented"
NOT_IMPLEMENTED = "not implemented"


def scope_reason(entry: SdkFunction) -> str | None:
    """Why a class is out of scope, or None when the sandbox must implement it."""
    if entry.cls in IN_SCOPE_CLASSES:
        return None
    if entry.cls in OUT_OF_SCOPE_CLASSES:
        return OUT_OF_SCOPE_CLASSES[entry.cls]
    return OUT_OF_SCOPE.get(entry.module)


def status(entry: SdkFunction, registered: frozenset[str] | set[str], objects: dict[str, object]) -> str:
    """implemented / not implemented / out of scope (with the reason), from what is registered now."""
    reason = scope_reason(entry)
    done = entry.function in registered or entry.function in GATEWAY_FUNCTIONS
    if done and entry.object is not None:
        obj = objects.get(entry.object)
        flag = {"create": "creatable", "update": "updatable", "delete": "deletable"}.get(entry.function)
        done = obj is not None and (flag is None or bool(getattr(obj, flag, False)))
    if done:
        return IMPLEMENTED
    return f"module out of scope: {reason}" if reason else NOT_IMPLEMENTED
