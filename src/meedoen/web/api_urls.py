from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from meedoen.budgets import api as budgets_api
from meedoen.catalogue import api as catalogue_api
from meedoen.experiments import api as experiments_api
from meedoen.matching import api as matching_api
from meedoen.programmes import api as programmes_api
from meedoen.residents import api as residents_api
from meedoen.routes import api as routes_api
from meedoen.web import api_views

app_name = "api"

urlpatterns = [
    path("", api_views.api_root, name="root"),
    path("me", api_views.MeView.as_view(), name="me"),
    path("districts", api_views.DistrictListView.as_view(), name="district-list"),
    path("residents", residents_api.ResidentListView.as_view(), name="resident-list"),
    path("residents/<uuid:resident_id>", residents_api.ResidentDetailView.as_view(), name="resident-detail"),
    path(
        "residents/<uuid:resident_id>/legal-bases",
        residents_api.LegalBasisView.as_view(),
        name="resident-legal-bases",
    ),
    path(
        "residents/<uuid:resident_id>/consents", residents_api.ConsentView.as_view(), name="resident-consents"
    ),
    path(
        "residents/<uuid:resident_id>/consents/<uuid:consent_id>/withdraw",
        residents_api.WithdrawConsentView.as_view(),
        name="resident-consent-withdraw",
    ),
    path(
        "residents/<uuid:resident_id>/ladder-scores",
        residents_api.LadderView.as_view(),
        name="resident-ladder-scores",
    ),
    path(
        "residents/<uuid:resident_id>/profile", residents_api.ProfileView.as_view(), name="resident-profile"
    ),
    path("residents/<uuid:resident_id>/plan", residents_api.PlanView.as_view(), name="resident-plan"),
    path(
        "residents/<uuid:resident_id>/plan/actions",
        residents_api.PlanActionView.as_view(),
        name="resident-plan-actions",
    ),
    path(
        "residents/<uuid:resident_id>/timeline",
        residents_api.TimelineView.as_view(),
        name="resident-timeline",
    ),
    path(
        "residents/<uuid:resident_id>/proposals",
        catalogue_api.ResidentProposalView.as_view(),
        name="resident-proposals",
    ),
    path(
        "residents/<uuid:resident_id>/recommendations",
        matching_api.RecommendationListView.as_view(),
        name="resident-recommendations",
    ),
    path("residents/<uuid:resident_id>/route", routes_api.RouteView.as_view(), name="resident-route"),
    path(
        "residents/<uuid:resident_id>/route/steps", routes_api.StepView.as_view(), name="resident-route-steps"
    ),
    path(
        "residents/<uuid:resident_id>/route/steps/<uuid:step_id>/corrections",
        routes_api.CorrectionView.as_view(),
        name="resident-route-corrections",
    ),
    path("residents/<uuid:resident_id>/route/end", routes_api.EndView.as_view(), name="resident-route-end"),
    path(
        "residents/<uuid:resident_id>/route/fall-back",
        routes_api.FallBackView.as_view(),
        name="resident-route-fall-back",
    ),
    path(
        "residents/<uuid:resident_id>/route/reviews",
        routes_api.ReviewView.as_view(),
        name="resident-route-reviews",
    ),
    path("route-reviews-due", routes_api.ReviewsDueView.as_view(), name="route-reviews-due"),
    path("caseload-transfers", residents_api.TransferView.as_view(), name="caseload-transfers"),
    path("placements", catalogue_api.PlacementListView.as_view(), name="placement-list"),
    path(
        "placements/<uuid:placement_id>", catalogue_api.PlacementDetailView.as_view(), name="placement-detail"
    ),
    path(
        "provider-placements",
        catalogue_api.ProviderPlacementListView.as_view(),
        name="provider-placement-list",
    ),
    path(
        "provider-placements/sync",
        catalogue_api.ProviderPlacementSyncView.as_view(),
        name="provider-placement-sync",
    ),
    path(
        "provider-placements/<uuid:placement_id>",
        catalogue_api.ProviderPlacementDetailView.as_view(),
        name="provider-placement-detail",
    ),
    path("proposals", catalogue_api.IncomingProposalListView.as_view(), name="proposal-list"),
    path(
        "proposals/<uuid:proposal_id>",
        catalogue_api.IncomingProposalDetailView.as_view(),
        name="proposal-detail",
    ),
    path(
        "proposals/<uuid:proposal_id>/accept",
        catalogue_api.AcceptProposalView.as_view(),
        name="proposal-accept",
    ),
    path(
        "proposals/<uuid:proposal_id>/decline",
        catalogue_api.DeclineProposalView.as_view(),
        name="proposal-decline",
    ),
    path("seats/<uuid:seat_id>/attendance", catalogue_api.AttendanceView.as_view(), name="seat-attendance"),
    path(
        "seats/<uuid:seat_id>/progress-reports",
        catalogue_api.ProgressReportView.as_view(),
        name="seat-progress-reports",
    ),
    path("seats/<uuid:seat_id>/end", catalogue_api.EndSeatView.as_view(), name="seat-end"),
    path("processing-log-entries", api_views.ProcessingLogView.as_view(), name="processing-log-entry-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles; this page holds no personal data, so it alone may.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    # The budget (one pot): see meedoen/budgets/api.py
    *budgets_api.urlpatterns,
    # The programme's indicators: see meedoen/programmes/api.py
    *programmes_api.urlpatterns,
    # The experiments, read only: see meedoen/experiments/api.py
    *experiments_api.urlpatterns,
]
