"""Tests for the run's garbage-collector settings: no automatic full collections, restored after."""

from __future__ import annotations

import gc

import pytest

from simulator.engine.collector import young_collections_only


def test_oldest_generation_is_left_alone_inside_and_restored_after():
    """The young thresholds stay, the oldest one is out of reach, and all come back afterwards."""
    before = gc.get_threshold()
    with young_collections_only():
        inside = gc.get_threshold()
        assert inside[:2] == before[:2]
        assert inside[2] > 1_000_000
    assert gc.get_threshold() == before


def test_thresholds_come_back_after_an_error():
    """An exception inside the block still restores the previous thresholds."""
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), young_collections_only():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before


def test_young_cycles_are_still_freed():
    """A reference cycle made inside the block is collected by the young generations."""

    class Node:
        pass

    with young_collections_only():
        gc.collect()
        node = Node()
        node.self = node
        del node
        assert gc.collect(1) >= 1
