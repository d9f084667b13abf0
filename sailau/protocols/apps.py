from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "sailau.protocols"
    verbose_name = "Protocols"

    def ready(self) -> None:
        from sailau.elections import rounds

        rounds.created.connect(_second_round_totals, dispatch_uid="protocols.second_round")


def _second_round_totals(sender, election, **kw) -> None:
    """A second round's totals exist from its creation, at zero, as after an import."""
    from sailau.protocols.tabulation import ensure_election

    ensure_election(election.id)
