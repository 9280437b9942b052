"""retrievepdf for ARINVOICE (docs/intacct/objects.md §17): ``<retrievepdf><ARINVOICE><RECORDNO>n</RECORDNO>
</ARINVOICE></retrievepdf>`` answers ``<data listtype="arinvoice" count="1"><arinvoice><recordno/>
<pdfdata>BASE64</pdfdata></arinvoice></data>``. The PDF is a small valid one-page document written here
(the real layout is the company's print template)."""

from __future__ import annotations

import base64
from typing import Any

from lxml import etree

from intacct_sandbox._contract import CallContext, FunctionOutcome, function
from intacct_sandbox.functions.common import children, object_for_read, unwrapped
from intacct_sandbox.objects.documents import money
from intacct_sandbox.objects.values import to_wire, utc_stamp
from intacct_sandbox.record_faults import ValidationFailed


def _escape(text: str) -> str:
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def render_pdf(lines: list[str]) -> bytes:
    """A minimal PDF 1.4: one page, Helvetica, one text line per entry, correct xref offsets."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "56 780 Td"]
    for line in lines:
        ops.append(f"({_escape(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def invoice_lines(invoice: dict[str, Any], items: list[dict[str, Any]]) -> list[str]:
    def show(value: Any) -> str:
        return to_wire(value, utc_stamp) or ""

    lines = [
        f"INVOICE {show(invoice.get('RECORDID')) or invoice['RECORDNO']}",
        f"Customer: {show(invoice.get('CUSTOMERNAME'))} ({show(invoice.get('CUSTOMERID'))})",
        f"Date: {show(invoice.get('WHENCREATED'))}    Due: {show(invoice.get('WHENDUE'))}",
        "",
    ]
    for item in items:
        lines.append(
            f"{show(item.get('ENTRYDESCRIPTION')) or show(item.get('ACCOUNTNO'))}: "
            f"{money(item.get('AMOUNT'))}"
        )
    lines += [
        "",
        f"Total: {money(invoice.get('TOTALENTERED'))} {show(invoice.get('CURRENCY'))}",
        f"Paid: {money(invoice.get('TOTALPAID'))}",
        f"Due: {money(invoice.get('TOTALDUE'))}",
    ]
    return lines


@function("retrievepdf")
@unwrapped
def retrievepdf(ctx: CallContext, el: etree._Element) -> FunctionOutcome:
    items = children(el)
    if len(items) != 1:
        raise ValidationFailed("retrievepdf takes exactly one document.")
    obj = object_for_read(str(items[0].tag))
    if obj.name != "ARINVOICE":
        raise ValidationFailed(
            f"retrievepdf is not available for {obj.name} in the sandbox (ARINVOICE only)."
        )
    ctx.require(obj.name, "V")
    key = "".join(c.text or "" for c in children(items[0]) if c.tag == "RECORDNO").strip()
    from intacct_sandbox.objects.writes import WriteContext

    invoice = WriteContext.of(ctx).get(obj.name, int(key)) if key.isdigit() else None
    if invoice is None:
        raise ValidationFailed(f"Invalid Invoice '{key}' specified.")
    lines = ctx.store.children(ctx.company_id, "ARINVOICEITEM", invoice["RECORDNO"])
    pdf = render_pdf(invoice_lines(invoice, lines))
    record = {"recordno": str(invoice["RECORDNO"]), "pdfdata": base64.b64encode(pdf).decode("ascii")}
    return FunctionOutcome(
        records=[("arinvoice", record)], data_attrs={"listtype": "arinvoice", "count": "1"}
    )
