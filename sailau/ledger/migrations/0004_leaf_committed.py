"""The leaves' commit order on PostgreSQL (`Leaf.committed`).

A deferred constraint trigger runs as each transaction that wrote leaves commits: under one
transaction-scoped advisory lock, it gives the transaction's leaves the next number of a
sequence. The lock is held until the commit is done, and a transaction's rows are visible
before its locks are released, so the numbers follow the order in which the transactions
became visible: any snapshot sees the leaves numbered up to some n and none above. The
integrator sequences by this number, so a leaf committed after a snapshot is never sequenced
among the leaves that snapshot saw (`sailau.publish.pipeline.logstep.settle`). Transactions
that write leaves also send a NOTIFY, and PostgreSQL already commits those one at a time: the
lock lengthens that stretch by the numbering's UPDATE (about 0.08 ms a one-leaf transaction,
measured). SQLite commits one writer at a time, in id order: nothing there."""

from django.db import migrations, models

# (class, object) of the advisory lock: "SAIO", apart from `ledger.writer`'s "SAIL" keys.
LOCK = (0x5341494F, 0)

FORWARD = f"""
CREATE SEQUENCE ledger_leaf_commit_order;
CREATE FUNCTION ledger_leaf_committed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    -- Called for each leaf the transaction wrote; the first call numbers them all (through the
    -- index of the rows not yet numbered: only this transaction's), the others return at once.
    -- (Leaves written after a SET CONSTRAINTS ... IMMEDIATE fired it are numbered by the next
    -- transaction that writes leaves: later, never earlier; `settle` still checks.)
    IF current_setting('sailau.leaf_commit', true) = 'numbered' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK[0]}, {LOCK[1]});
    n := nextval('ledger_leaf_commit_order');
    UPDATE ledger_leaf SET committed = n WHERE committed IS NULL;
    PERFORM set_config('sailau.leaf_commit', 'numbered', true);
    RETURN NULL;
END $$;
UPDATE ledger_leaf SET committed = 0 WHERE committed IS NULL;
CREATE INDEX ledger_leaf_uncommitted ON ledger_leaf (id) WHERE committed IS NULL;
CREATE CONSTRAINT TRIGGER ledger_leaf_commit_order AFTER INSERT ON ledger_leaf
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_leaf_committed();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ledger_leaf_commit_order ON ledger_leaf;
DROP INDEX IF EXISTS ledger_leaf_uncommitted;
DROP FUNCTION IF EXISTS ledger_leaf_committed();
DROP SEQUENCE IF EXISTS ledger_leaf_commit_order;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_leaf_no_second_index_by_position'),
    ]

    operations = [
        migrations.AddField(
            model_name='leaf',
            name='committed',
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
