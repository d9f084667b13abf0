"""The national voter register (one row per person, keyed by IIN) and, per election, each
voter's place on a station list, absentee certificates, transfers, mobile-voting requests,
same-day additions and the log of public lookups.

Everything here except `LookupLog` and the counts of the oversight report is personal data:
it is shown only to staff, and each staff access is written to the audit chain
(`sailau.voters.access`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sailau.elections.models import Election, Station


class Voter(models.Model):
    iin = models.CharField(max_length=12, unique=True)
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    patronymic = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=[("M", "M"), ("F", "F")])
    citizenship = models.CharField(max_length=3)
    region = models.CharField(max_length=100)
    locality = models.CharField(max_length=100)
    street = models.CharField(max_length=150, blank=True)
    house = models.CharField(max_length=20, blank=True)
    apartment = models.CharField(max_length=20, blank=True)
    legal_capacity = models.BooleanField(default=True)
    in_detention = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def __str__(self) -> str:  # never the IIN: str() ends up in logs
        return f"voter {self.pk}"


class ListEntry(models.Model):
    """A voter's place for one election: eligibility with every reason of exclusion, the home
    station the address gives, and where the voter is listed now."""

    ON_LIST, ABSENTEE, TRANSFERRED, EXCLUDED = "on_list", "absentee", "transferred", "excluded"
    STATES = [(ON_LIST, _("on the list")), (ABSENTEE, _("left the list: absentee certificate")),
              (TRANSFERRED, _("transferred to the place of temporary residence")),
              (EXCLUDED, _("not eligible"))]
    # Indexes: (election, voter) unique and (station, state) serve every query; single-column
    # indexes on election, station and home station would only slow a national import.
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voter_entries",
                                 db_index=False)
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="entries")
    home_station = models.ForeignKey(Station, null=True, on_delete=models.SET_NULL,
                                     related_name="home_entries", db_index=False)
    station = models.ForeignKey(Station, null=True, on_delete=models.SET_NULL, db_index=False,
                                related_name="voter_entries", help_text="list the voter is on now")
    eligible = models.BooleanField()
    reasons = models.JSONField(default=list, help_text="codes of every reason for exclusion")
    state = models.CharField(max_length=12, choices=STATES)
    same_day = models.BooleanField(default=False, help_text="added on election day")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "voter"],
                                               name="list_entry_unique")]
        indexes = [models.Index(fields=["station", "state"])]


class AbsenteeCertificate(models.Model):
    number = models.CharField(max_length=40, unique=True)
    entry = models.OneToOneField(ListEntry, on_delete=models.CASCADE, related_name="certificate")
    home_station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    issued_at = models.DateTimeField()
    issued_by = models.CharField(max_length=150)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_station = models.ForeignKey(Station, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    redeemed_by = models.CharField(max_length=150, blank=True)


class RefusedRedemption(models.Model):
    """A certificate presented again after its redemption: refused, and reported to oversight."""

    certificate = models.ForeignKey(AbsenteeCertificate, on_delete=models.CASCADE,
                                    related_name="refusals")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    by = models.CharField(max_length=150)


class Transfer(models.Model):
    """To the list of the station of the voter's temporary residence."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="transfers")
    from_station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    to_station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=300)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)


class MobileRequest(models.Model):
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="mobile_requests")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="mobile_requests")
    reason = models.CharField(max_length=200)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)


class SameDayAddition(models.Model):
    REASONS = [("not_on_list", _("resident but missing from the list")),
               ("error_in_list", _("error in the list entry")),
               ("court_decision", _("court decision")),
               ("commission_decision", _("commission decision")),
               ("other", _("other"))]
    DOCUMENTS = [("id_card", _("identity card")), ("passport", _("passport")),
                 ("residence_certificate", _("certificate of residence")),
                 ("court_decision", _("court decision"))]
    entry = models.OneToOneField(ListEntry, on_delete=models.CASCADE, related_name="addition")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="additions")
    reason = models.CharField(max_length=24, choices=REASONS)
    reason_text = models.CharField(max_length=300, blank=True)
    document_kind = models.CharField(max_length=24, choices=DOCUMENTS)
    document_number = models.CharField(max_length=40)
    at = models.DateTimeField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")


class LookupLog(models.Model):
    """Every public "where do I vote" lookup: keyed hashes only, never the IIN or the address
    of the client in clear (an IIN has few enough possible values to be found from a plain
    hash, hence the keyed HMAC)."""

    at = models.DateTimeField(auto_now_add=True)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    iin_hash = models.CharField(max_length=64)
    client_hash = models.CharField(max_length=64)
    found = models.BooleanField()
    limited = models.BooleanField(default=False, help_text="refused by the rate limit")

    class Meta:
        indexes = [models.Index(fields=["client_hash", "at"])]
