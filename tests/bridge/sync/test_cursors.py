"""The watermark rules on plain data (no Django, no I/O): dirty, checkpointed and promoted states."""

from datetime import UTC, datetime, timedelta

import pytest

from intacct_bridge.sync.cursors import (
    CursorOrderError,
    Position,
    RunCursor,
    format_timestamp,
    local_now,
    parse_timestamp,
    to_utc,
)

LA = "America/Los_Angeles"
# 18:00 UTC on 2026-01-15 is 10:00 in Los Angeles (PST, UTC-8)
NOW = datetime(2026, 1, 15, 18, 0, 0, tzinfo=UTC)


def ts(text: str) -> datetime:
    value = parse_timestamp(text)
    assert value is not None
    return value


def test_it_parses_and_formats_intacct_timestamps() -> None:
    assert parse_timestamp("01/15/2026 09:30:05") == datetime(2026, 1, 15, 9, 30, 5)
    assert parse_timestamp("") is None
    assert parse_timestamp(None) is None
    assert format_timestamp(datetime(2026, 1, 5, 7, 8, 9)) == "01/05/2026 07:08:09"
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")


def test_it_reads_now_in_the_web_services_users_timezone() -> None:
    assert local_now(NOW, LA) == datetime(2026, 1, 15, 10, 0, 0)
    assert to_utc(datetime(2026, 1, 15, 10, 0, 0), LA) == NOW
    with pytest.raises(ValueError):
        local_now(datetime(2026, 1, 1), LA)


def test_it_freezes_the_signpost_at_start_minus_overlap() -> None:
    cursor = RunCursor.start(None, NOW, LA, overlap=timedelta(minutes=5))
    assert cursor.signpost == datetime(2026, 1, 15, 9, 55, 0)
    assert cursor.since is None


def test_it_promotes_the_furthest_record_seen() -> None:
    stored = Position(ts("01/14/2026 08:00:00"), 7)
    cursor = RunCursor.start(stored, NOW, LA)
    assert cursor.since == stored.modified
    cursor.finish_null_pass()
    cursor.observe(ts("01/14/2026 08:00:00"), 7)
    cursor.observe(ts("01/15/2026 09:00:00"), 3)
    cursor.observe(ts("01/15/2026 09:00:00"), 12)
    assert cursor.promote() == Position(ts("01/15/2026 09:00:00"), 12)


def test_it_never_promotes_past_the_signpost() -> None:
    cursor = RunCursor.start(None, NOW, LA, overlap=timedelta(minutes=5))
    cursor.finish_null_pass()
    cursor.observe(ts("01/15/2026 09:58:00"), 1)  # inside the overlap window: read again next time
    assert cursor.promote() == Position(datetime(2026, 1, 15, 9, 55, 0), 0)


def test_it_keeps_the_stored_position_when_nothing_changed() -> None:
    stored = Position(ts("01/14/2026 08:00:00"), 7)
    cursor = RunCursor.start(stored, NOW, LA)
    cursor.finish_null_pass()
    assert cursor.promote() == stored


def test_it_never_moves_backwards() -> None:
    stored = Position(ts("01/15/2026 09:00:00"), 50)
    cursor = RunCursor.start(stored, NOW, LA)
    cursor.finish_null_pass()
    cursor.observe_created(ts("01/10/2026 09:00:00"), 2)
    assert cursor.promote() == stored


def test_it_refuses_records_out_of_order() -> None:
    cursor = RunCursor.start(None, NOW, LA)
    cursor.observe(ts("01/15/2026 09:00:00"), 5)
    with pytest.raises(CursorOrderError):
        cursor.observe(ts("01/15/2026 08:00:00"), 9)
    with pytest.raises(CursorOrderError):
        cursor.observe(ts("01/15/2026 09:00:00"), 4)


def test_empty_whenmodified_does_not_move_the_main_position() -> None:
    cursor = RunCursor.start(None, NOW, LA)
    cursor.finish_null_pass()
    cursor.observe(None, 99)
    assert cursor.promote() is None


def test_the_created_pass_counts_when_the_run_commits() -> None:
    cursor = RunCursor.start(None, NOW, LA)
    cursor.observe_created(ts("01/15/2026 07:00:00"), 4)
    cursor.finish_null_pass()
    cursor.observe(ts("01/15/2026 06:00:00"), 1)
    assert cursor.promote() == Position(ts("01/15/2026 07:00:00"), 4)


def test_an_interrupted_run_keeps_the_stored_position_during_the_created_pass() -> None:
    stored = Position(ts("01/14/2026 08:00:00"), 7)
    cursor = RunCursor.start(stored, NOW, LA)
    cursor.observe_created(ts("01/15/2026 07:00:00"), 4)
    assert cursor.checkpoint() == stored


def test_an_interrupted_run_saves_sorted_main_progress_only() -> None:
    stored = Position(ts("01/14/2026 08:00:00"), 7)
    cursor = RunCursor.start(stored, NOW, LA)
    cursor.observe_created(ts("01/15/2026 09:30:00"), 4)
    cursor.finish_null_pass()
    cursor.observe(ts("01/15/2026 06:00:00"), 1)
    # the created pass reached 09:30, but only the main pass's sorted progress is safe to resume from
    assert cursor.checkpoint() == Position(ts("01/15/2026 06:00:00"), 1)


@pytest.mark.parametrize(
    "state",
    [None, {}, {"modified": "", "recordno": 3}],
)
def test_cleared_states_load_as_no_position(state: dict[str, object] | None) -> None:
    assert Position.from_dict(state) is None


def test_positions_round_trip_through_plain_dicts() -> None:
    position = Position(ts("01/15/2026 09:00:00"), 12)
    assert position.to_dict() == {"modified": "01/15/2026 09:00:00", "recordno": 12}
    assert Position.from_dict(position.to_dict()) == position
