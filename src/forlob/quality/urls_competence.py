"""The competence and method map (issue 6 item 9), under /kvalitet/kompetencer/."""

from django.urls import path

from . import views_competence as v

urlpatterns = [
    path("", v.competence_search, name="competence_search"),
    path("ny/", v.competence_create, name="competence_create"),
    path("<int:staffcompetence_id>/", v.competence_detail, name="competence_detail"),
    path("<int:staffcompetence_id>/ret/", v.competence_edit, name="competence_edit"),
    path("<int:staffcompetence_id>/slet/", v.competence_delete, name="competence_delete"),
    path("projekter/ny/", v.competence_project_create, name="competence_project_create"),
    path("projekter/<int:developmentproject_id>/", v.competence_project_detail,
         name="competence_project_detail"),
    path("projekter/<int:developmentproject_id>/ret/", v.competence_project_edit,
         name="competence_project_edit"),
    path("projekter/<int:developmentproject_id>/slet/", v.competence_project_delete,
         name="competence_project_delete"),
]
