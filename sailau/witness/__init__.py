"""`sailau witness`: an observer's own witness of an election's transparency log.

It runs on the observer's machine with the observer's Ed25519 key, fetches the log's latest
checkpoint, checks the log's signature (key pinned at first sight or given), proves from the
log's tiles that the new tree extends the last one it cosigned, and only then cosigns it (C2SP
tlog-cosignature) and hands the cosignature to the server. A rollback, a second root for a size
it has seen or a tree that does not extend the old one is refused: both signed checkpoints are
kept as evidence in the state folder and printed, and the program exits 3.

Why a pull model rather than C2SP tlog-witness (where the log POSTs each new checkpoint with a
consistency proof to the witness): the witnesses here are observer organisations and newsrooms,
on laptops and office networks behind NAT, with no public address, TLS certificate or uptime
promise. Pulling needs none of that: the witness only makes outgoing requests, on its own
schedule, to the same static files any reader fetches (`log/checkpoint`, `log/tile/...`), so
it checks exactly what readers are shown, and it computes the consistency proof itself from
tiles instead of checking a proof the log chose. Nothing on the server can make it sign; a
server that is down only delays the next cosignature. The cost is latency: a checkpoint is
cosigned up to `--interval` seconds after it appears (the server keeps signing and publishing
meanwhile, and says which witness is behind)."""
