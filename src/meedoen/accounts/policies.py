"""Who may do what: roles, domains and capabilities. Pure Python, no Django import.

A user acts through one membership at a time (municipality + role). Views, API endpoints and selectors ask
``may(role, capability)``; the answer is the same everywhere because this table is the only place it lives.
"""

from enum import StrEnum


class Role(StrEnum):
    CASEWORKER_WORK = "klantmanager"
    CASEWORKER_CARE = "wmo_consulent"
    PROVIDER = "aanbieder"
    PROGRAMME_MANAGER = "programmamanager"
    RESIDENT = "inwoner"
    ADMIN = "functioneel_beheerder"
    PRIVACY_OFFICER = "privacy_officer"
    CONTROLLER = "controller"  # the programme's money: budget year, funding sources, invoices, reports
    RESEARCHER = "onderzoeker"  # designs experiments and reads their analyses: aggregates, never a file


class Domain(StrEnum):
    """The two legal domains a resident file is split into for need-to-know access."""

    WORK = "participatiewet"
    CARE = "wmo"


class Capability(StrEnum):
    VIEW_CASELOAD = "view_caseload"
    VIEW_RESIDENT_FILE = "view_resident_file"
    VIEW_OWN_FILE = "view_own_file"
    VIEW_AGGREGATES = "view_aggregates"
    MANAGE_USERS = "manage_users"
    VIEW_PROCESSING_LOG = "view_processing_log"
    USE_API_TOKENS = "use_api_tokens"
    TRANSFER_CASELOAD = "transfer_caseload"
    BROWSE_CATALOGUE = "browse_catalogue"
    MAKE_PROPOSALS = "make_proposals"
    MANAGE_PROVIDERS = "manage_providers"
    RUN_PLACEMENTS = "run_placements"  # a provider: own placements, proposals, attendance, reports
    CONFIGURE_PROGRAMME = "configure_programme"  # matching weights, route rules
    RUN_ALLOCATION = "run_allocation"
    VIEW_BUDGET = "view_budget"  # the budget page and reports: amounts per source, project and taakveld
    MANAGE_BUDGET = "manage_budget"  # budget year, funding sources, allocations, mutations, corrections
    APPROVE_OVERSPEND = "approve_overspend"  # let a commitment go over the free budget of its source
    REVIEW_INVOICES = "review_invoices"  # approve or reject the providers' invoice lines
    MANAGE_GLOSSARY = "manage_glossary"  # the municipality's woordenlijst: preferred and avoided terms
    DESIGN_EXPERIMENTS = "design_experiments"  # design, pre-register and amend experiments; flow and balance
    RECRUIT_PARTICIPANTS = "recruit_participants"  # invite the own caseload to an experiment, record consent
    # The municipality's word in a joint experiment: invite other municipalities, join or decline
    JOIN_EXPERIMENTS = "join_experiments"
    VIEW_INDICATORS = "view_indicators"  # the programme dashboard: indicators as suppressed aggregates
    MANAGE_PROGRAMME = "manage_programme"  # describe the programme, its team and its projects
    MANAGE_INDICATORS = "manage_indicators"  # add an indicator from the building blocks, set targets
    MAKE_COUNCIL_REPORT = "make_council_report"  # build the quarterly council report, write any project text
    VIEW_COUNCIL_REPORTS = "view_council_reports"  # the stored council reports: list and download
    VIEW_SUCCESSES = "view_successes"  # the shared successes page: published, approved texts only
    RECORD_SUCCESSES = "record_successes"  # the own caseload's successes: propose, approve with the resident


STAFF_ROLES = frozenset(role for role in Role if role is not Role.RESIDENT)

