"""Result-layer faults raised by the record functions (readByQuery, create, create_bill, ...).

Evidence is docs/intacct/protocol.md §4.3, §5 and §6 (cited per class). Where it has no
sample, the class says ``modelled = True`` and the coverage document lists it.
"""

from __future__ import annotations

from intacct_sandbox.faults import ErrorDetail, ResultFault


class QueryFailed(ResultFault):
    """Unknown object on a read: errorno is the text "Query Failed" (§4.3 text-as-errorno; TV19)."""

    errorno = "Query Failed"

    @classmethod
    def unknown_object(cls, name: str) -> QueryFailed:
        return cls(f"Object definition {name} not found")


#: the two real errornos of an unknown object on the reads (docs/intacct/gl-company-reads.md §3). Per
#: company (``set_error_variant``): "captured" answers each function as the captures show it (readByQuery
#: "Query Failed", read/readByName/lookup/inspect "XXX"); "XXX" or "Query Failed" answers every one so
UNKNOWN_OBJECT_VARIANTS = ("captured", "XXX", "Query Failed")
#: the captured errorno per function ("XXX" for the others)
CAPTURED_UNKNOWN_OBJECT = {"readByQuery": "Query Failed"}
UNKNOWN_OBJECT_META = "records:{company}:unknown_object_errorno"


class UnknownObject(ResultFault):
    """An unknown object on a read or inspect. The SDKs' test captures show errorno ``XXX`` with
    "Object definition VENDOR2 not found" (read) or "Object type CLASS1 not found" (inspect); others
    show ``Query Failed`` for the same failure. ``errorno`` is chosen per instance."""

    errorno = "XXX"

    @classmethod
    def for_name(cls, name: str, errorno: str = "XXX", inspect: bool = False) -> UnknownObject:
        kind = "Object type" if inspect else "Object definition"
        fault = cls(f"{kind} {name} not found")
        fault.detail = ErrorDetail(errorno, "", f"{kind} {name} not found", "")
        return fault


class UnknownObjectInQuery(ResultFault):
    """``query`` on an unknown object, as captured from production: errorno XL03000009, description
    "There was an error processing the function", then an empty ``<data>`` after the errors."""

    errorno = "XL03000009"
    description = "There was an error processing the function"

    @classmethod
    def for_name(cls, name: str) -> UnknownObjectInQuery:
        from intacct_sandbox._contract import FunctionOutcome

        fault = cls(f"Object definition {name} not found")
        fault.partial = FunctionOutcome(  # type: ignore[attr-defined]
            data_attrs={
                "listtype": name,
                "totalcount": "0",
                "offset": "0",
                "count": "0",
                "numremaining": "0",
            },
            data_after_errors=True,
        )
        return fault


class InvalidFieldsList(ResultFault):
    """A read's field list naming fields the object lacks: the errorno itself is the text
    "Invalid fields list <field>" and the other texts are empty (docs/intacct/gl-company-reads.md §3)."""

    errorno = "Invalid fields list"

    @classmethod
    def for_fields(cls, names: list[str]) -> InvalidFieldsList:
        fault = cls("")
        fault.detail = ErrorDetail(f"Invalid fields list {','.join(names)}", "", "", "")
        return fault


class QuerySyntaxError(QueryFailed):
    """Bad readByQuery string or query filter: no public sample (§14), modelled on "Query Failed"."""

    modelled = True


class InvalidFields(QueryFailed):
    """A field list naming fields the object lacks; "Invalid fields list x" is documented for read (§4.3)."""

    modelled = True


class DuplicateRecord(ResultFault):
    """BL34000061 "Another Customer with the given value(s) C1  already exists" (double space) followed by
    BL01001973 "Could not create customer record!" (§4.3; TV21; [go] execFuncError.xml)."""

    errorno = "BL34000061"
    correction = "Use a unique value instead."

    @classmethod
    def for_record(cls, label: str, obj_lower: str, value: str) -> DuplicateRecord:
        return cls(
            f"Another {label} with the given value(s) {value}  already exists",
            extra=[ErrorDetail("BL01001973", "", f"Could not create {obj_lower} record!", "")],
        )


class RecordNotFound(ResultFault):
    """BL01001973 "Cannot find customer with key '99999' to delete." (§6; TV20)."""

    errorno = "BL01001973"

    @classmethod
    def for_delete(cls, obj_lower: str, key: str) -> RecordNotFound:
        return cls(f"Cannot find {obj_lower} with key '{key}' to delete.")


