"""The public API of intacct_sandbox: what __all__ promises exists and is what INTERFACES.md names."""

from __future__ import annotations

import intacct_sandbox


def test_all_names_exist() -> None:
    for name in intacct_sandbox.__all__:
        assert hasattr(intacct_sandbox, name), name


def test_interface_names() -> None:
    assert {"Sandbox", "SandboxServer", "SandboxFault", "FunctionOutcome", "function"} <= set(
        intacct_sandbox.__all__
    )
    sb = intacct_sandbox.Sandbox()
    for method in (
        "create_company",
        "set_web_services",
        "register_sender",
        "authorize_sender",
        "create_role",
        "create_user",
        "set_user",
        "add_smart_rule",
        "seed_demo",
        "mutate",
        "fault",
        "clear_faults",
        "records",
        "count",
        "set_clock",
        "advance_clock",
        "reset",
        "stats",
    ):
        assert callable(getattr(sb.control, method)), method
    assert callable(sb.wsgi_app)
    creds = sb.seed_demo(seed=1, customers=3)
    assert "endpoint" not in creds
    with intacct_sandbox.SandboxServer(sb, host="127.0.0.1", port=0) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.endpoint == server.url + "/ia/xml/xmlgw.phtml"
        assert sb.control.show()["endpoint"] == server.endpoint


def test_no_client_or_django_imports() -> None:
    import subprocess
    import sys

    code = (
        "import sys, intacct_sandbox, intacct_sandbox.cli, intacct_sandbox.coverage_doc;"
        "import intacct_sandbox.functions;"
        "bad=[m for m in sys.modules"
        " if m=='intacct' or m.startswith(('intacct.','django','intacct_bridge'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, check=False).returncode == 0


def test_coverage_document_is_generated_from_the_code() -> None:
    from intacct_sandbox._contract import registered_functions
    from intacct_sandbox.coverage_doc import render
    from intacct_sandbox.objects import SCHEMAS

    text = render()
    for name in registered_functions():
        assert f"`{name}`" in text
    for obj in SCHEMAS:
        assert f"| {obj} |" in text
    assert "DuplicateControlIdFault" in text and "XL03000008" in text
