"""SQL, by table. Functions named op_* run inside the writer's transaction (they take
a Tx); functions named q_* are reads (they take a connection)."""
