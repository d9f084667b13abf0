"""A fund report as imported (`Report`), its rows (`Entry`: one income or spending item of one
party's or candidate's fund) and what the checks found (`Finding`). Amounts are whole tenge."""

from django.db import models

from sailau.elections.imported import ImportedFile
from sailau.elections.models import Candidate, Election, Party

PARTY, CANDIDATE = "party", "candidate"
RECIPIENT_KINDS = [(PARTY, "party"), (CANDIDATE, "candidate")]
INCOME, SPENDING = "income", "spending"


class Report(ImportedFile):
    """One imported file. Reports add up: the checks run on every entry of the election."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="finance_reports")
    ruleset = models.CharField(max_length=60, help_text="finance rules the checks used")

    class Meta:
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="finance_report_number"),
            models.UniqueConstraint(fields=["election", "sha256"], name="finance_report_once"),
        ]


class Entry(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="entries")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField(help_text="row in the report file (header = 1)")
    recipient_kind = models.CharField(max_length=10, choices=RECIPIENT_KINDS)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="finance_entries")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="finance_entries")
    direction = models.CharField(max_length=10)
    source_kind = models.CharField(max_length=20, help_text="income source or spending category")
    donor = models.CharField(max_length=300, blank=True, help_text="donor, or supplier")
    amount = models.BigIntegerField()
    date = models.DateField()
    # The donor or supplier and the candidate's name, case-folded: SQLite's icontains folds
    # only ASCII, and most names here are in Cyrillic.
    search = models.CharField(max_length=600, blank=True)

    class Meta:
        ordering = ["report__number", "row"]
        indexes = [models.Index(fields=["election", "recipient_kind"])]

    @property
    def fund_key(self) -> str:
        return f"{PARTY}:{self.party_id}" if self.party_id else f"{CANDIDATE}:{self.candidate_id}"


class Finding(models.Model):
    """A limit broken, as the last check of the election found it (replaced by every check)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="finance_findings")
    code = models.CharField(max_length=40)
    recipient_kind = models.CharField(max_length=10, choices=RECIPIENT_KINDS)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    donor = models.CharField(max_length=300, blank=True)
    source_kind = models.CharField(max_length=20, blank=True)
    limit = models.BigIntegerField()
    amount = models.BigIntegerField()
    entries = models.JSONField(default=list, help_text="ids of the entries that make the amount")

    class Meta:
        ordering = ["election", "recipient_kind", "party", "candidate", "code", "donor"]
