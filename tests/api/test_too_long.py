"""Text longer than its column: a 422 naming the field on every write path, never a 500 (as
PostgreSQL answered) nor a value stored whole (as SQLite did). One check, `sailau.errors.lengths`,
that every `save()` passes (`pre_save`) and every `bulk_create` of user text calls."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.test import Client

from sailau.errors import BadInput


def _text_columns():
    """(model, field) for every bounded text column of every model of the project."""
    for model in apps.get_models():
        if not model.__module__.startswith("sailau."):
            continue
        for f in model._meta.concrete_fields:
            if getattr(f, "max_length", None) and f.get_internal_type() in ("CharField",
                                                                           "SlugField"):
                yield pytest.param(model, f.name, id=f"{model._meta.label}.{f.name}")


@pytest.mark.parametrize("model,name", list(_text_columns()))
def test_every_text_column_refuses_what_it_cannot_hold(model, name):
    """No database: the check every save passes through, for each column of each model."""
    obj = model()
    limit = model._meta.get_field(name).max_length
    setattr(obj, model._meta.get_field(name).attname, "ж" * limit)
    pre_save.send(sender=model, instance=obj, raw=False)  # at the limit: accepted
    setattr(obj, model._meta.get_field(name).attname, "ж" * (limit + 1))
    with pytest.raises(BadInput) as e:
        pre_save.send(sender=model, instance=obj, raw=False)
    assert (e.value.code, e.value.field) == ("too_long", name)


@pytest.fixture
def signed_in(db):
    c = Client()
    c.force_login(get_user_model().objects.create_user("long.texts"))
    return c


def test_a_token_label_too_long_is_422(signed_in):
    from sailau.accounts.models import ApiToken

    r = signed_in.post("/api/accounts/tokens", {"label": "т" * 101},
                       content_type="application/json")
    assert r.status_code == 422, r.content
    assert (r.json()["error"], r.json()["field"]) == ("too_long", "label")
    assert "100" in r.json()["message"] and not ApiToken.objects.exists()
    assert signed_in.post("/api/accounts/tokens", {"label": "т" * 100},
                          content_type="application/json").status_code == 200


@pytest.mark.parametrize("field,limit", [("filer_name", 200), ("filer_contact", 200),
                                         ("against_name", 300)])
def test_a_complaint_field_too_long_is_422(small_election, signed_in, field, limit):
    from sailau.complaints.models import Complaint
    from sailau.elections.models import Election

    election = Election.objects.get()
    st = election.stations.order_by("number").first()
    form = {"election": election.id, "filer_kind": "voter", "filer_name": "Aigerim Bekova",
            "against_kind": "commission", "against_name": "PEC", "topic": "counting",
            "text": "Ballots not shown one by one.", "body": "commission",
            "station": str(st.number), field: "Қ" * (limit + 1)}
    r = signed_in.post("/api/complaints/", form)
    assert r.status_code == 422, r.content
    # the filing form names every error at once (bad_input, each field in detail), its
    # limits read from the same columns
    assert r.json()["field"] == field and str(limit) in r.json()["message"]
    assert not Complaint.objects.exists()
