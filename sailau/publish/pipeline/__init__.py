"""The publication's rounds: what changed since the last one (`changes`), the log's step
(`logstep`: the outbox integrated and a checkpoint signed, by the log's one writer), the files
built and the manifest committed (`snapshots`), and the processes that run them on election
night: `publisher.follow` and its batches (`batches`), the national lane (`national_lane`),
the log's lane (`log_lane`) and their chores (`chores`), at the intervals of `timing`."""
