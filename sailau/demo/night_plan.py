"""The live night's plan, made at build time (with the database): which stations report before
the site opens, which during the night and which are left for visitors (`split`), and for the
night's stations their paper protocols, the API tokens of their two operators, their
territory's coordinator and, where one is deployed, their observer, and the key file their
commission made (`prepare`, written to SAILAU_DATA_DIR/demo/night.json). `sailau.demo.night`
plays it through the HTTP API."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from sailau.law import kinds

RESERVED_PER_TERRITORY = 3  # stations of every territory nobody simulated enters: for visitors
# The day before, replayed (`day_before`): the night's accounts an hour before the keys are
# registered, the witnesses' round a few minutes after they are confirmed.
ACCOUNTS_BEFORE = dt.timedelta(hours=1)
WITNESSED_AFTER = dt.timedelta(minutes=5)
AMEND_SHARE = 0.01
OBSERVED_COPY_SHARE = 0.9


def plan_path() -> Path:
    from sailau.paths import data_dir

    return data_dir() / "demo" / "night.json"


def split(syn, percent: float, seed: int) -> tuple[set[str], list[str], set[str]]:
    """(stations reported before the site opens, stations that arrive during the night in
    arrival order, stations left for visitors)."""
    rnd = random.Random(seed * 31 + 7)
    order = sorted(s["id"] for s in syn.stations)
    rnd.shuffle(order)
    n = round(len(order) * max(0.0, min(100.0, percent)) / 100)
    reported, pending = set(order[:n]), order[n:]
    territory = {s["id"]: s["territory"] for s in syn.stations}
    by_territory: dict[str, list[str]] = {}
    for sid in pending:
        by_territory.setdefault(territory[sid], []).append(sid)
    # Round by round, one more per territory, so that a small demo still leaves most of its
    # few pending stations to the night: at most a quarter of them are set aside.
    reserved, cap = set(), max(1, len(pending) // 4) if pending else 0
    for k in range(RESERVED_PER_TERRITORY):
        for t in sorted(by_territory):
            if len(reserved) < cap and k < len(by_territory[t]):
                reserved.add(by_territory[t][k])
    return reported, [s for s in pending if s not in reserved], reserved


def _stations(syn, ids, reserved=()):
    from sailau.elections.models import Station

    return sorted(Station.objects.filter(election_id=syn.election["id"],
                                         id__in=set(ids) | set(reserved)).only(
        "id", "number", "commission_id", "territory_id", "registered"), key=lambda s: s.number)


def visitors_station(syn, reserved: set[str]) -> set[str]:
    """The station left for visitors whose commission makes its key in the browser: the one
    `demo-operator` is given (the first of them by number, `sailau.demo.accounts.open_station`);
    empty when none is left for visitors."""
    numbers = {s["id"]: s["number"] for s in syn.stations if s["id"] in reserved}
    return {min(numbers, key=numbers.get)} if numbers else set()


def day_before(syn, live: list[str], reserved: set[str], every_commission: bool = True,
               say=print, keys_beside=None) -> dict:
    """The day before the election, replayed before anything of election day is logged: the
    simulated accounts (every station's two operators, every territory's coordinator), the
    commissions' own keys registered and confirmed (`commission_keys.make`): every commission's
    but the one a visitor makes in the browser (`visitors_station`), or with
    `every_commission=False` (`sailau demo --server-keys`) only the night's; then the
    witnesses' round over the log that holds them, on the replay's clock, so that a reader sees
    from the witnesses' timestamps that these keys were on record before the polls closed
    (docs/log-format.md). Returns {"ops", "coords", "key_files"}: the accounts, for the routing
    and the night's plan to use rather than grant their roles again, and station id -> the key
    file its commission signs with. `keys_beside`: the commissions' key files being written by a
    process of their own (`commission_keys.make_beside`, from `keys_making`)."""
    from django.db import transaction

    from sailau import clock
    from sailau.demo import commission_keys, witnesses
    from sailau.demo.chain import _users
    from sailau.elections.models import Election
    from sailau.protocols.own_keys import polls_closed

    eid = syn.election["id"]
    election = Election.objects.get(pk=eid)
    closing = polls_closed(election)  # the day `commission_keys.make` dates the keys by
    if every_commission:
        stations = _stations(syn, [s["id"] for s in syn.stations])
        skip = visitors_station(syn, reserved)
        signing = [s.id for s in stations if s.id not in skip]
    else:
        stations, signing = _stations(syn, live, reserved), list(live)
    by_id = {s.id: s for s in stations}
    # the accounts (the coordinators `make` appoints too) before the keys, then the keys at
    # their own times (`commission_keys.REGISTERED`, `CONFIRMED`)
    with clock.showing(closing - commission_keys.REGISTERED - ACCOUNTS_BEFORE):
        with transaction.atomic():
            ops, coords = _users(eid, stations, sorted({s.territory_id for s in stations}))
        key_files = commission_keys.make(election, [by_id[sid] for sid in signing],
                                         {sid: ops[sid][0] for sid in signing}, say=say,
                                         beside=keys_beside)
    with clock.showing(closing - commission_keys.CONFIRMED + WITNESSED_AFTER):
        witnesses.witness_now(eid, say=say)
    return {"ops": ops, "coords": coords, "key_files": key_files}


def keys_making(syn, reserved: set[str]) -> list[str]:
    """The commissions that make their own key the day before (`day_before` with
    `every_commission`): every station's but the one a visitor makes in the browser."""
    skip = visitors_station(syn, reserved)
    return [s["commission"] for s in syn.stations if s["id"] not in skip]


