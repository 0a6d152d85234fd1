from django.urls import path

from singleportal.payments import views

app_name = "payments"
urlpatterns = [
    path("applications/<uuid:public_id>/", views.invoice, name="invoice"),
    path("applications/<uuid:public_id>/check/", views.check, name="check"),
    path("applications/<uuid:public_id>/renew/", views.renew, name="renew"),
    path("receipts/<uuid:public_id>/", views.receipt, name="receipt"),
    path("reconciliation/", views.reconciliation_day, name="reconciliation"),
    path("webhooks/<slug:provider_name>/", views.webhook, name="webhook"),
]
