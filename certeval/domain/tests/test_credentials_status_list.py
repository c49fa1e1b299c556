"""Property tests of the W3C Bitstring Status List encoding."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certeval.domain.credentials import status_list

SIZES = st.sampled_from([status_list.MIN_BITS, 2 * status_list.MIN_BITS])


@settings(max_examples=40, deadline=None)
@given(size=SIZES, data=st.data())
def test_encode_decode_round_trip(size: int, data: st.DataObject) -> None:
    indexes = data.draw(st.sets(st.integers(0, size - 1), max_size=50))
    encoded = status_list.encode(indexes, size)
    assert encoded.startswith("u") and "=" not in encoded
    bits = status_list.decode(encoded)
    assert len(bits) * 8 == size
    assert status_list.set_indexes(bits) == indexes
    probe = data.draw(st.integers(0, size - 1))
    assert status_list.is_set(bits, probe) == (probe in indexes)
    assert status_list.encode(indexes, size) == encoded  # deterministic (GZIP mtime 0)


def test_bit_order_is_most_significant_first() -> None:
    bits = status_list.decode(status_list.encode([0, 9]))
    assert bits[0] == 0x80 and bits[1] == 0x40


def test_bad_lists_are_refused() -> None:
    with pytest.raises(ValueError):
        status_list.encode([], 1024)
    with pytest.raises(ValueError):
        status_list.encode([status_list.MIN_BITS])
    for bad in ("zabc", "u!!!", "u" + "A" * 20):
        with pytest.raises(status_list.StatusListError):
            status_list.decode(bad)
    import base64

    short = "u" + base64.urlsafe_b64encode(gzip.compress(b"\x00" * 16)).decode().rstrip("=")
    with pytest.raises(status_list.StatusListError, match="shorter"):
        status_list.decode(short)
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(b"\x00" * (status_list.MAX_BITS // 8 + 10))).decode()
    with pytest.raises(status_list.StatusListError, match="too large"):
        status_list.decode(bomb.rstrip("="))
