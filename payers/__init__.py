"""Payer behaviour: profiles, rules, the adjudication pipeline, pricing, accumulators, appeals.

Pure: no simpy, no I/O beyond reading packaged data, no clock."""
