"""payersim's own small, strict X12 5010 codec.

- :mod:`simulator.x12.segments`: delimiters, segments, tokenizer, segment rendering.
- :mod:`simulator.x12.envelope`: ISA/IEA, GS/GE, ST/SE writing and reading, control numbers.
- :mod:`simulator.x12.loops`: the 837 loop structure (2000A ... 2430).
- :mod:`simulator.x12.claim837`: 837P (005010X222A1) and 837I (005010X223A2) writer and reader.
- :mod:`simulator.x12.ack999`: 999 implementation acknowledgement (005010X231A1).
- :mod:`simulator.x12.ta1`: TA1 interchange acknowledgement.
- :mod:`simulator.x12.frontend`: a payer's front-end edits on an incoming 837.
"""
