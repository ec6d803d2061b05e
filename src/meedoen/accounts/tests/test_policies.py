import pytest

from meedoen.accounts.policies import (
    Capability,
    Domain,
    Role,
    domain_of,
    may,
    needs_second_factor,
    suppress_column,
    suppress_small,
)

EXPECTED = {
    Role.CASEWORKER_WORK: {
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
    },
    Role.CASEWORKER_CARE: {
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
    },
    Role.PROVIDER: {
        Capability.USE_API_TOKENS,
        Capability.BROWSE_CATALOGUE,
        Capability.RUN_PLACEMENTS,
        Capability.VIEW_SUCCESSES,
    },
    Role.PROGRAMME_MANAGER: {
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
    },
    Role.CONTROLLER: {
        Capability.VIEW_AGGREGATES,
        Capability.USE_API_TOKENS,
        Capability.VIEW_BUDGET,
        Capability.MANAGE_BUDGET,
        Capability.APPROVE_OVERSPEND,
        Capability.REVIEW_INVOICES,
        Capability.VIEW_INDICATORS,
        Capability.VIEW_COUNCIL_REPORTS,
    },
    Role.RESIDENT: {Capability.VIEW_OWN_FILE},
    Role.ADMIN: {
        Capability.MANAGE_USERS,
        Capability.TRANSFER_CASELOAD,
        Capability.BROWSE_CATALOGUE,
        Capability.MANAGE_PROVIDERS,
        Capability.CONFIGURE_PROGRAMME,
        Capability.MANAGE_GLOSSARY,
        Capability.VIEW_INDICATORS,
        Capability.MANAGE_INDICATORS,
    },
    Role.PRIVACY_OFFICER: {Capability.VIEW_PROCESSING_LOG},
    # Experiments only: designs and analyses, aggregates; no file, caseload, recruitment or consent.
    Role.RESEARCHER: {Capability.DESIGN_EXPERIMENTS, Capability.USE_API_TOKENS},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("capability", list(Capability))
def test_capability_table(role, capability):
    assert may(role, capability) == (capability in EXPECTED[role])


def test_only_caseworkers_have_a_domain():
    assert domain_of(Role.CASEWORKER_WORK) is Domain.WORK
    assert domain_of(Role.CASEWORKER_CARE) is Domain.CARE
    assert {domain_of(r) for r in Role if r not in (Role.CASEWORKER_WORK, Role.CASEWORKER_CARE)} == {None}


def test_unknown_role_may_nothing():
    assert not may("superhero", Capability.VIEW_RESIDENT_FILE)
    assert domain_of("superhero") is None


def test_every_staff_role_needs_a_second_factor():
    assert all(needs_second_factor(r) for r in Role if r is not Role.RESIDENT)
    assert not needs_second_factor(Role.RESIDENT)


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (120, 120)])
def test_small_counts_are_suppressed(count, shown):
    assert suppress_small(count) == shown


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([12, 7, 30], [12, 7, 30]),  # nothing small
        ([12, 3, 30], [None, None, 30]),  # one small cell: the smallest other cell goes too
        ([12, 3, 2, 30], [12, None, None, 30]),  # two hidden cells do not give each other away
        ([0, 3, 30], [0, None, None]),  # a zero is no secret, and is not the second cell
        ([3], [None]),
    ],
)
def test_a_column_never_hides_a_single_cell_that_its_total_would_give_away(counts, shown):
    assert suppress_column(counts) == shown
