"""The Parquet tables are written small: most are small and written again all night (a
single-member district's one-row table with each batch of its stations), and in them the
footer's column statistics and Arrow's copy of the schema were most of the file. What a reader
reads back is the same table."""

import io

import pyarrow as pa
import pyarrow.parquet as pq

from sailau.languages import LANGUAGES
from sailau.verify import tables

KEYS = [f"c{i:02d}" for i in range(1, 9)] + ["against_all"]


def _level_rows(n: int) -> list[list]:
    return [tables.level_cells({
        "commission_id": f"e.smd.{i:02d}", "number": i,
        "name": {lang: f"District no. {i} ({lang})" for lang in LANGUAGES},
        "parent": "e.cec", "stations_reported": 3 * i, "stations_expected": 400,
        "figures": {k: 1000 + 7 * i + j for j, k in enumerate(tables.FIGURE_COLUMNS)
                    if k != "both_marked"},
        "choices": {k: 10 * i + j for j, k in enumerate(KEYS)}}, KEYS) for i in range(n)]


def test_a_one_row_table_reads_back_the_same_without_statistics_or_arrow_schema():
    header = tables.level_header(KEYS)
    for rows in (_level_rows(1), _level_rows(30)):
        body = tables.parquet_bytes(header, rows)
        f = pq.ParquetFile(pa.BufferReader(body))
        back = f.read(use_threads=False)
        assert back.equals(tables.parquet_table(header, rows))
        assert back.schema == tables.parquet_table(header, rows).schema  # the same types
        assert b"ARROW:schema" not in (f.metadata.metadata or {})  # no copy of Arrow's schema
        group = f.metadata.row_group(0)
        assert all(group.column(i).statistics is None for i in range(group.num_columns))
        # against pyarrow's defaults, the same zstd: most of a small table was its footer
        buf = io.BytesIO()
        pq.write_table(tables.parquet_table(header, rows), buf, compression="zstd")
        assert len(body) < 0.7 * len(buf.getvalue()), (len(body), len(buf.getvalue()))


def test_the_same_rows_give_the_same_bytes():
    header = tables.level_header(KEYS)
    assert tables.parquet_bytes(header, _level_rows(3)) == tables.parquet_bytes(
        header, _level_rows(3))
