import html
import re

import pytest
from django.test import Client
from django.urls import reverse

DANISH = re.compile(r"[æøåÆØÅ]|\b(og|ikke|eller|borger\w*|kommune\w*|tilbud\w*|henvis\w*|"
                    r"bruger\w*|Vis|Ret|Opret|Gem|Søg|Log af|Forside|af|til|fra|der|er)\b")


def visible(body):
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", body)
    body = re.sub(r"(?s)<!--.*?-->", " ", body)
    attrs = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', body)
    text = re.sub(r"(?s)<[^>]+>", "\n", body)
    lines = [html.unescape(x).strip() for x in text.splitlines()] + attrs
    return [x for x in lines if x]


def dump(name, body):
    print(f"\n===== {name}")
    for line in visible(body):
        mark = "!!" if DANISH.search(line) else "  "
        print(mark, line)


@pytest.mark.django_db
def test_spot(world, login):
    anon = Client(HTTP_ACCEPT_LANGUAGE="en")
    dump("login", anon.get(reverse("accounts:login")).content.decode())
    for user in (world.caseworker, world.clinician, world.leader, world.coordinator, world.admin):
        c = Client(HTTP_ACCEPT_LANGUAGE="en")
        login(user, client=c)
        dump(f"home {user.username}", c.get("/").content.decode())
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    login(world.caseworker, client=c)
    for name, url in [("citizens", reverse("citizens:list")),
                      ("citizens search", reverse("citizens:list") + "?q=zzz"),
                      ("detail", reverse("citizens:detail", args=[world.citizen.public_id])),
                      ("edit", reverse("citizens:edit", args=[world.citizen.public_id])),
                      ("create", reverse("citizens:create")),
                      ("create anon", reverse("citizens:create_anonymous")),
                      ("print", reverse("citizens:print", args=[world.citizen.public_id])),
                      ("orgs", reverse("organisations:overview")),
                      ("about", reverse("portal:about")),
                      ("a11y", reverse("portal:accessibility")),
                      ("404", "/borgere/00000000-0000-0000-0000-000000000000/")]:
        dump(name, c.get(url).content.decode())
    dump("create invalid", c.post(reverse("citizens:create"), {"cpr": "12", "postal_code": "1"}).content.decode())
    a = Client(HTTP_ACCEPT_LANGUAGE="en")
    login(world.admin, client=a)
    for name, url in [("users", reverse("accounts:user_list")),
                      ("user create", reverse("accounts:user_create")),
                      ("user detail", reverse("accounts:user_detail", args=[world.caseworker.pk])),
                      ("audit", reverse("audit:log")),
                      ("orgs admin", reverse("organisations:overview") + "?vis=alle"),
                      ("provider create", reverse("organisations:provider_create")),
                      ("agreement create", reverse("organisations:agreement_create"))]:
        dump(name, a.get(url).content.decode())
    dump("user create invalid", a.post(reverse("accounts:user_create"), {"username": "a b", "email": "x", "password1": "a", "password2": "b"}).content.decode())
