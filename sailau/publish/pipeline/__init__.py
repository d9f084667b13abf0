"""The publication's rounds: what changed since the last one (`changes`), the log's step
(`logstep`: the outbox integrated and a checkpoint signed, by the log's one writer), the files
built (`snapshots`, with `contest_tables` and, for the tables of the whole country,
`national_jobs`; what a process keeps between rounds, `roundmemo`), the manifest committed
(`commit`) and held to the database (`snapshot_check`), and the processes that run them on
election night: `publisher.follow` and its batches (`batches`), the national lane
(`national_lane`), the log's lane (`log_lane`) and their chores (`chores`), at the intervals of
`timing`."""
