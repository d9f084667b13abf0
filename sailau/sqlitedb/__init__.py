"""SQLite as Django's database backend (`ENGINE: sailau.sqlitedb`), with two additions: every
transaction waits its turn for SQLite's one write lock in a queue of the machine's writers
(`queue`), and a process can put its writers first in line (`first_in_line`).

Why. A writer that finds the lock taken waits in SQLite's busy handler, which sleeps 1, 2, 5,
10 ... and, after about a third of a second, 100 ms between two tries. A writer that has
waited that long therefore takes the lock up to 100 ms after it frees, and newer writers, still
on their short sleeps, take it first. In a traced election night (bench_night, 10,223
stations, its entries in five minutes) the operators' entries held the lock 132 s of 283
(a protocol's transaction ~35 ms, p95 ~70 ms), and the log's lane, whose transactions take
~12 ms but must sequence and sign a protocol's leaf within a second, waited p95 0.44-0.53 s
for it. A process
marked `first_in_line` instead tries BEGIN IMMEDIATE without SQLite's handler and again every
`RETRY` seconds, so it takes the lock within about a millisecond of its release, still never
in the middle of another writer's transaction. Only the log's lane is marked: it writes
little and rarely (a few short transactions a checkpoint), so the others wait for it at most its
few milliseconds; were every writer marked, they would all poll and none would be first. The
others queue (`queue`), and a first-in-line writer closes the gate before the queue's head
(`queue.Gate`) while it waits and writes, so that it takes the lock as the transaction in
progress ends, not after the writers queued meanwhile."""
