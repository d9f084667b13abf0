"""The search index: one row per (station, token, field). Tokens are script-independent keys
(`sailau.register.translit.name_key`), so "Қарағанды", "Караганда" and "Qaraǵandy" meet; the
field (`searchindex.NUMBER` … `OTHER`) says where in the station the word is, which ranks a
region's own stations above those of a street named after it. A query is a few B-tree range
scans on (election, token): fast on SQLite and PostgreSQL alike."""

from django.db import models

from sailau.elections.models import Election, Station


class SearchToken(models.Model):
    # No index of their own: the unique constraint's index begins with the election, and
    # every query of the index names the election first and finds a station's rows through
    # it. A second index on 460,000 rows is a quarter of the national index's writing; the
    # station's was a third, used only when a station is deleted. Without it the database's
    # own check of the station key would read the whole table for each station deleted
    # (PostgreSQL): the rows are derived, and Django deletes them with their station
    # (CASCADE, one statement for many stations), so the database does not check the key.
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+",
                                 db_index=False)
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+",
                                db_index=False, db_constraint=False)
    token = models.CharField(max_length=64)
    field = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "token", "station", "field"],
                                               name="search_token_field_unique")]
