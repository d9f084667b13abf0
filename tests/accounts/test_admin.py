"""Roles in the admin, inline on the user: a scope that does not fit the kind is refused with a
message naming the field; a good one is saved and audited."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def form(user, **role):
    data = {"username": user.username, "date_joined_0": "2023-01-01", "date_joined_1": "00:00",
            "sailau_roles-TOTAL_FORMS": "1", "sailau_roles-INITIAL_FORMS": "0",
            "sailau_tokens-TOTAL_FORMS": "0", "sailau_tokens-INITIAL_FORMS": "0"}
    data.update({f"sailau_roles-0-{k}": v for k, v in role.items()})
    return data


def test_inline_role_scope_checked_and_audited(tree, make_user):
    from sailau.accounts.models import Role
    from sailau.audit.models import Record

    boss = make_user("boss", is_staff=True, is_superuser=True)
    clerk = make_user("clerk")
    c = Client()
    c.force_login(boss)
    url = f"/admin/auth/user/{clerk.pk}/change/"
    bad = c.post(url, form(clerk, kind="admin", commission=tree["precinct"].id),
                 HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200 and "cannot belong to a precinct commission" in bad.content.decode()
    assert not Role.objects.filter(user=clerk).exists()
    good = c.post(url, form(clerk, kind="operator", commission=tree["precinct"].id))
    assert good.status_code == 302, good.content.decode()[:3000]
    role = Role.objects.get(user=clerk)
    assert role.election_id == tree["precinct"].election_id
    rec = Record.objects.get(action="role.granted")
    assert rec.actor == "admin:boss" and rec.payload["user"] == "clerk"
