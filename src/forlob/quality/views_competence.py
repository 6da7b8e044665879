"""The competence and method map (issue 6 item 9): search, detail, and registering staff
competences and development projects. Who sees and writes what: services_competence. Entries
outside the user's clusters answer 404, as do edits of entries the user may only read. The map
holds no citizen data, so nothing is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from forlob.locking import StaleRecord, refuse_stale

from . import services_competence as svc
from .forms_competence import CompetenceForm, ConfirmDeleteForm, ProjectForm, SearchForm
from .models import DevelopmentProject, StaffCompetence

PAGE_SIZE = 25

#: The two lists of the map: model, form, URL name prefix, querysets, search, sorts, columns.
KINDS = {
    "kompetencer": {
        "model": StaffCompetence, "form": CompetenceForm, "url": "competence",
        "visible": svc.visible_competences, "editable": svc.editable_competences,
        "search": svc.search_competences, "sorts": svc.COMPETENCE_SORTS,
        "default": "uddannelse",
        "columns": [("uddannelse", gettext_lazy("Uddannelse")),
                    (None, gettext_lazy("Metoder og redskaber")),
                    ("antal", gettext_lazy("Antal")),
                    ("organisation", gettext_lazy("Organisation")),
                    (None, gettext_lazy("Kontakt")),
                    ("opdateret", gettext_lazy("Opdateret"))],
        "saved": gettext_lazy("Kompetencen er gemt."),
        "deleted": gettext_lazy("Kompetencen er slettet."),
    },
    "projekter": {
        "model": DevelopmentProject, "form": ProjectForm, "url": "competence_project",
        "visible": svc.visible_projects, "editable": svc.editable_projects,
        "search": svc.search_projects, "sorts": svc.PROJECT_SORTS, "default": "-periode",
        "columns": [("titel", gettext_lazy("Titel")), (None, gettext_lazy("Formål")),
                    ("periode", gettext_lazy("Periode")),
                    ("organisation", gettext_lazy("Organisation")),
                    (None, gettext_lazy("Kontakt"))],
        "saved": gettext_lazy("Udviklingsprojektet er gemt."),
        "deleted": gettext_lazy("Udviklingsprojektet er slettet."),
    },
}


def _require_map(user):
    if not svc.uses_map(user):
        raise Http404


def _organisations(user):
    return ([(f"m{m.pk}", m.name) for m in svc.visible_municipalities(user).order_by("name")]
            + [(f"p{p.pk}", p.name) for p in svc.visible_providers(user).order_by("name")])


@login_required
@require_safe
def competence_search(request):
    """Search the competences and projects of the organisations in the user's clusters."""
    _require_map(request.user)
    kind = request.GET.get("vis")
    kind = kind if kind in KINDS else "kompetencer"
    spec = KINDS[kind]
    competences = list(svc.visible_competences(request.user))
    projects = list(svc.visible_projects(request.user))
    form = SearchForm(request.GET or None, methods=svc.methods_in_use(competences),
                      organisations=_organisations(request.user))
    query = method = owner = ""
    if form.is_valid():
        query, method = form.cleaned_data["q"].strip(), form.cleaned_data["metode"]
        owner = form.cleaned_data["organisation"]
    entries = competences if kind == "kompetencer" else projects
    counts = {"kompetencer": len(svc.search_competences(competences, query, method, owner)),
              "projekter": len(svc.search_projects(projects, query, method, owner))}
    found, sort = svc.sort(spec["search"](entries, query, method, owner), spec["sorts"],
                           request.GET.get("sort", spec["default"]), spec["default"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(request, "quality/competence_search.html", {
        "form": form, "kind": kind, "page": page, "entries": page.object_list, "sort": sort,
        "columns": spec["columns"], "counts": counts, "filtered": bool(query or method or owner),
        "can_register": bool(svc.editable_owners(request.user)),
        "editable_keys": {f"m{m}" for m in svc.writing_municipalities(request.user)}
        | {f"p{p}" for p in svc.writing_providers(request.user)},
    }, status=200 if form.is_valid() or not form.is_bound else 400)


def _detail(request, kind, pk):
    spec = KINDS[kind]
    entry = get_object_or_404(spec["visible"](request.user), pk=pk)
    template = ("quality/competence_detail.html" if kind == "kompetencer"
                else "quality/competence_project_detail.html")
    return render(request, template, {"entry": entry, "kind": kind,
                                      "editable": svc.may_edit(request.user, entry)})


@login_required
@require_safe
def competence_detail(request, staffcompetence_id):
    return _detail(request, "kompetencer", staffcompetence_id)


@login_required
@require_safe
def competence_project_detail(request, developmentproject_id):
    return _detail(request, "projekter", developmentproject_id)


def _edit(request, kind, pk=None):
    """Register a new entry (pk None) or change one, with the version it was loaded with."""
    spec = KINDS[kind]
    owners = svc.editable_owners(request.user)
    if pk is None:
        if not owners:
            raise Http404
        entry = spec["model"]()
    else:
        entry = get_object_or_404(spec["editable"](request.user), pk=pk)
    form = spec["form"](request.POST or None, instance=entry, owners=owners)
    if request.method == "POST" and form.is_valid():
        if pk is None:
            form.owner().assign(form.instance)
        if refuse_stale(form, form.save):
            messages.success(request, spec["saved"])
            return redirect(f"quality:{spec['url']}_detail", form.instance.pk)
        if pk is not None:
            form.instance.refresh_from_db()
    template = ("quality/competence_form.html" if kind == "kompetencer"
                else "quality/competence_project_form.html")
    return render(request, template, {"form": form, "entry": entry, "kind": kind},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def competence_create(request):
    return _edit(request, "kompetencer")


@login_required
@require_http_methods(["GET", "POST"])
def competence_edit(request, staffcompetence_id):
    return _edit(request, "kompetencer", staffcompetence_id)


@login_required
@require_http_methods(["GET", "POST"])
def competence_project_create(request):
    return _edit(request, "projekter")


@login_required
@require_http_methods(["GET", "POST"])
def competence_project_edit(request, developmentproject_id):
    return _edit(request, "projekter", developmentproject_id)


def _delete(request, kind, pk):
    """Delete after confirmation; refused if someone saved the entry meanwhile."""
    spec = KINDS[kind]
    entry = get_object_or_404(spec["editable"](request.user), pk=pk)
    form = ConfirmDeleteForm(request.POST or None, initial={"loaded_version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            svc.delete_locked(entry, form.cleaned_data["loaded_version"])
        except StaleRecord as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, spec["deleted"])
            return redirect(f"{reverse('quality:competence_search')}?vis={kind}")
    return render(request, "quality/competence_delete.html",
                  {"form": form, "entry": entry, "kind": kind, "url": spec["url"]},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def competence_delete(request, staffcompetence_id):
    return _delete(request, "kompetencer", staffcompetence_id)


@login_required
@require_http_methods(["GET", "POST"])
def competence_project_delete(request, developmentproject_id):
    return _delete(request, "projekter", developmentproject_id)

