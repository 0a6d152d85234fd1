from django.urls import path

from singleportal.agencies import views

app_name = "agencies"
task = "<slug:agency>/tasks/<int:task_id>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:agency>/", views.queue, name="queue"),
    path("<slug:agency>/approve-clean/", views.bulk_approve, name="bulk_approve"),
    path("<slug:agency>/workload/", views.workload, name="workload"),
    path(task, views.task_page, name="task"),
    # The task page's forms: claim, release, approve, correction, reject, escalate, comment,
    # reassign (views.MOVES), each posting to its own URL.
    *(path(f"{task}{name}/", views.move, {"name": name}, name=name) for name in views.MOVES),
    path(task + "documents/<int:document_id>/", views.document, name="document"),
]
