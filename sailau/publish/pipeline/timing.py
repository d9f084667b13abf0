"""The intervals the publication's processes keep (`publisher`, `batches`, `national_lane`,
`log_lane`, `chores`), in one place, each saying what it trades. Each of those
modules reads them under these names (tests set them there, on the module that reads them)."""

# By process. (The readers' window and what it costs in disk are `store.RETAIN` and
# `store.KEEP_MANIFESTS`; the bucket's uploads `mirror.UPLOADERS`; how long a round, and a whole
# publication, wait for a moment with every protocol in the log's checkpoint `logstep.PATIENCE`
# and `logstep.FULL_PATIENCE`.)

# ---- Every stage: the log's lane, the batches, the national lane.
# They sleep until a write that concerns them wakes them (`sailau.ledger.wake`: LISTEN/NOTIFY on
# PostgreSQL, datagrams between the processes of one machine on SQLite): the log's lane a leaf
# committed or a batch asking for a checkpoint; the batches a leaf committed (a definitive
# protocol, a turnout report, a decision), a step time or a scan, a checkpoint signed; the
# national lane a batch's snapshot committed with tables left stale. FALLBACK is the one
# interval at which each looks at the database anyway, for the wake-ups missed (none listening
# yet, a dropped connection or datagram, a second process waiting for a lock): a look is a few
# small queries; a missed wake-up delays a leaf, a protocol's batch or a stale table by up to
# this, and it is how soon a standby log lane finds the writer's lock free (its promise is 5 s).
FALLBACK = 1.0

# ---- The batches (`publisher.follow`, `batches.publish_changes`).
# At least this long from the start of one publication to the next: each writes the commission
# files above its stations (the CEC's, ~43 KiB at national scale, every time), the shards on the
# changed names' paths and a manifest, so a busy night gets two a second, not ten. A batch of a few
# stations costs about as much (0.3-0.7 s at national scale), so at 1 s the gap, not the work, set
# the pace, and a protocol waited up to two gaps for its snapshot file (p95 2.4 s).
MIN_GAP = 0.5
# Seconds a batch waits for the publication lock when another process holds it (the national
# lane merging its tables into the latest manifest, a tenth of a second idle at 100,000 stations)
# before it gives up until its next wake-up: given up at once, it waited for the next write's
# wake-up, and a 100,000-station night's batches waited 1.2 s (median of 32 waits) for a lock
# free long before. Longer keeps a second publisher (one that only waits: another `sailau
# serve`) from its other elections and chores that much longer each round.
LOCK_PATIENCE = 2.0
# Every station's fingerprint is compared once in this many seconds, in parts (`batches._sweep`):
# what adds no row (a scan rechecked, a step time corrected) is found within it; a shorter period
# costs the batches more comparisons a second.
FULL_EVERY = 30.0
# ...but not more than this many stations a second: comparing 3,300 stations' fingerprints cost
# 0.13 s, so at 100,000 stations a 30 s sweep took an eighth of a core all night, ten times what it
# takes at 10,000; at 1,000 a second it was still 13 % of the batches' process in the live night
# there (py-spy). What it finds adds no row (a scan rechecked, a step time corrected; the pages
# show them at once), or on PostgreSQL a row committed more than `changes.WINDOW` ids below the
# highest seen: at 300 a second a station is compared about every 34 s at 10,223 stations and every
# 5.5 minutes at 100,000, and such a change waits as long for its file.
SWEEP_PER_SECOND = 300
# When a batch writes the tables of the whole country itself (no national lane: inside a
# transaction, or `publish_changes` called alone), each at most this often and not more often than
# this many times its own cost; and how often such a loop looks at stale tables when nothing moved.
# Fresher tables against seconds of a batch spent on them.
NATIONAL_MIN_INTERVAL = 10.0
NATIONAL_COST_FACTOR = 4

# ---- The national lane (`national_lane.national_lane`, a process beside the batches).
# A stale table rewritten at most this often, and not more often than every 3× its own cost, so
# that the lane takes at most about a third of one core from the web workers; fresher tables
# against that core.
LANE_MIN_INTERVAL = 3.0
LANE_COST_FACTOR = 3
# ...and the large tables within a byte budget (`national_lane.ByteBudget`): at national scale the
# NIST report is ~23 MB and a national contest's station tables ~25 MB; rewritten every few seconds they
# made a ten-minute night write 2 GB. 64 KiB/s is ~38 MB for such a night: the large tables are
# minutes behind while protocols arrive (marked stale, with when they were written), exact soon
# after. `LANE_BURST`: what the budget holds at most, so a lane idle for a while writes at most
# that much at once (or one table larger than it, whose debt is paid after).
LANE_BYTES_PER_SECOND = 64 * 1024
LANE_BURST = 4 * 2**20
# A table of at most this many bytes (before gzip) is outside that budget, written when due: the
# whole country's per-level tables (~0.3 MB in three formats), a district's station tables, a small
# territory's scans. What it trades: those bytes again every `LANE_MIN_INTERVAL` at most (about a
# sixth of what writing the per-level tables with every batch cost), for tables never minutes
# behind while the large ones pay their debt.
LANE_SMALL = 2**20
# ...and those small tables within a byte budget of their own, in the same order, never behind a
# large one: the 29 single-member districts' station tables and results over time weigh together
# what the party list's do (~25 MB at national scale), and each written again whenever due (every
# few seconds, a district's table for one new station) they were half of the bytes a night's
# tables wrote. What it trades: at national scale (~17 MB of such tables) each district's tables
# are rewritten about every two minutes in a busy night (marked stale, exact once the night
# quietens, `LANE_QUIET`), instead of every few seconds.
LANE_SMALL_BYTES_PER_SECOND = 128 * 1024
LANE_SMALL_BURST = 2 * 2**20
# Seconds without a new leaf in the log after which the night has quietened and the budget is
# lifted: shorter makes the tables exact sooner after a lull, and lets a lull mid-night write the
# large tables at full speed.
LANE_QUIET = 15.0
# Seconds between two prunings of the superseded objects (`retention`; by the national lane, or by
# `publisher.follow` without one): each lists the objects (~110,000 at national scale) and the
# bodies of the window; rarer prunings leave the disk a little fuller for longer.
PRUNE_EVERY = 20.0

# ---- The log's lane (`log_lane.log_lane`, a process beside the batches): the log's one writer
# (`sailau.ledger.writer`), for which the batches wait before their snapshot; woken as above
# (`FALLBACK`).
# Not more often than LOG_MIN_GAP, unless a batch asks: each checkpoint writes the log's partial
# tile and entry bundle again (~25 KB gzip'd at national scale). A leaf is signed within about
# this of becoming definitive, so that witnesses cosign it within a second. The batches, which
# signed checkpoints of their own as well before the lane was the one writer, ask it instead
# (at most two a second), so at 0.25 s the log signs at most about four a second, as the lane and
# the batches did together.
LOG_MIN_GAP = 0.25
# Every checkpoint is the lane's own and is sent to the witnesses as soon as it is signed; this
# is the fallback between two looks (3 small reads) for a witness to ask again after its pause.
PUSH_POLL = 1.0

# ---- Chores of the `publisher.follow` loop.
# Seconds between two looks at the audit log's head for the published log (it is logged at most
# every `audithead.EVERY`, 60 s, while it grows): a look is one query; the published head lags by
# up to this much more.
AUDIT_HEAD_EVERY = 10.0
# Seconds between two rounds of `chores.housekeeping`: a volunteer's task not typed in time
# waits up to this much longer to be given to another.
HOUSEKEEPING_EVERY = 60.0
