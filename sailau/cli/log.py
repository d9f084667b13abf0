"""`sailau log`: the election's published transparency log (sailau.ledger): its witnesses, its
state, and one integration by hand (the publisher does it on its own)."""

import json


def register(sub) -> None:
    p = sub.add_parser("log", help="the published log: witnesses, status, integrate")
    lsub = p.add_subparsers(dest="log_command", metavar="ACTION", required=True)
    w = lsub.add_parser("witness", help="the election's witnesses (observers' cosigners)")
    wsub = w.add_subparsers(dest="witness_command", metavar="ACTION", required=True)
    add = wsub.add_parser("add", help="add a witness by its verifier key (its name is in it)")
    add.add_argument("election")
    add.add_argument("verifier_key", help="NAME+KEYID+BASE64, as `sailau witness keygen` "
                                          "prints it")
    add.add_argument("--url", default="", help="its C2SP tlog-witness submission prefix, if "
                     "it can be reached (`sailau witness serve`): the log then pushes each "
                     "checkpoint to it; without, the witness pulls (`sailau witness run`)")
    add.set_defaults(func=add_witness)
    url = wsub.add_parser("url", help="set (or, without URL, clear) where the log pushes a "
                                      "witness its checkpoints")
    url.add_argument("election")
    url.add_argument("name", help="the witness's name")
    url.add_argument("url", nargs="?", default="", help="http(s)://HOST:PORT[/PREFIX]")
    url.set_defaults(func=witness_url)
    ls = wsub.add_parser("list", help="the election's witnesses, as JSON lines")
    ls.add_argument("election")
    ls.set_defaults(func=list_witnesses)
    st = lsub.add_parser("status", help="the latest checkpoint and who cosigned it, as JSON")
    st.add_argument("election")
    st.set_defaults(func=status)
    i = lsub.add_parser("integrate", help="sequence the outbox and sign a checkpoint now")
    i.add_argument("election")
    i.set_defaults(func=integrate)


def _setup(election: str):
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from sailau.elections.models import Election

    if not Election.objects.filter(pk=election).exists():
        raise CommandError(f"no election {election!r}")


def add_witness(args) -> int:
    _setup(args.election)
    from sailau.cli import CommandError
    from sailau.errors import SailauError
    from sailau.ledger import cosign

    try:
        w = cosign.add_witness(args.election, args.verifier_key)
        if args.url:
            cosign.set_witness_url(args.election, w.name, args.url)
    except SailauError as exc:
        raise CommandError(str(exc)) from None
    print(f"witness {w.name} added to {args.election}; published with the next checkpoint")
    return 0


def witness_url(args) -> int:
    _setup(args.election)
    from sailau.cli import CommandError
    from sailau.errors import SailauError
    from sailau.ledger import cosign

    try:
        cosign.set_witness_url(args.election, args.name, args.url)
    except SailauError as exc:
        raise CommandError(str(exc)) from None
    print(f"witness {args.name}: " + (f"checkpoints pushed to {args.url}/add-checkpoint"
                                      if args.url else "pulls (no URL)"))
    return 0


def list_witnesses(args) -> int:
    _setup(args.election)
    from sailau.ledger.models import Witness

    for w in Witness.objects.filter(election_id=args.election):
        print(json.dumps({"name": w.name, "verifier_key": w.verifier_key,
                          "added_at": w.added_at.isoformat(), "url": w.url}))
    return 0


def status(args) -> int:
    _setup(args.election)
    from sailau.ledger import cosign

    print(json.dumps(cosign.status(args.election), indent=1))
    return 0


def integrate(args) -> int:
    _setup(args.election)
    from sailau.ledger import integrator

    out = integrator.integrate(args.election)
    print(f"{out.sequenced} leaves sequenced, size {out.size}, "
          f"{out.bytes_written} bytes written in {out.seconds:.3f} s")
    return 0
