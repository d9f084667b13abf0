"""`sailau witness`: an observer's own witness of an election's transparency log.

It runs on the observer's machine with the observer's Ed25519 key, fetches the log's latest
checkpoint, checks the log's signature (key pinned at first sight or given), proves from the
log's tiles that the new tree extends the last one it cosigned, and only then cosigns it (C2SP
tlog-cosignature) and hands the cosignature to the server. A rollback, a second root for a size
it has seen or a tree that does not extend the old one is refused: both signed checkpoints are
kept as evidence in the state folder and printed, and the program exits 3.

Two ways to meet the log. Pulled (`sailau witness run`, sailau.witness.run): the witness only
makes outgoing requests, on its own schedule, to the same static files any reader fetches
(`log/checkpoint`, `log/tile/...`), computing the consistency proof itself from tiles: an
observer's laptop behind NAT, with no public address, TLS certificate or uptime promise, can
run it, and nothing on the server can make it sign. Its cost is latency, up to `--interval`
per checkpoint, and two witnesses polling apart often cosign different checkpoints. Pushed
(`sailau witness serve`, sailau.witness.serve, C2SP tlog-witness): the log POSTs each
checkpoint it signs with the consistency proof; the witness checks the same things and answers
with its cosignature at once, so every witness cosigns the same checkpoint within the request's
time. It needs an address the server can reach."""
