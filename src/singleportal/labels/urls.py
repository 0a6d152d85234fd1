from django.urls import path

from singleportal.labels import views

app_name = "labels"
urlpatterns = [
    # Public: what a label's QR code opens (short: it is printed on every label).
    path("l/", views.lookup, name="lookup"),
    path("l/report/sent/", views.report_sent, name="report_sent"),
    path("l/<str:code>/", views.scan, name="scan"),
    path("l/<str:code>/report/", views.report, name="report"),
    # The business's pages.
    path("labels/", views.runs, name="runs"),
    path("labels/new/", views.new_run, name="new_run"),
    path("labels/runs/<int:run_id>/", views.run_detail, name="run"),
    path("labels/runs/<int:run_id>/sheets/", views.make_sheet, name="make_sheet"),
    path("labels/runs/<int:run_id>/sheets/<str:layout>.pdf", views.download, name="download"),
    path("labels/runs/<int:run_id>/withdraw/", views.withdraw, name="withdraw"),
    # Programme staff (and, read-only, the business the report is about).
    path("labels/reports/", views.report_queue, name="reports"),
    path("labels/reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("labels/reports/<int:report_id>/<str:kind>.jpg", views.report_photo, name="report_photo"),
]
