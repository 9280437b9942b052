"""The setup checklist: the Intacct side of a connection, step by step, in the words the
integrations' guides use (docs/intacct/setup.md §1, docs/intacct/integrations.md), filled in with this
instance's values.

Test connection (setup_check.py) names these steps by their ``key`` when it finds one missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intacct_bridge.workspaces.permissions import ObjectNeed, by_application, needs_for


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    title: str
    where: str  # the Intacct menu path
    details: list[str] = field(default_factory=list)


WEB_SERVICES = "web_services"
SENDER = "sender"
ROLE = "role"
USER = "user"
DEDICATED_USER = "dedicated_user"
CONNECT = "connect"


def steps(sender_id: str, families: list[str], entity_id: str = "") -> list[ChecklistStep]:
    sender_shown = sender_id or "(not configured on this instance: set INTACCT_SENDER_ID)"
    needs = needs_for(families)
    return [
        ChecklistStep(
            WEB_SERVICES,
            "Subscribe to Web Services",
            "Company > Admin > Subscriptions",
            [
                "Turn Web Services on (there is no extra charge).",
                "Also keep on the applications the enabled families use: "
                + ", ".join(by_application(needs))
                + ".",
            ],
        ),
        ChecklistStep(
            SENDER,
            f"Authorize sender ID {sender_shown}",
            "Company > Setup > Company > Security > Web Services authorizations > Add",
            [
                f"Sender ID: {sender_shown} — type it exactly, sender IDs are case-sensitive.",
                "Description: Intacct Bridge. Status: Active.",
                "In a multi-entity company, do this at the top level.",
            ],
        ),
        ChecklistStep(
            ROLE,
            "Create a role with the minimum permissions",
            "Company > Admin > Users, roles, and groups > Roles > Add > Subscriptions > Permissions",
            ["Name it, for example, IntacctBridge, and tick exactly these permissions:"],
        ),
        ChecklistStep(
            USER,
            "Create a Web Services user",
            "Company > Admin > Web Services users > Add",
            [
                "User ID, first and last name, and a generic service email (not a person's).",
                "User type: Business. Admin privileges: Full. Status: Active.",
                "Roles information: add the role of the previous step.",
                (
                    f"User entities: give access to entity {entity_id}."
                    if entity_id
                    else "User entities: tick top-level access (or the entities this workspace syncs)."
                ),
                "Company-based permissions instead of roles? Grant the same permissions on the user's "
                "Subscriptions tab.",
            ],
        ),
        ChecklistStep(
            DEDICATED_USER,
            "Keep that user for the integration only",
            "Customization Services > Smart rules",
            [
                "Do not sign in with it or share it: a password change in Intacct pauses the syncs.",
                "Smart Rules of type Error block the integration's writes. Exempt the user by adding "
                '`|| {!USERPROFILE.LOGIN!} == "<user ID>"` to their conditions.',
            ],
        ),
        ChecklistStep(
            CONNECT,
            "Enter the company ID, user ID and password here, then Test connection",
            "This workspace > Connection",
            ["Test connection signs in and checks every permission above; it names any step still missing."],
        ),
    ]


def role_table(families: list[str]) -> dict[str, list[ObjectNeed]]:
    return by_application(needs_for(families))
