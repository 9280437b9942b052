"""intacct_sandbox: an offline emulator of the Sage Intacct XML gateway.

from intacct_sandbox import Sandbox, SandboxServer

sb = Sandbox()
creds = sb.seed_demo(seed=1, customers=50)
with SandboxServer(sb) as server:
    ...  # POST to server.endpoint with creds
"""

from intacct_sandbox._contract import FunctionOutcome, function, registered_functions
from intacct_sandbox.faults import (
    AuthenticationFault,
    ControlFault,
    ErrorDetail,
    HttpFault,
    ResultFault,
    SandboxFault,
)
from intacct_sandbox.gateway.app import ConnectionDropped
from intacct_sandbox.sandbox import Sandbox
from intacct_sandbox.server import SandboxServer

__all__ = [
    "AuthenticationFault",
    "ConnectionDropped",
    "ControlFault",
    "ErrorDetail",
    "FunctionOutcome",
    "HttpFault",
    "ResultFault",
    "Sandbox",
    "SandboxFault",
    "SandboxServer",
    "function",
    "registered_functions",
]
