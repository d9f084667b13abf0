"""The publication's rounds: what changed since the last one (`changes`), the log's step
(`logstep`: the outbox integrated and a checkpoint signed, by the log's one writer), the files
built and the manifest committed (`snapshots`), and the processes that run them on election
night (`publisher`: the batches, the national lane, the log's lane), at the intervals of
`timing`."""
