"""The fake payer server: payers that really adjudicate, over X12 and JSON on HTTP.

``payersim serve`` runs it; the ``fake_payer`` pytest fixture runs it in-process for test
suites. State lives in SQLite (see :mod:`simulator.server.store`), behaviour in
:mod:`simulator.server.service`, the HTTP API in :mod:`simulator.server.api`.
"""

from simulator.server.api import create_app
from simulator.server.config import DEFAULT_CONFIG, ServerConfig, load_config
from simulator.server.service import FakePayerService

__all__ = ["DEFAULT_CONFIG", "FakePayerService", "ServerConfig", "create_app", "load_config"]
