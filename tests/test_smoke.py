import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_for_each_role(world, login):
    for user in (world.caseworker, world.clinician, world.leader, world.coordinator, world.admin):
        response = login(user).get(reverse("portal:home"))
        assert response.status_code == 200, user.username
