"""Complaints, their decisions and attachments.

A private filer's personal data (`filer_name`, `filer_contact`) is stored for the body that
decides but never published: the public see the filer's kind, and a name only for
organisations, parties and candidates (`public_filer`). An appeal is a complaint whose
`contests` points at the decision it challenges, so a case is the chain of those links."""

import datetime as dt
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sailau import clock, languages
from sailau.elections.models import Commission, Election, Station
from sailau.i18n import AsWritten
from sailau.languages import in_script
from sailau.law import deadlines as law
from sailau.law import kinds
from sailau.protocols.models import Protocol

FILER_KINDS = [
    ("voter", _("Voter")),
    ("candidate", _("Candidate")),
    ("party", _("Party")),
    ("observer", _("Observer")),
    ("observer_org", _("Observer organisation")),
    ("proxy", _("Proxy")),
]
# Only these file under a name that is public anyway.
PUBLIC_NAME_KINDS = ("candidate", "party", "observer_org")

TOPICS = [
    ("voter_lists", _("Voter lists")),
    ("observers_rights", _("Observers' rights")),
    ("counting", _("Counting")),
    ("tabulation", _("Tabulation")),
    ("campaign", _("Campaign")),
    ("registration", _("Registration")),
    ("media", _("Media")),
    ("other", _("Other")),
]

BODIES = [
    (law.COMMISSION, _("Election commission")),
    (law.HIGHER_COMMISSION, _("Higher commission")),
    (law.ADMIN_COURT, _("Administrative court")),
    (law.SUPREME_COURT, _("Supreme Court")),
    (law.CONSTITUTIONAL_COURT, _("Constitutional Court")),
    (law.PROSECUTOR, _("Prosecutor")),
]

# A referendum's words for the choices an election names otherwise: those on its lists are
# citizens, its lists are of citizens and its commissions are referendum commissions
# (`law.wordings.REFERENDUM`, which cites the Constitutional Law "On the Republican
# Referendum").
REFERENDUM_LABELS = {
    "filer_kind": {"voter": _("Citizen")},
    "topic": {"voter_lists": _("Lists of citizens")},
    "body": {"commission": _("Referendum commission")},
}

AGAINST_KINDS = [
    ("commission", _("A commission")),
    ("official", _("An official")),
    ("candidate", _("A candidate")),
    ("party", _("A party")),
    ("other", _("Other")),
]

REGISTERED, ASSIGNED, SUSPENDED, DECIDED = "registered", "assigned", "suspended", "decided"
STATUSES = [
    (REGISTERED, _("Registered")),
    (ASSIGNED, _("Assigned")),
    (SUSPENDED, _("Suspended: a court decides first")),
    (DECIDED, _("Decided")),
]


