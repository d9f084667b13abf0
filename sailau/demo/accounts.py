"""One account of each role for the demo, with fixed passwords printed at start and written in
docs/demo.md, so that every page that needs a login can be tried at once. DEMO ONLY: these
passwords are public; never run this on a real installation."""

import os

from django.contrib.auth import get_user_model
from django.db import transaction

from sailau.accounts import services
from sailau.accounts.models import Role
from sailau.elections.models import Commission, Election

WARNING = "DEMO ONLY: these accounts and passwords are public; never use them on a real election"


def _password(name: str) -> str:
    return f"demo-{name}"


def open_station(election: Election, free: list[int] = (), territory: str | None = None):
    """A station with nothing entered yet (the first of `free` if any), so that the operator has
    a protocol to type and the observer a night still to watch."""
    from sailau.protocols.models import Protocol

    stations = election.stations.order_by("number")
    if territory:
        stations = stations.filter(territory_id=territory)
    reported = Protocol.objects.filter(station__election=election).values("station_id")
    return (stations.filter(number__in=list(free)).exclude(pk__in=reported).first()
            or stations.exclude(pk__in=reported).first() or stations.first())


def _deploy_where_open(user, election: Election, free: list[int]) -> None:
    """The demo observer also watches a station whose count is still open (the operator's), so
    that a visitor can try the phone app on a night still in progress."""
    from sailau import audit
    from sailau.observation.models import Deployment, Observer

    obs = Observer.objects.select_related("organisation").filter(user=user).first()
    if obs is None:
        return
    st = open_station(election, free, obs.organisation.territory_id)
    if st is not None and Deployment.objects.get_or_create(observer=obs, station=st)[1]:
        audit.append("demo", "observation.deployed", st.id,
                     {"observer": obs.pk, "badge": obs.badge})


def _scopes(election: Election, free: list[int] = ()) -> list[tuple[str, str, str]]:
    """(account, role kind, scope) for each demo account, picked where there is work to do.
    `free`: numbers of stations nobody else will enter (the live night leaves them for visitors);
    the operator's station is the first of them, else the first with nothing entered yet."""
    from sailau.complaints.models import Complaint
    from sailau.observation.models import Accreditation, Observer, Organisation

    commissions = Commission.objects.filter(election=election)
    cec = commissions.get(level=Commission.CEC)
    station = open_station(election, free)
    out = [("admin", Role.ADMIN, cec.id),
           ("coordinator", Role.COORDINATOR, station.territory_id),
           ("district-operator", Role.OPERATOR, station.district_id),
           # the commission above the operator's: it confirms the key the operator makes
           ("district-coordinator", Role.COORDINATOR, station.commission.parent_id),
           ("operator", Role.OPERATOR, station.commission_id)]
    org = (Organisation.objects.filter(election=election,
                                       accreditations__status=Accreditation.GRANTED)
           .order_by("pk").first())
    if org is not None:
        out.append(("manager", Role.MANAGER, f"org:{org.pk}"))
        if Observer.objects.filter(organisation=org).exists():
            out.append(("observer", Role.OBSERVER, f"org:{org.pk}"))
    open_case = (Complaint.objects.filter(election=election, decision__isnull=True,
                                          body_commission__isnull=False)
                 .order_by("due_date", "pk").first())
    # The decider works where the most urgent open complaint was filed (and, when that is a
    # station's commission, at the one above it, where a complaint about that station to the
    # "higher commission" goes), and for the
    # CEC, where a complaint that names no station goes (`complaints.services.addressee`).
    if open_case is not None and open_case.body_commission_id != cec.id:
        out.append(("decider", Role.DECIDER, open_case.body_commission_id))
        if open_case.body_commission.level == "precinct":
            out.append(("decider", Role.DECIDER, open_case.body_commission.parent_id))
    out.append(("decider", Role.DECIDER, cec.id))
    out.append(("citizen", Role.CITIZEN, ""))
    return out


# Every account `_scopes` may make.
NAMES = ("admin", "coordinator", "district-operator", "district-coordinator", "operator",
         "manager", "observer", "decider", "citizen")


def hash_ahead():
    """The accounts' password hashes begun now, on a thread of their own, for
    `create_demo_accounts(hashed=...)`: `sailau demo` starts them before its build, whose
    database work leaves the second core idle most of the time, rather than wait for them
    after it. A future of name -> hash."""
    from concurrent.futures import ThreadPoolExecutor

    from django.contrib.auth.hashers import make_password

    pool = ThreadPoolExecutor(1, thread_name_prefix="demo-passwords")
    future = pool.submit(lambda: {name: make_password(_password(name)) for name in NAMES})
    pool.shutdown(wait=False)
    return future


@transaction.atomic
def create_demo_accounts(election: Election | None = None, free: list[int] = (),
                         hashed=None) -> list[tuple[str, str, str, str]]:
    """Make (or reset) the demo accounts: [(username, role, scope, password)]. `free`: as for
    `_scopes`. `hashed`: their password hashes made ahead (`hash_ahead`)."""
    from sailau.observation.models import Observer

    election = election or Election.objects.filter(synthetic=True).order_by("-date").first()
    if election is None:
        return []
    User = get_user_model()
    scopes = _scopes(election, free)
    users = {}  # the decider has two scopes: its password hashed once
    for name, kind, _ in scopes:
        if name not in users:
            users[name] = User.objects.get_or_create(username=f"demo-{name}")[0]
    ahead = hashed.result() if hashed is not None else {}
    for name in ahead.keys() & users.keys():
        users[name].password = ahead[name]
    _hash_passwords({n: u for n, u in users.items() if n not in ahead})
    rows, saved = [], set()
    for name, kind, scope in scopes:
        username, user = f"demo-{name}", users[name]
        if name not in saved:
            user.is_staff = kind == Role.ADMIN  # the admin site too
            user.save()
            saved.add(name)
        observer = None
        if kind == Role.OBSERVER:  # an observer of the organisation who is deployed somewhere
            observer = (Observer.objects.filter(organisation_id=int(scope[4:]), user__isnull=True,
                                                deployments__isnull=False).order_by("pk").first())
        services.grant(None, username, kind, scope, observer=observer)
        if kind == Role.OBSERVER:
            _deploy_where_open(user, election, free)
        rows.append((username, kind, scope, _password(name)))
    return rows


def _hash_passwords(users: dict) -> None:
    """Each account's password hashed with the project's hasher (`set_password`: Django's
    PBKDF2, half a second of CPU a hash), on every core at once: the hash runs outside Python's
    lock, so nine take the time of about nine divided by the cores."""
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, min(len(users), os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda item: item[1].set_password(_password(item[0])), users.items()))


def table(rows: list[tuple[str, str, str, str]]) -> str:
    if not rows:
        return ""
    lines = [WARNING, f"{'account':<24} {'password':<24} {'role':<12} scope"]
    lines += [f"{u:<24} {p:<24} {k:<12} {s}" for u, k, s, p in rows]
    return "\n".join(lines)
