"""Deterministic, realistic demo records for one company.

    info = populate(store, "DEMO", seed=1, entities=("E100", "E200"), clock=now, customers=100_000)

Master data (chart of accounts, departments with a hierarchy, employees and their contacts, customers,
vendors, projects, tasks, classes) is shared by every entity; a fifth of the AR/AP documents belong to
the second entity, so top-level sessions need showprivate to see them. Invoices are a mix of open,
partly paid and paid (with their ARPYMT payments into undeposited funds). Rows are written straight to
the store (no per-record validation or audit events) so 100k customers take a second or two.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from intacct_sandbox.objects import get_object
from intacct_sandbox.objects.arinvoice import CONTACT_PARTS
from intacct_sandbox.objects.documents import payment_state

Row = dict[str, Any]

FIRST = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Priya",
    "Ashley",
    "Wei",
    "Kimberly",
    "Andrew",
    "Emily",
    "Joshua",
    "Donna",
    "Kenneth",
    "Michelle",
    "Kevin",
    "Aisha",
)
LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Patel",
)
WORDS = (
    "Summit",
    "Harbor",
    "Pioneer",
    "Granite",
    "Cedar",
    "Beacon",
    "Northwind",
    "Bluebird",
    "Ironwood",
    "Silverline",
    "Redwood",
    "Keystone",
    "Lakeside",
    "Meridian",
    "Evergreen",
    "Horizon",
    "Atlas",
    "Falcon",
    "Crescent",
    "Prairie",
    "Sterling",
    "Copper",
    "Riverbend",
    "Oakridge",
    "Vantage",
    "Apex",
    "Coastal",
    "Juniper",
    "Maple",
    "Sequoia",
)
KINDS = (
    "Logistics",
    "Dental Group",
    "Consulting",
    "Manufacturing",
    "Foods",
    "Analytics",
    "Construction",
    "Health Partners",
    "Software",
    "Outfitters",
    "Energy",
    "Media",
    "Legal LLP",
    "Architects",
    "Labs",
    "Hospitality",
    "Supply Co.",
    "Marine",
    "Robotics",
    "Realty",
)
SUFFIX = ("Inc.", "LLC", "Co.", "Corp.", "Group", "Ltd.")
STREETS = (
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Pine St",
    "Cedar Ln",
    "Elm St",
    "Washington Blvd",
    "Lake Rd",
    "Hill St",
    "Park Ave",
    "Market St",
    "Mission St",
    "Congress Ave",
    "Broadway",
    "Sunset Blvd",
)
CITIES = (
    ("Austin", "TX", "787"),
    ("Seattle", "WA", "981"),
    ("Denver", "CO", "802"),
    ("Boston", "MA", "021"),
    ("Chicago", "IL", "606"),
    ("Portland", "OR", "972"),
    ("Atlanta", "GA", "303"),
    ("San Jose", "CA", "951"),
    ("Phoenix", "AZ", "850"),
    ("Nashville", "TN", "372"),
    ("Minneapolis", "MN", "554"),
    ("Raleigh", "NC", "276"),
)
VENDOR_KINDS = (
    "Office Supply",
    "Cloud Hosting",
    "Staffing",
    "Freight",
    "Utilities",
    "Legal Services",
    "Insurance",
    "Telecom",
    "Catering",
    "Facilities",
    "Marketing",
    "Hardware",
)
TITLES = (
    "Accountant",
    "Controller",
    "Sales Manager",
    "Account Executive",
    "Software Engineer",
    "Project Manager",
    "Consultant",
    "Analyst",
    "Designer",
    "Support Specialist",
    "Director",
)

#: (ACCOUNTNO, TITLE, ACCOUNTTYPE, NORMALBALANCE, CATEGORY)
CHART = (
    ("1000", "Cash - Operating Account", "balancesheet", "debit", "Cash and Cash Equivalents"),
    ("1010", "Undeposited Funds", "balancesheet", "debit", "Cash and Cash Equivalents"),
    ("1200", "Accounts Receivable", "balancesheet", "debit", "Accounts Receivable"),
    ("1400", "Prepaid Expenses", "balancesheet", "debit", "Other Current Assets"),
    ("1500", "Equipment", "balancesheet", "debit", "Fixed Assets"),
    ("2000", "Accounts Payable", "balancesheet", "credit", "Accounts Payable"),
    ("2100", "Accrued Liabilities", "balancesheet", "credit", "Other Current Liabilities"),
    ("3000", "Retained Earnings", "balancesheet", "credit", "Retained Earnings"),
    ("4000", "Revenue", "incomestatement", "credit", "Revenue"),
    ("4100", "Services Revenue", "incomestatement", "credit", "Revenue"),
    ("5000", "Cost of Goods Sold", "incomestatement", "debit", "Cost of Sales"),
    ("6000", "General Expense", "incomestatement", "debit", "Operating Expenses"),
    ("6100", "Rent", "incomestatement", "debit", "Operating Expenses"),
    ("6200", "Travel", "incomestatement", "debit", "Operating Expenses"),
    ("6300", "Software Subscriptions", "incomestatement", "debit", "Operating Expenses"),
    ("6400", "Salaries and Wages", "incomestatement", "debit", "Payroll Expenses"),
)
GL_ACCOUNTS = {
    "expense": "6000",
    "revenue": "4000",
    "accounts_receivable": "1200",
    "undeposited_funds": "1010",
}
DEPARTMENTS = (
    ("D100", "Executive", None),
    ("D200", "Sales", "D100"),
    ("D210", "Sales - East", "D200"),
    ("D220", "Sales - West", "D200"),
    ("D300", "Engineering", "D100"),
    ("D310", "Platform", "D300"),
    ("D400", "Finance", "D100"),
    ("D500", "Professional Services", "D100"),
)
PROJECT_TYPES = (
    ("Contract", "Implementation"),
    ("Contract", "Managed Services"),
    ("Internal Non-billable", "Internal"),
    ("Internal Billable", "Advisory"),
)
TASKS = ("Discovery", "Design", "Build", "Testing", "Training", "Go-live Support")

#: share of generated master records and documents that were edited after they were made
EDITED_SHARE = 0.7

DEFAULT_SIZES = {
    "customers": 50,
    "vendors": 20,
    "employees": 12,
    "projects": 8,
    "invoices": 40,
    "bills": 30,
    "timesheets": 10,
    "classes": 4,
}


def _now(clock: datetime | Callable[[], datetime] | None) -> datetime:
    value = clock() if callable(clock) else clock
    return (value or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


class _Writer:
    """Fills rows from each object's field defaults and inserts them without journalling overhead."""

    def __init__(self, store: Any, company_id: str, now: datetime, seed: float = 0.0) -> None:
        self.store = store
        #: its own stream, so edits do not shift the rest of the generated data
        self.edits = random.Random(seed)
        self.audited: dict[str, bool] = {}
        self.company_id = company_id
        self.now = now
        self.templates: dict[str, Row] = {}
        self.admin = 0

    def add(self, obj: str, values: Row, created: datetime | None = None) -> Row:
        template = self.templates.get(obj)
        if template is None:
            definition = get_object(obj)
            assert definition is not None
            template = self.templates[obj] = {f.name: f.default for f in definition.fields}
            if definition.stamps:
                template.update({"WHENMODIFIED": None, "CREATEDBY": self.admin or None, "MODIFIEDBY": None})
        row = template.copy()
        row.update(values)
        stamp_field = "AUWHENCREATED" if "AUWHENCREATED" in template else "WHENCREATED"
        if stamp_field in template and not isinstance(row.get(stamp_field), datetime):
            row[stamp_field] = created or self.now
        if self._audited(obj) and self.edits.random() < EDITED_SHARE and "WHENMODIFIED" not in values:
            # most real records have been edited since they were made; the rest keep an empty WHENMODIFIED
            born = row[stamp_field]
            row["WHENMODIFIED"] = born + (self.now - born) * self.edits.random()
            row["MODIFIEDBY"] = self.admin or None
        self.store.insert(self.company_id, obj, row)
        return row

    def _audited(self, obj: str) -> bool:
        known = self.audited.get(obj)
        if known is None:
            definition = get_object(obj)
            known = self.audited[obj] = bool(definition and definition.audited and definition.stamps)
        return known


