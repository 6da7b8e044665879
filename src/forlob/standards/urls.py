"""Staff pages of the quality standard, mounted at /indstillinger/kvalitetsstandard/."""

from django.urls import path

from . import views, views_edit
from .views_document import document_patterns

app_name = "standards"
urlpatterns: list = [
    path("", views.standard_list, name="list"),
    path("kommune/<int:municipality_id>/", views.municipality_detail, name="municipality"),
    path("kommune/<int:municipality_id>/nyt-udkast/", views.create_draft, name="create_draft"),
    path("kommune/<int:municipality_id>/sammenlign/", views.compare, name="compare"),
    path("<int:pk>/", views.standard_detail, name="standard_detail"),
    path("<int:pk>/rediger/", views_edit.standard_edit, name="standard_edit"),
    path("<int:pk>/kontaktpunkter/", views_edit.standard_contacts, name="standard_contacts"),
    path("<int:pk>/klageveje/", views_edit.standard_routes, name="standard_routes"),
    path("<int:pk>/vedtag/", views_edit.standard_adopt, name="standard_adopt"),
    path("<int:pk>/slet/", views_edit.standard_delete, name="standard_delete"),
]
urlpatterns += document_patterns
