"""The budget's pages. Each part of the budget keeps its own ``urlpatterns`` beside its views."""

from meedoen.budgets.views import budget, commitments, invoices

app_name = "budgets"

urlpatterns = [*budget.urlpatterns, *commitments.urlpatterns, *invoices.urlpatterns]
