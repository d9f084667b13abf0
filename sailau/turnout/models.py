"""A precinct commission's report, at one of the CEC's hours, of the ballots issued so far."""

from django.db import models

from sailau import clock
from sailau.elections.models import Station


class TurnoutReport(models.Model):
    """How many voters had received ballots at `station` by `hour` (local), as its commission
    reported it. A report is never replaced: the figure given during the day is what the
    evening criterion (I23) reads, so a commission cannot align it with the protocol after the
    count. Its time of receipt is kept beside it."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="turnout_reports")
    hour = models.PositiveSmallIntegerField()
    issued = models.PositiveIntegerField()
    reported_at = models.DateTimeField(default=clock.now)
    reported_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["station", "hour"]
        constraints = [models.UniqueConstraint(fields=["station", "hour"],
                                               name="turnout_report_once_an_hour")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.hour}:00 {self.issued}"
