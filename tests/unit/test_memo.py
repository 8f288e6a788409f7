"""The kept results (core.memo.Recent): the newest by key, errors not kept."""

from __future__ import annotations

import pytest

from kustannukset.core.memo import Recent


def test_the_newest_are_kept_and_a_use_counts_as_new():
    recent = Recent(2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1  # a is now the newest
    recent.put("c", 3)  # b, the oldest, goes
    assert "b" not in recent and recent.get("a") == 1 and recent.get("c") == 3
    assert len(recent) == 2 and recent.get("b") is None


def test_remember_makes_once_and_does_not_keep_an_error():
    recent = Recent(4)
    calls = []

    def make():
        calls.append(1)
        return len(calls)

    assert recent.remember("k", make) == 1
    assert recent.remember("k", make) == 1 and len(calls) == 1

    def fails():
        calls.append(1)
        raise ValueError("virhe")

    for _ in range(2):
        with pytest.raises(ValueError):
            recent.remember("x", fails)
    assert len(calls) == 3 and "x" not in recent