def _company_name(rng: random.Random) -> str:
    return f"{rng.choice(WORDS)} {rng.choice(KINDS)} {rng.choice(SUFFIX)}"


def _address(rng: random.Random, prefix: str) -> Row:
    city, state, zip3 = rng.choice(CITIES)
    return {
        f"{prefix}MAILADDRESS.ADDRESS1": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
        f"{prefix}MAILADDRESS.CITY": city,
        f"{prefix}MAILADDRESS.STATE": state,
        f"{prefix}MAILADDRESS.ZIP": f"{zip3}{rng.randint(0, 99):02d}",
        f"{prefix}MAILADDRESS.COUNTRY": "United States",
        f"{prefix}MAILADDRESS.COUNTRYCODE": "US",
    }


def _party(rng: random.Random, prefix: str, name: str, party_id: str, letter: str, domain_of: str) -> Row:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    domain = "".join(ch for ch in domain_of.lower() if ch.isalnum())[:18] or "example"
    return {
        f"{prefix}.PRINTAS": name,
        f"{prefix}.CONTACTNAME": f"{name}({letter}{party_id})",
        f"{prefix}.COMPANYNAME": name,
        f"{prefix}.FIRSTNAME": first,
        f"{prefix}.LASTNAME": last,
        f"{prefix}.EMAIL1": f"{first.lower()}.{last.lower()}@{domain}.example.com",
        f"{prefix}.PHONE1": f"({rng.randint(201, 989)}) 555-{rng.randint(0, 9999):04d}",
        **_address(rng, f"{prefix}."),
    }


