"""The one role catalogue shared by scenarios and rosters.

Drawn from the seed texts (crisis lead, AI ops engineer, communications manager,
compliance officer, business continuity lead) and from incident-command practice
(PagerDuty and Google SRE roles: deputy, scribe, liaisons, subject-matter experts).
"""

from __future__ import annotations

from typing import Literal, get_args

RoleId = Literal[
    "crisis-lead",
    "deputy",
    "scribe",
    "ai-ops-engineer",
    "ml-engineer",
    "data-engineer",
    "platform-engineer",
    "security-engineer",
    "communications-manager",
    "customer-support-lead",
    "compliance-officer",
    "legal-counsel",
    "business-continuity-lead",
    "product-owner",
    "executive",
    "finance-lead",
    "investor-relations",
    "vendor-manager",
]
"""A role id from the catalogue."""

ROLES: dict[str, str] = {
    "crisis-lead": "Crisis lead / incident commander: activates the plan, coordinates, delegates, approves comms",
    "deputy": "Deputy incident commander: watches timers, chases roll-call items, sends the exec summary",
    "scribe": "Scribe: keeps the shared decision log and timeline",
    "ai-ops-engineer": "AI ops engineer: isolates the failing component, rolls back models, restores pipelines",
    "ml-engineer": "ML engineer / model owner: diagnoses model behaviour, retrains, evaluates",
    "data-engineer": "Data engineer: owns pipelines, the feature store and data quality",
    "platform-engineer": "Platform / SRE engineer: infrastructure, GPUs, capacity, networking",
    "security-engineer": "Security engineer: forensics, isolation, key rotation, threat models",
    "communications-manager": "Communications manager: internal and external statements, status page",
    "customer-support-lead": "Customer support lead / customer liaison: support queue, affected customers",
    "compliance-officer": "Compliance officer / DPO: regulatory reporting such as GDPR breach notifications",
    "legal-counsel": "Legal counsel: liability, disclosure and materiality decisions",
    "business-continuity-lead": "Business continuity lead: aligns AI recovery with overall service continuity",
    "product-owner": "Product owner: business impact, feature flags, customer promises",
    "executive": "Executive sponsor (CEO, CTO, COO): approves SEV1 decisions, speaks for the company",
    "finance-lead": "Finance lead / CFO office: quantifies losses, refunds and credits, insurance claims",
    "investor-relations": "Investor relations: disclosure to investors, coordinates 8-K filings with legal",
    "vendor-manager": "Vendor manager: contracts, escalation and SLAs with third-party providers",
}

ROLE_IDS: tuple[str, ...] = get_args(RoleId)

assert set(ROLE_IDS) == set(ROLES), "every role id needs a description"


def role_title(role: str, declared: dict[str, str] | None = None) -> str:
    """The short title of a role: ``Crisis lead / incident commander``; ``declared`` holds a
    scenario's or roster's own roles (``roles:``), which are looked up first."""
    text = (declared or {}).get(role) or ROLES.get(role, role)
    return text.split(":", 1)[0]


def known_roles(declared: dict[str, str] | None = None) -> list[str]:
    """The catalogue's role ids followed by the ones a scenario or roster declares."""
    return [*ROLE_IDS, *(r for r in (declared or {}) if r not in ROLES)]
