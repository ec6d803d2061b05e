from django.urls import path

from meedoen.programmes import views

app_name = "programmes"

urlpatterns = [
    path("programma/", views.programme_view, name="programme"),
    path("programma/beschrijven/", views.programme_edit_view, name="programme-edit"),
    path("programma/team/", views.team_add_view, name="team-add"),
    path(
        "programma/projecten/<uuid:project_id>/beschrijven/",
        views.project_describe_view,
        name="project-describe",
    ),
    path("programma/dashboard/", views.dashboard_view, name="dashboard"),
    path("programma/indicatoren/", views.indicators_view, name="indicators"),
    path("programma/indicatoren/nieuw/", views.indicator_add_view, name="indicator-add"),
    path("programma/indicatoren/berekenen/", views.rollup_view, name="rollup"),
    path("programma/indicatoren/<uuid:indicator_id>/streefwaarde/", views.target_view, name="target"),
    path("programma/indicatoren/<uuid:indicator_id>/inwoners/", views.behind_view, name="behind"),
    path("programma/raadsrapportage/", views.council_reports_view, name="council-reports"),
    path("programma/raadsrapportage/maken/", views.council_report_start_view, name="council-report-start"),
    path("programma/raadsrapportage/teksten/", views.project_texts_view, name="project-texts"),
    path("programma/raadsrapportage/<uuid:report_id>/", views.council_report_view, name="council-report"),
    path(
        "programma/raadsrapportage/<uuid:report_id>/bestand/",
        views.council_report_download_view,
        name="council-report-download",
    ),
    path("programma/projecten/<uuid:project_id>/tekst/", views.project_text_view, name="project-text"),
    path(
        "programma/inwoners/<uuid:resident_id>/projecten/",
        views.resident_projects_view,
        name="resident-projects",
    ),
    path("successen/", views.successes_view, name="successes"),
    path("successen/mijn-inwoners/", views.own_successes_view, name="own-successes"),
    path("successen/voorstellen/", views.success_propose_view, name="success-propose"),
    path("successen/certificaat/", views.success_certificate_view, name="success-certificate"),
    path("successen/<uuid:success_id>/", views.success_view, name="success"),
    # Mijn Meedoen: the resident's own successes (in the portal's frame; the portal does not import this app)
    path("mijn/successen/", views.my_successes_view, name="my-successes"),
    path("mijn/successen/<uuid:success_id>/ja/", views.my_success_agree_view, name="my-success-agree"),
    path("mijn/successen/<uuid:success_id>/nee/", views.my_success_refuse_view, name="my-success-refuse"),
    path(
        "mijn/successen/<uuid:success_id>/andere-woorden/",
        views.my_success_words_view,
        name="my-success-words",
    ),
]
