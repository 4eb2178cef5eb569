"""payersim's own small, strict X12 5010 codec.

- :mod:`simulator.x12.segments`: delimiters, segments, tokenizer, segment rendering.
- :mod:`simulator.x12.envelope`: ISA/IEA, GS/GE, ST/SE writing and reading, control numbers.
- :mod:`simulator.x12.loops`: the 837 loop structure (2000A ... 2430).
- :mod:`simulator.x12.claim837`: 837P (005010X222A1) and 837I (005010X223A2) writer.
- :mod:`simulator.x12.read837`: the 837 reader: a claim's segments picked from its loops, then built.
- :mod:`simulator.x12.ack999`: 999 implementation acknowledgement (005010X231A1).
- :mod:`simulator.x12.ta1`: TA1 interchange acknowledgement.
- :mod:`simulator.x12.syntax837`: element and guide-structure rules behind the 999's detail.
- :mod:`simulator.x12.frontend`: a payer's front-end edits on an incoming 837.
- :mod:`simulator.x12.claimrules`: the business rules of those edits, shared by both readers.
- :mod:`simulator.x12.cleanset`, :mod:`simulator.x12.cleanpass`: the clean-set reader, which reads
  a plainly clean 837 set in one pass and leaves every other set to the full front end.
- :mod:`simulator.x12.ack277ca`: 277CA claim acknowledgement (005010X214).
- :mod:`simulator.x12.remittance`: grouping adjudications into payments (one per payee and run).
- :mod:`simulator.x12.remit835`: 835 remittance advice (005010X221A1) writer and reader.
- :mod:`simulator.x12.balance`: 835 balancing per line, claim and payment.
- :mod:`simulator.x12.eligibility`: 270 eligibility inquiry and 271 response (005010X279A1).
- :mod:`simulator.x12.status`: 276 claim status inquiry and 277 response (005010X212).
- :mod:`simulator.x12.respond`: everything a payer sends back for one 837 interchange.
"""