_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.CASEWORKER_WORK: frozenset(
        {
            Capability.VIEW_CASELOAD,
            Capability.VIEW_RESIDENT_FILE,
            Capability.USE_API_TOKENS,
            Capability.TRANSFER_CASELOAD,
            Capability.BROWSE_CATALOGUE,
            Capability.MAKE_PROPOSALS,
            Capability.RECRUIT_PARTICIPANTS,
            Capability.VIEW_INDICATORS,
            Capability.VIEW_SUCCESSES,
            Capability.RECORD_SUCCESSES,
        }
    ),
    Role.CASEWORKER_CARE: frozenset(
        {
            Capability.VIEW_CASELOAD,
            Capability.VIEW_RESIDENT_FILE,
            Capability.USE_API_TOKENS,
            Capability.TRANSFER_CASELOAD,
            Capability.BROWSE_CATALOGUE,
            Capability.MAKE_PROPOSALS,
            Capability.RECRUIT_PARTICIPANTS,
            Capability.VIEW_INDICATORS,
            Capability.VIEW_SUCCESSES,
            Capability.RECORD_SUCCESSES,
        }
    ),
    Role.PROVIDER: frozenset(
        {
            Capability.USE_API_TOKENS,
            Capability.BROWSE_CATALOGUE,
            Capability.RUN_PLACEMENTS,
            Capability.VIEW_SUCCESSES,
        }
    ),
    Role.PROGRAMME_MANAGER: frozenset(
        {
            Capability.VIEW_AGGREGATES,
            Capability.USE_API_TOKENS,
            Capability.BROWSE_CATALOGUE,
            Capability.RUN_ALLOCATION,
            Capability.VIEW_BUDGET,
            Capability.DESIGN_EXPERIMENTS,
            Capability.JOIN_EXPERIMENTS,
            Capability.VIEW_INDICATORS,
            Capability.MANAGE_PROGRAMME,
            Capability.MAKE_COUNCIL_REPORT,
            Capability.VIEW_COUNCIL_REPORTS,
            Capability.VIEW_SUCCESSES,
        }
    ),
    Role.CONTROLLER: frozenset(
        {
            Capability.VIEW_AGGREGATES,
            Capability.USE_API_TOKENS,
            Capability.VIEW_BUDGET,
            Capability.MANAGE_BUDGET,
            Capability.APPROVE_OVERSPEND,
            Capability.REVIEW_INVOICES,
            Capability.VIEW_INDICATORS,
            Capability.VIEW_COUNCIL_REPORTS,
        }
    ),
    # The researcher designs and analyses, as the programme manager does, but gives no municipality's consent
    # to a joint experiment and opens no resident file, caseload or recruitment list.
    Role.RESEARCHER: frozenset({Capability.DESIGN_EXPERIMENTS, Capability.USE_API_TOKENS}),
    Role.RESIDENT: frozenset({Capability.VIEW_OWN_FILE}),
    Role.ADMIN: frozenset(
        {
            Capability.MANAGE_USERS,
            Capability.TRANSFER_CASELOAD,
            Capability.BROWSE_CATALOGUE,
            Capability.MANAGE_PROVIDERS,
            Capability.CONFIGURE_PROGRAMME,
            Capability.MANAGE_GLOSSARY,
            Capability.VIEW_INDICATORS,
            Capability.MANAGE_INDICATORS,
        }
    ),
    Role.PRIVACY_OFFICER: frozenset({Capability.VIEW_PROCESSING_LOG}),
}

_DOMAIN: dict[Role, Domain] = {Role.CASEWORKER_WORK: Domain.WORK, Role.CASEWORKER_CARE: Domain.CARE}

# Aggregates with fewer people than this are shown as "< 5" so nobody can be recognised in a small group.
SMALL_COUNT_THRESHOLD = 5


def may(role: str, capability: Capability) -> bool:
    try:
        return capability in _CAPABILITIES[Role(role)]
    except ValueError:
        return False


def domain_of(role: str) -> Domain | None:
    """The legal domain a caseworker role works in; None for roles outside the two domains."""
    try:
        return _DOMAIN.get(Role(role))
    except ValueError:
        return None


def needs_second_factor(role: str) -> bool:
    """BIO asks for multi-factor authentication for every staff role that can reach personal data."""
    return role in STAFF_ROLES


def suppress_small(count: int) -> int | None:
    """A count safe to publish, or None when it is too small to show."""
    return None if 0 < count < SMALL_COUNT_THRESHOLD else count


def suppress_column(counts: list[int]) -> list[int | None]:
    """The cells of a column shown beside its total: small counts hidden, and when exactly one cell is hidden,
    the smallest other non-zero cell too, or the total minus the shown cells would give the hidden one."""
    shown = [suppress_small(count) for count in counts]
    hidden = [i for i, value in enumerate(shown) if value is None]
    if len(hidden) == 1:
        others = [i for i, value in enumerate(shown) if value]
        if others:
            shown[min(others, key=lambda i: counts[i])] = None
    return shown
