"""The paging parameters of the API's lists, defined once: `limit` from 1 to 1,000 and
`offset` from 0 to far beyond any list (a database cannot take an offset past 2**63)."""

from typing import Annotated

from ninja import Query

OFFSET_MAX = 10**9
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=OFFSET_MAX)]
