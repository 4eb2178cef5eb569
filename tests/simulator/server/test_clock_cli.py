"""The simulated clock (manual and realtime) and ``payersim serve`` argument errors."""

from __future__ import annotations

import socket
import sys
from datetime import date

import pytest

from simulator.cli import main
from simulator.server.clock import SimClock
from simulator.server.config import ClockConfig
from simulator.server.store import Store

from .conftest import free_port


def test_manual_clock_moves_only_when_told(tmp_path) -> None:
    store = Store(tmp_path / "db")
    clock = SimClock(store, ClockConfig(start=date(2026, 3, 2)))
    assert clock.today() == date(2026, 3, 2)
    assert clock.advance(5) == date(2026, 3, 7)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)


def test_realtime_clock_runs_at_its_speed_and_resumes_from_the_store(tmp_path) -> None:
    now = [100.0]
    store = Store(tmp_path / "db")
    clock = SimClock(store, ClockConfig(mode="realtime", speed=2.0, start=date(2026, 3, 2)), lambda: now[0])
    now[0] += 3.2
    assert clock.today() == date(2026, 3, 8)
    assert clock.advance(10) == date(2026, 3, 18)
    with store.transaction():
        clock.record(clock.today())
    again = SimClock(store, ClockConfig(mode="realtime", speed=2.0, start=date(2026, 1, 1)), lambda: now[0])
    assert again.today() == date(2026, 3, 18)


def test_serve_refuses_bad_options_with_a_message(tmp_path, capsys) -> None:
    assert main(["serve", "--config", str(tmp_path / "absent.yaml"), "--db", str(tmp_path / "db")]) == 2
    assert "absent.yaml: cannot read" in capsys.readouterr().err
    assert main(["serve", "--port", "70000", "--db", str(tmp_path / "db")]) == 2
    assert "--port 70000" in capsys.readouterr().err
    assert main(["serve", "--host", "not a host", "--db", str(tmp_path / "db")]) == 2
    assert "not an IP address" in capsys.readouterr().err
    assert main(["serve", "--scenario", "no_such_scenario", "--db", str(tmp_path / "db")]) == 2
    assert "no_such_scenario" in capsys.readouterr().err


@pytest.mark.parametrize("missing", ["uvicorn", "fastapi"])
def test_serve_without_the_server_extra_says_what_to_install(tmp_path, capsys, monkeypatch, missing) -> None:
    """Where the server's packages are not installed, serve names the extra instead of a traceback."""
    monkeypatch.setitem(sys.modules, missing, None)
    assert main(["serve", "--db", str(tmp_path / "db")]) == 2
    err = capsys.readouterr().err
    assert "payersim[server]" in err and missing in err
    assert not (tmp_path / "db").exists()


def test_realtime_server_decides_and_pays_in_the_background(tmp_path) -> None:
    import time

    from simulator.samples import sample_claim, sample_coverage
    from simulator.server import FakePayerService, load_config
    from simulator.server.runner import Background

    config = load_config()
    config = config.model_copy(update={"clock": ClockConfig(mode="realtime", speed=200.0)})
    service = FakePayerService(config, str(tmp_path / "db"))
    partner = config.partner("demo")
    (key,) = service.submit_claims(partner, [sample_claim(coverage=sample_coverage(member_id="PSPAID_RT"))])
    background = Background(service, interval=0.05)
    background.start()
    try:
        deadline = time.monotonic() + 10
        while service.claim_view(partner, key)["state"] != "remitted" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        background.stop()
    assert service.claim_view(partner, key)["state"] == "remitted"
    assert [f["kind"] for f in service.mailbox(partner)] == ["277CA", "835"]
    service.close()


def _never_serve(*args, **kwargs) -> None:
    raise AssertionError("the server must not start with options it cannot use")


def test_serve_names_a_port_it_cannot_listen_on(tmp_path, capsys, monkeypatch) -> None:
    """A port another program holds is named before the database is opened."""
    monkeypatch.setattr("uvicorn.Server.run", _never_serve)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port), "--db", str(tmp_path / "server.db")]) == 2
    assert f"--host 127.0.0.1 --port {port}: cannot listen there" in capsys.readouterr().err
    assert not (tmp_path / "server.db").exists()


@pytest.mark.parametrize(
    ("option", "make", "words"),
    [
        ("--db", lambda p: p.mkdir(), "cannot open the SQLite database"),
        ("--db", lambda p: p.write_text("not a database, just notes\n" * 200), "file is not a database"),
        ("--mailbox", lambda p: p.write_text("a file\n"), "not a folder"),
    ],
)
def test_serve_refuses_a_db_or_mailbox_it_cannot_use(
    tmp_path, capsys, monkeypatch, option, make, words
) -> None:
    """A --db that is a folder or not SQLite, or a --mailbox that is a file, is named before serving."""
    monkeypatch.setattr("uvicorn.Server.run", _never_serve)
    target = tmp_path / "given"
    make(target)
    argv = ["serve", "--port", str(free_port()), "--db", str(tmp_path / "server.db"), option, str(target)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{option} {target}: " in err and words in err


def test_serve_refuses_a_db_inside_a_file(tmp_path, capsys, monkeypatch) -> None:
    """A --db whose folder is a file is named, with the reason."""
    monkeypatch.setattr("uvicorn.Server.run", _never_serve)
    (tmp_path / "notes").write_text("x")
    db = tmp_path / "notes" / "server.db"
    assert main(["serve", "--port", str(free_port()), "--db", str(db)]) == 2
    assert f"--db {db}: cannot open the SQLite database" in capsys.readouterr().err


def test_serve_socket_answers_without_nagle_delays() -> None:
    """Connections accepted on the socket ``serve`` binds get TCP_NODELAY from asyncio, as with
    uvicorn's own binding: without it every small answer waited for a delayed ACK (about 40 ms)."""
    import asyncio

    from simulator.commands.serve import _listen

    async def nodelay_of_an_accepted_connection() -> int:
        accepted: asyncio.Future = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        listening = _listen("127.0.0.1", 0)
        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        port = listening.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        value = await asyncio.wait_for(accepted, 10)
        writer.close()
        server.close()
        await server.wait_closed()
        return value

    assert asyncio.run(nodelay_of_an_accepted_connection()) != 0
