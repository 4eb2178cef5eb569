"""payersim's world over time: the shared vocabulary, the X12 codec, the simpy engine and its
actors, policies, the event log, studies, the command line and the server."""

__version__ = "0.1.0"
