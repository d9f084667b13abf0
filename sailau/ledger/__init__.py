"""The election's published log: the outbox of leaves written in the transaction of
each fact (`outbox`), the integrator that sequences them into the Merkle tree, writes its tiles
and signs the checkpoint (`integrator`), the log's key (`logkey`), and the witnesses'
cosignatures (`cosign`). Low in the layers (above `law` and `audit`): the apps whose facts are
logged call it; it imports none of them."""
