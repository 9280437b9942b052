"""The company setup model: companies, Web Services subscription, senders and their authorizations,
users, roles with per-object permissions, entity access and smart rules."""

from intacct_sandbox.company.model import Company, CompanyModel, Role, SmartRule, User
from intacct_sandbox.company.rules import RuleSyntaxError, compile_condition

__all__ = ["Company", "CompanyModel", "Role", "RuleSyntaxError", "SmartRule", "User", "compile_condition"]