class Complaint(models.Model):
    receipt = models.CharField(max_length=40, unique=True)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="complaints")
    filer_kind = models.CharField(max_length=16, choices=FILER_KINDS)
    filer_name = models.CharField(max_length=200, help_text="private unless an organisation, "
                                  "party or candidate")
    filer_contact = models.CharField(max_length=200, blank=True, help_text="private")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="complaints_filed")
    against_kind = models.CharField(max_length=12, choices=AGAINST_KINDS)
    against_name = models.CharField(max_length=300)
    topic = models.CharField(max_length=20, choices=TOPICS)
    text = models.TextField()
    station = models.ForeignKey(Station, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints")
    commission = models.ForeignKey(Commission, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="complaints_concerning")
    protocol = models.ForeignKey(Protocol, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="complaints")
    body = models.CharField(max_length=24, choices=BODIES)
    body_commission = models.ForeignKey(Commission, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="complaints_filed",
                                        help_text="the commission where it was filed")
    contests = models.ForeignKey("Decision", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="appeals", help_text="the decision appealed")
    event_date = models.DateField(null=True, blank=True,
                                  help_text="date of the decision, action or inaction complained of")
    filed_at = models.DateTimeField(default=clock.now)
    late = models.BooleanField(default=False, help_text="filed after the 10-day term")
    due_date = models.DateField()
    due_rule = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=STATUSES, default=REGISTERED)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="complaints_assigned")
    # matter: filer + text + target (the same complaint, wherever filed); fingerprint adds the
    # body (the same filing: a resubmission).
    matter = models.CharField(max_length=64, db_index=True)
    fingerprint = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["election", "topic"]),
                   models.Index(fields=["election", "body"])]
        permissions = [("decide_complaint", "Can register, assign and decide complaints")]

    def __str__(self) -> str:
        return self.receipt

    @property
    def of_referendum(self) -> bool:
        return self.election.kind == kinds.QUESTION.name

    def _shown(self, field: str, choices) -> str:
        """A choice's label as the pages show it: a referendum's in its own words."""
        key = getattr(self, field)
        words = REFERENDUM_LABELS[field] if self.of_referendum else {}
        return str(words.get(key) or dict(choices).get(key, key))

    @property
    def topic_shown(self) -> str:
        return self._shown("topic", TOPICS)

    @property
    def body_shown(self) -> str:
        return self._shown("body", BODIES)

    @property
    def filer_kind_shown(self) -> str:
        return self._shown("filer_kind", FILER_KINDS)

    @property
    def public_filer(self) -> str:
        """What the public register shows of the filer."""
        if self.filer_kind in PUBLIC_NAME_KINDS:
            return self._in_page_language(self.filer_name)
        return self.filer_kind_shown

    @property
    def against_shown(self) -> str:
        """Whom the complaint is against, as the pages show it."""
        return self._in_page_language(self.against_name, self.against_kind == "commission")

    def _in_page_language(self, text: str, commission: bool = False) -> str:
        """A name as filed, in the page's language when it is one of the election's own names
        (the station's commission, a party) in any of its languages: a complaint filed in
        Kazakh against "№60164 учаскелік сайлау комиссиясы" reads "Участковая избирательная
        комиссия № 60164" on a Russian page. Other text is shown as the filer wrote it, in the
        page's script (a person's name in Latin letters on a kk-latn page, as candidates' are)."""
        named = list(self.election.parties.all())
        if self.station_id:
            named.append(self.station.commission)
        wanted = text.strip()
        for n in named:
            if wanted in n.names.values():
                return n.name()
        if commission:  # a commission other than the station's, looked up by its name
            found = (Commission.objects.filter(election_id=self.election_id)
                     .filter(reduce(or_, (Q(**{f"names__{code}": wanted})
                                          for code in languages.WRITTEN))).first())
            if found:
                return found.name()
        return AsWritten(in_script(text, get_language()))

    @property
    def decided(self) -> bool:
        return hasattr(self, "decision")

    def days_left(self, today: dt.date | None = None) -> int:
        return law.days_left(self.due_date, today or clock.localdate())

    def overdue(self, today: dt.date | None = None) -> bool:
        return law.is_overdue(self.due_date, today or clock.localdate(), self.decided)


UPHELD, PARTLY, REJECTED, NOT_CONSIDERED = "upheld", "partly_upheld", "rejected", "not_considered"
OUTCOMES = [
    (UPHELD, _("Upheld")),
    (PARTLY, _("Partly upheld")),
    (REJECTED, _("Rejected")),
    (NOT_CONSIDERED, _("Not considered")),
]
NOT_CONSIDERED_REASONS = [
    ("", "—"),
    ("late", _("Filed after the deadline")),
    ("jurisdiction", _("Not within the body's jurisdiction")),
    ("withdrawn", _("Withdrawn by the filer")),
    ("court_pending", _("A court is deciding the same matter")),
    ("no_standing", _("The filer has no standing")),
    ("form", _("Formal requirements not met")),
]
NO_EFFECT, CANCELLED, REPEAT_VOTE, AMENDED = "none", "station_cancelled", "repeat_vote", "protocol_amended"
EFFECTS = [
    (NO_EFFECT, _("No effect on results")),
    (CANCELLED, _("Station results cancelled")),
    (REPEAT_VOTE, _("Repeat vote")),
    (AMENDED, _("Protocol amended")),
]


class Decision(models.Model):
    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="decision")
    number = models.CharField(max_length=60, blank=True)
    decided_on = models.DateField()
    text = models.TextField()
    outcome = models.CharField(max_length=16, choices=OUTCOMES)
    not_considered_reason = models.CharField(max_length=16, choices=NOT_CONSIDERED_REASONS,
                                             blank=True)
    effect = models.CharField(max_length=20, choices=EFFECTS, default=NO_EFFECT)
    protocol_version = models.ForeignKey(Protocol, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="decisions",
                                         help_text="the protocol version the decision caused")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # "not considered" always says why; the others never carry a reason
            models.CheckConstraint(
                condition=(models.Q(outcome=NOT_CONSIDERED) & ~models.Q(not_considered_reason=""))
                | (~models.Q(outcome=NOT_CONSIDERED) & models.Q(not_considered_reason="")),
                name="decision_reason_iff_not_considered"),
        ]

    @property
    def on_time(self) -> bool:
        return self.decided_on <= self.complaint.due_date


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
