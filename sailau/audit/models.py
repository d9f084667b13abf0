"""Audit records and the head of the chain.

`Head` is a single row holding the last sequence number and hash: appenders lock it, which gives
the chain one order under concurrency (a row lock in PostgreSQL; SQLite's IMMEDIATE transactions
already serialise writers) and saves a MAX() query per append."""

from django.db import models


class Record(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, help_text="username, or 'system'")
    action = models.CharField(max_length=60)  # entry.finalised, protocol.definitive, ...
    subject = models.CharField(max_length=300)  # station/contest, or another object id
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        # A record's subject is asked for (the API, `sailau audit`); nothing asks by action,
        # and an index of it was one more B-tree written with every record.
        indexes = [models.Index(fields=["subject"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"


class Head(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