def prepare(syn, live: list[str], reserved: set[str], seed: int, replay=None,
            say=print, made: dict | None = None) -> dict:
    """Accounts and tokens for the live night (and operator accounts for the reserved
    stations), the night's commissions' own keys (`made` by `day_before` before the build
    routed, else now), and the plan the simulator plays. `replay`: the night the build routed
    (`demo.chain.Night`), which the live one continues."""
    from django.db import transaction

    from sailau.accounts.models import ApiToken
    from sailau.demo.chain import _miscount
    from sailau.protocols.catalog import Catalog

    eid = syn.election["id"]
    rnd = random.Random(seed * 131 + 3)
    stations = _stations(syn, live, reserved)
    by_id = {s.id: s for s in stations}
    catalog = Catalog()
    if made is None:
        made = day_before(syn, live, reserved, every_commission=False, say=say)
    ops, coords, key_files = made["ops"], made["coords"], made["key_files"]
    with transaction.atomic():
        # Tokens of an earlier build are of no use any more: one set per build.
        ApiToken.objects.filter(label="demo-night").delete()
        holders: dict[int, None] = {}  # each user's token is issued once, all at the end

        def token(user) -> int:
            holders[user.pk] = None
            return user.pk

        observers = _observer_users(eid, live)
        contests: dict[str, list[str]] = {}
        for sid, cid in syn.protocols:
            contests.setdefault(sid, []).append(cid)
        # the contest a recount amends now and then: the party lists (none on a referendum's
        # or a presidential ballot)
        list_contest = next((c["id"] for c in syn.contests if kinds.get(c["kind"]).by_list),
                            None)
        plan = []
        for sid in live:
            s = by_id[sid]
            a, b = ops[sid]
            protocols = []
            for cid in sorted(contests.get(sid, [])):
                p = syn.protocols[(sid, cid)]
                form = catalog.contest(cid).form
                ack = [f.code for f in form.check(p["figures"], p["choices"],
                                                  registered=s.registered)
                       if f.severity == "warning"]
                item = {"contest": cid, "figures": p["figures"], "choices": p["choices"],
                        "acknowledged": ack}
                if cid == list_contest and rnd.random() < AMEND_SHARE:
                    # The first count moved a few votes; a recount decision corrects it.
                    fig, ch = _miscount(rnd, p["figures"], p["choices"])
                    item["first_count"] = {"figures": fig, "choices": ch,
                                           "acknowledged": [
                                               f.code for f in form.check(
                                                   fig, ch, registered=s.registered)
                                               if f.severity == "warning"]}
                protocols.append(item)
            obs = observers.get(sid)
            plan.append({"station": sid, "number": s.number, "territory": s.territory_id,
                         "operators": [token(a), token(b)],
                         "coordinator": token(coords[s.territory_id]),
                         "observer": token(obs) if obs and rnd.random() < OBSERVED_COPY_SHARE
                         else None,
                         "key_file": key_files.get(sid), "protocols": protocols})
        # the tokens in one statement (one `ApiToken.issue` each took a query apiece)
        tokens = ApiToken.issue_many(holders, "demo-night")
        for item in plan:
            item["operators"] = [tokens[u] for u in item["operators"]]
            item["coordinator"] = tokens[item["coordinator"]]
            if item["observer"] is not None:
                item["observer"] = tokens[item["observer"]]
    doc = {"election": eid, "seed": seed, "stations": plan,
           "reserved": sorted(by_id[s].number for s in reserved)}
    if replay is not None:
        doc["night"] = {"closing": replay.closing.isoformat(), "ends": replay.ends.isoformat()}
    write(doc)
    return doc


def _observer_users(election_id: str, station_ids) -> dict:
    """The observer deployed at each of these stations, given an account if it has none (the
    demo's observers are generated without one)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from sailau.accounts.models import Role
    from sailau.accounts.services import grant_by_system
    from sailau.observation import models as om

    out = {}
    unusable = make_password(None)
    for d in (om.Deployment.objects.filter(station_id__in=list(station_ids))
              .select_related("observer").order_by("id")):
        o = d.observer
        if d.station_id in out:
            continue
        if o.user_id is None:
            u, _ = User.objects.get_or_create(username=f"observer-{o.badge}".lower(),
                                              defaults={"password": unusable})
            o.user = u
            o.save(update_fields=["user"])
        # Reports are accepted from an observer who holds the role in their organisation (an
        # invitation the demo's generated observers never had to accept).
        grant_by_system(o.user, Role.OBSERVER, "demo", organisation_id=o.organisation_id)
        out[d.station_id] = o.user
    return out


def left(plan: dict) -> dict:
    """What of the night `plan` is still to come when the demo starts again on the same data
    directory: the night's stations with nothing entered yet, and the stations for visitors
    nobody has entered. A station an earlier run (or a visitor) started is not replayed: its
    protocols are in the database, and typing them again would only be refused."""
    from sailau.protocols.models import Protocol

    entered = set(Protocol.objects.filter(station__election_id=plan["election"])
                  .values_list("station_id", "station__number"))
    ids, numbers = {i for i, _ in entered}, {n for _, n in entered}
    return {**plan, "stations": [s for s in plan["stations"] if s["station"] not in ids],
            "reserved": [n for n in plan["reserved"] if n not in numbers]}


def write(plan: dict) -> None:
    """Write `plan` where the simulator reads it, readable by its owner only (it holds the
    operators' bearer tokens, even if of demo users)."""
    from sailau.paths import write_atomic

    path = plan_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(plan, ensure_ascii=False))
    path.chmod(0o600)
