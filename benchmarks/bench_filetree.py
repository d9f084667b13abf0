"""One round's tree of shards (`sailau.tlog.filetree.build` with the tree kept from the round
before, as `store.commit` calls it) for a country's list of files: N names, of which K change
each round (a round of the night changes about a dozen), the median of R rounds. What a batch
pays for the manifest's tree before it writes a shard.

    .venv/bin/python benchmarks/bench_filetree.py [N] [K] [R]
    PYTHONPATH=OTHER .venv/bin/python benchmarks/bench_filetree.py [N] [K] [R]

(`PYTHONPATH=OTHER`: another checkout's `sailau` imported instead, the baseline; run the two
alternately and compare the medians.)"""

import hashlib
import random
import statistics
import sys
import time

from sailau.tlog import filetree


def main() -> None:
    n, k, rounds = (int(a) for a in (sys.argv[1:] + ["110000", "12", "60"][len(sys.argv) - 1:]))
    files = {f"stations/{i}.json": {"sha256": hashlib.sha256(str(i).encode()).hexdigest(),
                                    "size": i} for i in range(n)}
    keys, memo = {}, {}
    filetree.build(files, keys, memo=memo)
    rng, times = random.Random(7), []
    for r in range(rounds):
        changed = rng.sample(sorted(files), k)
        for name in changed:
            files[name] = {"sha256": hashlib.sha256(f"{name}{r}".encode()).hexdigest(),
                           "size": r}
        t = time.perf_counter()
        filetree.build(files, keys, memo=memo, changed=changed)
        times.append(time.perf_counter() - t)
    print(f"{filetree.__file__}: {n:,} names, {k} changed a round, {len(memo['tree'].encoded):,}"
          f" shards: median {statistics.median(times) * 1000:.1f} ms a round over {rounds}")


if __name__ == "__main__":
    main()
