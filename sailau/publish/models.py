"""The search index: one row per (station, token, field). Tokens are script-independent keys
(`sailau.register.translit.name_key`), so "Қарағанды", "Караганда" and "Qaraǵandy" meet; the
field (`searchindex.NUMBER` … `OTHER`) says where in the station the word is, which ranks a
region's own stations above those of a street named after it. A query is a few B-tree range
scans on (election, token): fast on SQLite and PostgreSQL alike."""

from django.db import models

from sailau.elections.models import Election, Station


class SearchToken(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    field = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "token", "station", "field"],
                                               name="search_token_field_unique")]