def _invoice_contacts(customer: Row) -> Row:
    """An invoice's copies of its customer's display contact (CONTACT.*, BILLTO.*, SHIPTO.*)."""
    out: Row = {}
    for part in CONTACT_PARTS:
        value = customer.get(f"DISPLAYCONTACT.{part}")
        out[f"CONTACT.{part}"] = value
        if part != "CONTACTNAME":
            out[f"BILLTO.{part}"] = out[f"SHIPTO.{part}"] = value
    return out


def _past(rng: random.Random, now: datetime, max_days: int) -> datetime:
    return now - timedelta(days=rng.randint(1, max_days), seconds=rng.randint(0, 86399))


def populate(
    store: Any,
    company_id: str,
    *,
    seed: int = 1,
    entities: Sequence[str] = ("E100", "E200"),
    clock: datetime | Callable[[], datetime] | None = None,
    **sizes: int,
) -> dict[str, Any]:
    """Write the demo records of one company; returns what was made (and the demo GL accounts)."""
    unknown = set(sizes) - set(DEFAULT_SIZES)
    if unknown:
        raise ValueError(f"unknown demo sizes: {', '.join(sorted(unknown))}")
    size = {**DEFAULT_SIZES, **sizes}
    if any(store.count(company_id, obj) for obj in ("GLACCOUNT", "CUSTOMER", "VENDOR")):
        raise ValueError(f"company {company_id} already has records; reset it before seeding demo data")
    own_txn = not store.in_transaction
    if own_txn:
        store.begin()
    try:
        info = _populate(store, company_id, random.Random(seed), tuple(entities), _now(clock), size)
    except BaseException:
        if own_txn:
            store.rollback()
        raise
    if own_txn:
        store.commit()
    return info