class UpdateOfMissingRecord(ResultFault):
    """ "Cannot update non-existing CLASS with CLASSID=UT99." (§4.3, [oldphp]); the errorno is modelled."""

    errorno = "BL01001973"
    modelled = True

    @classmethod
    def for_key(cls, obj: str, key_field: str, key: str) -> UpdateOfMissingRecord:
        return cls(f"Cannot update non-existing {obj} with {key_field}={key}.")


class ValidationFailed(ResultFault):
    """Missing required field, bad value, bad reference: the generic BL01001973 family (§4.3). Texts are
    modelled on the documented ones ("Invalid Project '10064' specified.")."""

    errorno = "BL01001973"
    modelled = True


class CouldNotCreate(ResultFault):
    """The trailing "Could not create <object> record!" error (§4.3)."""

    errorno = "BL01001973"


class ClosedPeriod(ValidationFailed):
    """A posting date inside a period the company has closed (sandbox company setting; text modelled)."""

    correction = "Use a date in an open period, or reopen the period."


class DuplicateBillNumber(ResultFault):
    """A bill number (RECORDID) already used on another bill of the same vendor. Intacct refuses it
    (the AP integrations list it as a bad-input case); no public sample of the error exists, so the
    code follows the duplicate family (BL34000061 + "Could not create apbill record!") and the text
    is modelled."""

    errorno = "BL34000061"
    correction = "Use a different bill number, or update the existing bill."
    modelled = True

    @classmethod
    def for_bill(cls, vendor_id: str, bill_number: str, existing: int) -> DuplicateBillNumber:
        return cls(
            f"Another Bill with the given value(s) {vendor_id}, {bill_number}  already exists "
            f"(bill {existing}): a vendor's bill numbers must be unique.",
            extra=[ErrorDetail("BL01001973", "", "Could not create apbill record!", "")],
        )


class Overpayment(ValidationFailed):
    """A payment applying more than a document still owes (text modelled)."""

    correction = "Apply no more than the amount due."


class AlreadyPaid(ValidationFailed):
    """A payment on a document whose STATE is Paid (text modelled)."""

    correction = "Refresh the document: it was paid in full already."


class HoursInvalid(ValidationFailed):
    """A timesheet entry with zero, negative or more than 24 hours (text modelled)."""

    correction = "Enter between 0.01 and 24 hours, or leave the day out."


class TaskClosed(ValidationFailed):
    """Time charged to a task whose TASKSTATUS is Completed (text modelled)."""

    correction = "Reopen the task (TASKSTATUS In Progress) or charge another task."


class ApiProxyRequired(ResultFault):
    """Creating or approving another employee's timesheet without the Projects "API Proxy" right
    (docs/intacct/objects.md §16, docs/intacct/setup.md §4: refused, text UNSURE). The code is the permission
    family's."""

    errorno = "PL04000005"
    correction = "Grant the Web Services user's role the Projects API Proxy permission."
    modelled = True

    @classmethod
    def for_employee(cls, action: str, employee_id: str) -> ApiProxyRequired:
        return cls(
            f"You do not have the Projects API Proxy permission needed to {action} a timesheet on "
            f"behalf of employee {employee_id}."
        )


class ResultIdInvalid(ResultFault):
    """readMore with an expired, unknown or fully-read resultId: lifetime and error are UNSURE (§5.2, §14)."""

    errorno = "Query Failed"
    modelled = True


class PageSizeInvalid(ResultFault):
    """pagesize outside 1..1000 (readByQuery) or 1..2000 (query) (§5.1, §5.5); error text modelled."""

    errorno = "BL01001973"
    modelled = True


class NotInSandbox(ResultFault):
    """A documented option the sandbox does not model (e.g. returnFormat csv): answered loudly."""

    errorno = "BL01001973"
    description = "Not implemented in the sandbox"
    modelled = True


class OperationNotAllowed(ResultFault):
    """An operation the object does not support ("API operation 'X' cannot be performed on objects of
    type y", §4.3 no-code row)."""

    errorno = "BL01001973"
    modelled = True


ALL_FAULTS: tuple[type[ResultFault], ...] = (
    QueryFailed,
    QuerySyntaxError,
    InvalidFields,
    UnknownObject,
    UnknownObjectInQuery,
    InvalidFieldsList,
    DuplicateRecord,
    RecordNotFound,
    UpdateOfMissingRecord,
    ValidationFailed,
    CouldNotCreate,
    ClosedPeriod,
    DuplicateBillNumber,
    Overpayment,
    AlreadyPaid,
    HoursInvalid,
    TaskClosed,
    ApiProxyRequired,
    ResultIdInvalid,
    PageSizeInvalid,
    NotInSandbox,
    OperationNotAllowed,
)
