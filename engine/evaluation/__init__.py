"""Evaluation: deciding and explaining each item of a compiled set for one entity, results
and verdicts, batches with roll-up, the cases of a set, progress between snapshots."""