def _populate(
    store: Any,
    company_id: str,
    rng: random.Random,
    entities: tuple[str, ...],
    now: datetime,
    size: dict[str, int],
) -> dict[str, Any]:
    w = _Writer(store, company_id, now, rng.random())
    start = now - timedelta(days=400)
    w.admin = w.add(
        "USERINFO",
        {
            "LOGINID": "Admin",
            "USERTYPE": "business user",
            "ADMIN": "Full",
            "DESCRIPTION": "Company administrator",
            "CONTACTINFO.FIRSTNAME": "Avery",
            "CONTACTINFO.LASTNAME": "Admin",
        },
        start,
    )["RECORDNO"]
    for number, entity_id in enumerate(entities, start=1):
        w.add(
            "LOCATION",
            {
                "LOCATIONID": entity_id,
                "NAME": f"Demo Entity {number}",
                "ENTITY": True,
                "REPORTPRINTAS": f"Demo Entity {number}",
                "CURRENCY": "USD",
                "STARTDATE": start.date(),
            },
            start,
        )
    for accountno, title, kind, balance, category in CHART:
        w.add(
            "GLACCOUNT",
            {
                "ACCOUNTNO": accountno,
                "TITLE": title,
                "ACCOUNTTYPE": kind,
                "NORMALBALANCE": balance,
                "CATEGORY": category,
            },
            start,
        )
    dept_keys: dict[str, int] = {}
    for dept_id, title, parent in DEPARTMENTS:
        row = w.add(
            "DEPARTMENT",
            {
                "DEPARTMENTID": dept_id,
                "TITLE": title,
                "PARENTID": parent,
                "PARENTKEY": dept_keys.get(parent or ""),
            },
            start,
        )
        dept_keys[dept_id] = row["RECORDNO"]
    for number in range(1, size["classes"] + 1):
        w.add("CLASS", {"CLASSID": f"CL{number:02d}", "NAME": f"{WORDS[number % len(WORDS)]} Segment"}, start)

    employees: list[str] = []
    for number in range(1, size["employees"] + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        contact_name = f"{last}, {first} ({number})"
        email = f"{first.lower()}.{last.lower()}{number}@demo.example.com"
        contact = {
            "CONTACTNAME": contact_name,
            "PRINTAS": f"{first} {last}",
            "FIRSTNAME": first,
            "LASTNAME": last,
            "EMAIL1": email,
            **_address(rng, ""),
        }
        w.add("CONTACT", contact, _past(rng, now, 400))
        employee_id = f"EMP{number:03d}"
        dept_id, dept_title, _ = DEPARTMENTS[(number - 1) % len(DEPARTMENTS)]
        copies = {f"CONTACT.{k}": v for k, v in contact.items()}
        w.add(
            "EMPLOYEE",
            {
                "EMPLOYEEID": employee_id,
                "PERSONALINFO.CONTACTNAME": contact_name,
                **copies,
                "TITLE": rng.choice(TITLES),
                "DEPARTMENTID": dept_id,
                "DEPARTMENTNAME": dept_title,
                "STARTDATE": (now - timedelta(days=rng.randint(30, 3000))).date(),
                "EMPLOYEETYPE": "Full Time",
                "SUPERVISORID": "EMP001" if number > 1 else None,
                "LOCATIONID": entities[number % len(entities)] if entities else None,
            },
            _past(rng, now, 400),
        )
        employees.append(employee_id)

    customers: list[tuple[str, str]] = []
    for number in range(1, size["customers"] + 1):
        name = _company_name(rng)
        customer_id = f"C{number:05d}"
        w.add(
            "CUSTOMER",
            {
                "CUSTOMERID": customer_id,
                "NAME": name,
                "STATUS": "inactive" if rng.random() < 0.05 else "active",
                "CUSTTYPE": rng.choice(("Direct", "Partner", "Government")),
                "TERMNAME": "N30",
                "CURRENCY": "USD",
                "CREDITLIMIT": Decimal(rng.randint(5, 100) * 1000),
                "TOTALDUE": Decimal(0),
                **_party(rng, "DISPLAYCONTACT", name, customer_id, "C", name),
            },
            _past(rng, now, 400),
        )
        customers.append((customer_id, name))

    vendors: list[tuple[str, str]] = []
    for number in range(1, size["vendors"] + 1):
        name = f"{rng.choice(WORDS)} {rng.choice(VENDOR_KINDS)} {rng.choice(SUFFIX)}"
        vendor_id = f"V{number:04d}"
        w.add(
            "VENDOR",
            {
                "VENDORID": vendor_id,
                "NAME": name,
                "STATUS": "active",
                "TERMNAME": "N30",
                "VENDTYPE": rng.choice(("Supplier", "Contractor", "Service")),
                "CURRENCY": "USD",
                "APACCOUNT": "6000",
                "TOTALDUE": Decimal(0),
                **_party(rng, "DISPLAYCONTACT", name, vendor_id, "V", name),
            },
            _past(rng, now, 400),
        )
        vendors.append((vendor_id, name))

    active_customers = customers[:500]
    tasks: list[tuple[int, str, str]] = []
    for number in range(1, size["projects"] + 1):
        category, kind = PROJECT_TYPES[number % len(PROJECT_TYPES)]
        project_customer: tuple[str | None, str | None] = (
            active_customers[number % len(active_customers)]
            if active_customers and category == "Contract"
            else (None, None)
        )
        project_customer_id, project_customer_name = project_customer
        project_id = f"P{number:04d}"
        begin = (now - timedelta(days=rng.randint(20, 300))).date()
        end = begin + timedelta(days=180)
        if number == 3:
            # a project that ended long ago: its end date does not qualify for PSA-style imports
            begin, end = begin - timedelta(days=700), begin - timedelta(days=520)
        w.add(
            "PROJECT",
            {
                "PROJECTID": project_id,
                "NAME": f"{project_customer_name or 'Internal'} {kind}",
                "PROJECTCATEGORY": category,
                "PROJECTTYPE": kind,
                "PROJECTSTATUS": "In Progress",
                "CUSTOMERID": project_customer_id,
                "CUSTOMERNAME": project_customer_name,
                "BEGINDATE": begin,
                "ENDDATE": end,
                # the last project was closed: inactive, as Intacct keeps them
                "STATUS": "inactive" if number == size["projects"] and number > 1 else "active",
                "DEPARTMENTID": "D500",
                "MANAGERID": employees[number % len(employees)] if employees else None,
                "CURRENCY": "USD",
                "BUDGETAMOUNT": Decimal(rng.randint(10, 200) * 1000),
            },
            _past(rng, now, 300),
        )
        for task_number, task_name in enumerate(TASKS[: rng.randint(3, len(TASKS))], start=1):
            row = w.add(
                "TASK",
                {
                    "TASKID": f"T{task_number:02d}",
                    "NAME": task_name,
                    "PROJECTID": project_id,
                    "PROJECTNAME": f"{project_customer_name or 'Internal'} {kind}",
                    "TASKSTATUS": rng.choice(("Planned", "In Progress", "Completed")),
                    "BILLABLE": category == "Contract",
                },
                _past(rng, now, 300),
            )
            tasks.append((row["RECORDNO"], project_id, row["TASKID"]))

    due: dict[str, Decimal] = {}
    invoice_count = paid_count = 0
    for _ in range(size["invoices"] if active_customers else 0):
        customer_id, customer_name = rng.choice(active_customers)
        entity: str | None = entities[1] if len(entities) > 1 and rng.random() < 0.2 else None
        created = (now - timedelta(days=rng.randint(1, 120))).date()
        amounts = [Decimal(rng.randint(100, 500000)) / 100 for _ in range(rng.randint(1, 3))]
        total = sum(amounts, Decimal(0))
        roll = rng.random()
        paid = (
            total
            if roll < 0.4
            else (total * Decimal("0.5")).quantize(Decimal("0.01"))
            if roll < 0.55
            else Decimal(0)
        )
        header = w.add(
            "ARINVOICE",
            {
                "RECORDID": f"INV-{10000 + invoice_count}",
                "CUSTOMERID": customer_id,
                "CUSTOMERNAME": customer_name,
                "WHENCREATED": created,
                "WHENPOSTED": created,
                "WHENDUE": created + timedelta(days=30),
                "TERMNAME": "N30",
                "TOTALENTERED": total,
                "TOTALPAID": paid,
                "TOTALDUE": total - paid,
                "TOTALSELECTED": Decimal(0),
                "STATE": payment_state(total, paid),
                "WHENPAID": created + timedelta(days=20) if paid == total and paid else None,
                "MEGAENTITYID": entity,
                "MEGAENTITYNAME": entity,
                **_invoice_contacts(store.get_by_id(company_id, "CUSTOMER", customer_id)),
            },
            _past(rng, now, 120),
        )
        left = paid
        for line_no, amount in enumerate(amounts):
            share = min(left, amount)
            left -= share
            w.add(
                "ARINVOICEITEM",
                {
                    "RECORDKEY": header["RECORDNO"],
                    "LINE_NO": line_no,
                    "ACCOUNTNO": "4000",
                    "ACCOUNTTITLE": "Revenue",
                    "TRX_AMOUNT": amount,
                    "AMOUNT": amount,
                    "ENTRYDESCRIPTION": rng.choice(
                        ("Consulting hours", "Subscription", "Implementation fee", "Support plan")
                    ),
                    "DEPARTMENTID": "D200",
                    "TOTALPAID": share,
                    "TOTALSELECTED": Decimal(0),
                    "MEGAENTITYID": entity,
                    "MEGAENTITYNAME": entity,
                },
            )
        if paid:
            received = created + timedelta(days=rng.randint(5, 25))
            payment = w.add(
                "ARPYMT",
                {
                    "PAYMENTMETHOD": rng.choice(("Printed Check", "EFT", "Credit Card")),
                    "CUSTOMERID": customer_id,
                    "CUSTOMERNAME": customer_name,
                    "RECEIPTDATE": received,
                    "WHENCREATED": received,
                    "UNDEPOSITEDACCOUNTNO": "1010",
                    "DOCNUMBER": f"CHK{rng.randint(1000, 99999)}",
                    "TOTALENTERED": paid,
                    "TOTALPAID": paid,
                    "TOTALDUE": Decimal(0),
                    "STATE": "Complete",
                    "MEGAENTITYID": entity,
                    "MEGAENTITYNAME": entity,
                },
                _past(rng, now, 100),
            )
            w.add(
                "ARPYMTDETAIL",
                {
                    "PAYMENTKEY": payment["RECORDNO"],
                    "LINE_NO": 0,
                    "RECORDKEY": header["RECORDNO"],
                    "TRX_PAYMENTAMOUNT": paid,
                    "PAYMENTAMOUNT": paid,
                    "MEGAENTITYID": entity,
                },
            )
            paid_count += 1
        due[customer_id] = due.get(customer_id, Decimal(0)) + total - paid
        invoice_count += 1
    for customer_id, amount in due.items():
        row = store.get_by_id(company_id, "CUSTOMER", customer_id)
        store.replace(company_id, "CUSTOMER", row["RECORDNO"], {**row, "TOTALDUE": amount})

    vendor_due: dict[str, Decimal] = {}
    expense_accounts = ("6000", "6100", "6200", "6300")
    for number in range(size["bills"] if vendors else 0):
        vendor_id, vendor_name = rng.choice(vendors)
        entity = entities[1] if len(entities) > 1 and rng.random() < 0.2 else None
        created = (now - timedelta(days=rng.randint(1, 120))).date()
        amounts = [Decimal(rng.randint(50, 200000)) / 100 for _ in range(rng.randint(1, 3))]
        total = sum(amounts, Decimal(0))
        # some bills were paid in Intacct (fully, or half): chosen by position, not by the random
        # stream, so the rest of the generated data stays as it was
        paid = (
            total
            if number % 5 == 1
            else (total / 2).quantize(Decimal("0.01"))
            if number % 5 == 3
            else Decimal(0)
        )
        header = w.add(
            "APBILL",
            {
                "RECORDID": f"BILL-{5000 + number}",
                "VENDORID": vendor_id,
                "VENDORNAME": vendor_name,
                "WHENCREATED": created,
                "WHENPOSTED": created,
                "WHENDUE": created + timedelta(days=30),
                "TERMNAME": "N30",
                "TOTALENTERED": total,
                "TOTALPAID": paid,
                "TOTALDUE": total - paid,
                "TOTALSELECTED": Decimal(0),
                "STATE": payment_state(total, paid),
                "WHENPAID": created + timedelta(days=25) if paid and paid == total else None,
                "MEGAENTITYID": entity,
                "MEGAENTITYNAME": entity,
            },
            _past(rng, now, 120),
        )
        left = paid
        for line_no, amount in enumerate(amounts):
            share = min(left, amount)
            left -= share
            account = rng.choice(expense_accounts)
            w.add(
                "APBILLITEM",
                {
                    "RECORDKEY": header["RECORDNO"],
                    "LINE_NO": line_no,
                    "ACCOUNTNO": account,
                    "ACCOUNTTITLE": dict((a, t) for a, t, *_ in CHART)[account],
                    "TRX_AMOUNT": amount,
                    "AMOUNT": amount,
                    "DEPARTMENTID": rng.choice(DEPARTMENTS)[0],
                    "TOTALPAID": share,
                    "TOTALSELECTED": Decimal(0),
                    "MEGAENTITYID": entity,
                    "MEGAENTITYNAME": entity,
                },
            )
        vendor_due[vendor_id] = vendor_due.get(vendor_id, Decimal(0)) + total - paid
    for vendor_id, amount in vendor_due.items():
        row = store.get_by_id(company_id, "VENDOR", vendor_id)
        store.replace(company_id, "VENDOR", row["RECORDNO"], {**row, "TOTALDUE": amount})

    for number in range(size["timesheets"] if employees and tasks else 0):
        employee_id = employees[number % len(employees)]
        monday = (now - timedelta(days=7 * (number // len(employees) + 1))).date()
        monday -= timedelta(days=monday.weekday())
        entries = []
        for day in range(5):
            task_key, project_id, task_id = rng.choice(tasks)
            entries.append(
                (monday + timedelta(days=day), Decimal(rng.randint(4, 9)), task_key, project_id, task_id)
            )
        state = rng.choice(("Approved", "Submitted", "Draft"))
        header = w.add(
            "TIMESHEET",
            {
                "EMPLOYEEID": employee_id,
                "BEGINDATE": monday,
                "ENDDATE": monday + timedelta(days=6),
                "STATE": state,
                "HOURS": sum((e[1] for e in entries), Decimal(0)),
                "DESCRIPTION": f"Week of {monday.strftime('%m/%d/%Y')}",
            },
            datetime.combine(monday + timedelta(days=5), datetime.min.time(), UTC),
        )
        for line_no, (when, qty, task_key, project_id, task_id) in enumerate(entries):
            w.add(
                "TIMESHEETENTRY",
                {
                    "TIMESHEETKEY": header["RECORDNO"],
                    "LINE_NO": line_no,
                    "ENTRYDATE": when,
                    "QTY": qty,
                    "TASKKEY": task_key,
                    "TASKID": task_id,
                    "PROJECTID": project_id,
                    "BILLABLE": True,
                    "STATE": state,
                },
            )

    return {
        "company_id": company_id,
        "entity_ids": list(entities),
        "gl_accounts": dict(GL_ACCOUNTS),
        "counts": {
            obj: store.count(company_id, obj)
            for obj in (
                "GLACCOUNT",
                "DEPARTMENT",
                "LOCATION",
                "EMPLOYEE",
                "CONTACT",
                "CUSTOMER",
                "VENDOR",
                "PROJECT",
                "TASK",
                "ARINVOICE",
                "ARPYMT",
                "APBILL",
                "TIMESHEET",
                "CLASS",
            )
        },
        "paid_invoices": paid_count,
    }
