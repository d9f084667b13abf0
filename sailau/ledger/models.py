"""The log's rows. Elections are named by their id as a string, not a foreign key: this app sits
below `elections` (every app that logs a fact calls it), and a leaf outlives any row it speaks of
(a deleted complaint's decision stays in the log: that is the point)."""

from django.db import models


class Leaf(models.Model):
    """One leaf: written to the outbox (index null) in the transaction of its fact, given its
    index in the tree by the integrator. Never updated after that, never deleted."""

    election_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, help_text="the leaf's type")
    subject = models.CharField(max_length=300, blank=True,
                               help_text="what it is about, e.g. station/contest of a protocol")
    data = models.BinaryField(help_text="the leaf's canonical bytes (sailau.tlog.leaves)")
    hash = models.BinaryField(max_length=32, help_text="RFC 9162 leaf hash of data")
    index = models.BigIntegerField(null=True, blank=True,
                                   help_text="position in the tree; null until integrated")
    created_at = models.DateTimeField()
    # PostgreSQL: the order its transaction committed in, set as it commits (migration 0004's
    # trigger); the integrator sequences by it, then by id. Ids are taken at insert, and a
    # lower one can commit after a higher; SQLite commits one writer at a time, in id order,
    # and leaves it null.
    committed = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election_id", "index"],
                                               name="ledger_leaf_one_per_index")]
        # (election_id, index) is looked up by the unique constraint's own index: no second one.
        indexes = [models.Index(fields=["election_id", "kind", "subject"]),
                   # The publisher asks twice a second which leaves wait: only those rows.
                   models.Index(fields=["election_id", "id"], condition=models.Q(
                       index__isnull=True), name="ledger_leaf_pending")]

    def __str__(self) -> str:
        return f"{self.election_id} #{self.index} {self.kind} {self.subject}"


class LogState(models.Model):
    """The log of one election: its origin and key, how far it is sequenced (`size`, `root`:
    changed only by a compare-and-swap on `size`, see `integrator`) and the latest checkpoint
    signed and published (`checkpoint_size`, `checkpoint`)."""

    election_id = models.CharField(primary_key=True, max_length=100)
    origin = models.CharField(max_length=200)
    verifier_key = models.TextField(help_text="the log key's C2SP verifier key")
    sealed_key = models.BinaryField(help_text="the log's Ed25519 private key, sealed "
                                              "(sailau.sealing)")
    size = models.BigIntegerField(default=0)
    root = models.BinaryField(max_length=32)
    checkpoint_size = models.BigIntegerField(default=0)
    checkpoint = models.TextField(blank=True, help_text="the latest signed checkpoint note")
    checkpoint_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.origin} size {self.size}"


class Witness(models.Model):
    """An observer organisation's witness of one election's log, by its verifier key."""

    election_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100, help_text="the key's name (C2SP signed-note)")
    verifier_key = models.TextField()
    added_at = models.DateTimeField()
    url = models.CharField(max_length=500, blank=True, default="", help_text=(
        "the witness's C2SP tlog-witness submission prefix, if it can be reached: the log "
        "pushes each checkpoint to <url>/add-checkpoint (sailau.ledger.push); blank, the "
        "witness pulls (an operational setting, not published)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election_id", "name"],
                                               name="ledger_witness_one_name")]
        ordering = ["election_id", "name"]

    def __str__(self) -> str:
        return self.name


class Cosignature(models.Model):
    """A witness's cosignature of a checkpoint this server issued (one per witness and size:
    a second one for the same size replaces the first, which is as good)."""

    witness = models.ForeignKey(Witness, on_delete=models.CASCADE, related_name="cosignatures")
    size = models.BigIntegerField()
    line = models.TextField(help_text="the note signature line, as the witness sent it")
    signed_at = models.BigIntegerField(help_text="the witness's timestamp, Unix seconds")
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["witness", "size"],
                                               name="ledger_cosignature_one_per_size")]
