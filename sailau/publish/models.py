"""The search index: one row per (station, token). Tokens are script-independent keys
(`sailau.register.translit.name_key`), so "Қарағанды", "Караганда" and "Qaraǵandy" meet, and a
query is a few B-tree range scans on (election, token): fast on SQLite and PostgreSQL alike."""

from django.db import models

from sailau.elections.models import Election, Station


class SearchToken(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "token", "station"],
                                               name="search_token_unique")]
