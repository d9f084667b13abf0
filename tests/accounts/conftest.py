import pytest


@pytest.fixture
def election(small_structure):
    from sailau.elections.models import Election

    return Election.objects.get()


@pytest.fixture
def tree(election):
    """The CEC, a territorial commission, one of its precinct commissions and a precinct
    commission of another territory."""
    from sailau.elections.models import Commission

    cec = Commission.objects.get(election=election, level=Commission.CEC)
    st = election.stations.order_by("number").first()
    far = election.stations.exclude(territory_id=st.territory_id).order_by("number").first()
    return {"cec": cec, "territory": st.territory, "precinct": st.commission,
            "far_precinct": far.commission, "station": st, "far_station": far}


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(name, password="pw-Secret-1", **kw):
        return get_user_model().objects.create_user(name, password=password, **kw)

    return make
