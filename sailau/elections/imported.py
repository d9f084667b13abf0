"""A file imported into an election, all or nothing: the candidates' batches and the finance
reports are both one. What they share is here once: the columns (numbered 1, 2, ... within the
election, the file's name and SHA-256, when, by whom, how many rows), one import into an
election at a time, and the same file refused a second time."""

import hashlib

from django.db import models
from django.db.models import Max
from django.utils import timezone

from sailau.elections.models import Election
from sailau.errors import Conflict


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ImportedFile(models.Model):
    """The columns of an imported file. A subclass adds its `election` (with its own related
    name) and its constraints: the number and the SHA-256 each once in the election."""

    number = models.PositiveIntegerField(help_text="1, 2, ... within the election")
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField()
    imported_by = models.CharField(max_length=150)
    rows = models.PositiveIntegerField()

    class Meta:
        abstract = True

    @classmethod
    def refuse_again(cls, election: Election, digest: str, message: dict) -> None:
        """Conflict (`message`, field "file") if this file was imported into the election."""
        if cls.objects.filter(election=election, sha256=digest).exists():
            raise Conflict(message=message, field="file")

    @classmethod
    def begin(cls, election: Election, digest: str, message: dict) -> None:
        """In the caller's transaction: the election's row locked, so that imports into it go
        one at a time (the next number is free, the same file cannot pass twice), then the
        check that this file is new."""
        Election.objects.select_for_update().filter(pk=election.pk).first()
        cls.refuse_again(election, digest, message)

    @classmethod
    def add(cls, election: Election, digest: str, filename: str, actor: str, rows: int,
            **more) -> "ImportedFile":
        """The election's next file (after `begin`, in the same transaction)."""
        number = (cls.objects.filter(election=election).aggregate(n=Max("number"))["n"] or 0) + 1
        return cls.objects.create(election=election, number=number, filename=filename[:200],
                                  sha256=digest, imported_at=timezone.now(), imported_by=actor,
                                  rows=rows, **more)
