"""An imported file (`Batch`), the lists and persons nominated (`Nomination`), the commission's
decisions on them (`Decision`) and the appeals against those (`Appeal`). Amounts in whole tenge.

A nomination's `status` is what its decisions and appeals make it (`services.status_of`), stored
so that pages can count and filter; `findings` are what the rule set's checks found at
nomination, kept beside the decisions (the commission may decide otherwise: both are shown)."""

from django.db import models
from django.utils.translation import get_language

from sailau.elections.imported import ImportedFile
from sailau.elections.models import Candidate, Contest, Election, Party
from sailau.languages import in_script

NOMINATED, REGISTERED, REFUSED, WITHDRAWN, DEREGISTERED = (
    "nominated", "registered", "refused", "withdrawn", "deregistered")
STATUSES = [(s, s) for s in (NOMINATED, REGISTERED, REFUSED, WITHDRAWN, DEREGISTERED)]
LIST, PERSON = "list", "nomination"


class Batch(ImportedFile):
    """One imported file of nominations, decisions and appeals."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nomination_batches")

    class Meta:
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="nomination_batch_number"),
            models.UniqueConstraint(fields=["election", "sha256"], name="nomination_batch_once"),
        ]


class Nomination(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nominations")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="nominations")
    row = models.PositiveIntegerField(help_text="row in the batch's file (header = 1)")
    key = models.CharField(max_length=120, help_text="the file's key, unique in the election")
    kind = models.CharField(max_length=12, choices=[(LIST, "party list"), (PERSON, "person")])
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="nominations")
    office = models.CharField(max_length=12, help_text="mazhilis, maslikhat or president")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="nominations")
    nominated_by = models.CharField(max_length=12, help_text="party, self or association")
    association = models.CharField(max_length=200, blank=True)
    full_name = models.CharField(max_length=200, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    residence_years = models.PositiveIntegerField(null=True, blank=True)
    citizen = models.BooleanField(null=True)
    kazakh_language = models.BooleanField(null=True)
    higher_education = models.BooleanField(null=True)
    woman = models.BooleanField(null=True)
    disability = models.BooleanField(null=True)
    list_position = models.PositiveIntegerField(null=True, blank=True)
    party_share = models.CharField(max_length=20, blank=True,
                                   help_text="the party's share in the last parliamentary "
                                             "election, as a fraction 'n/d' (deposit band)")
    deposit_due = models.BigIntegerField(null=True, blank=True)
    deposit_paid = models.BigIntegerField(null=True, blank=True)
    deposit_date = models.DateField(null=True, blank=True)
    nominated_on = models.DateField()
    status = models.CharField(max_length=14, choices=STATUSES, default=NOMINATED)
    findings = models.JSONField(default=list, help_text="requirements not met at nomination")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="nominations", help_text="on the ballot as")

    class Meta:
        ordering = ["contest", "kind", "party", "list_position", "full_name"]
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="nomination_key")]
        indexes = [models.Index(fields=["election", "status"])]

    def name(self, lang: str | None = None) -> str:
        """The nominee's name in `lang`: as the ballot spells it once the nomination is on the
        ballot (`Candidate.name`), else as filed, in the page's script. A list's nominations
        select `candidate__choice` and `candidate__contest`."""
        if self.candidate_id:
            return self.candidate.name(lang)
        return in_script(self.full_name, lang or get_language())


class Decision(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="decisions")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="decisions")
    row = models.PositiveIntegerField()
    decision = models.CharField(max_length=14)
    reason = models.CharField(max_length=30)
    note = models.CharField(max_length=500, blank=True)
    body = models.CharField(max_length=200, help_text="the deciding commission")
    basis = models.CharField(max_length=300, blank=True,
                             help_text="legal basis, in the commission's words")
    # The reason's citation (law.citations.Citation.to_json) when the commission gave no basis
    # of its own; null before version 2, whose default basis was stored as a sentence in `basis`.
    citation = models.JSONField(null=True, blank=True, help_text="legal basis cited, as data")
    date = models.DateField()

    class Meta:
        ordering = ["nomination", "date", "batch__number", "row"]


class Appeal(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="appeals")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="appeals")
    row = models.PositiveIntegerField()
    appeal_to = models.CharField(max_length=20)
    body = models.CharField(max_length=200, blank=True)
    filed_on = models.DateField()
    outcome = models.CharField(max_length=12)
    outcome_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["decision", "filed_on", "batch__number", "row"]
