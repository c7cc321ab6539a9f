import datetime as dt

from ponleu.operations.retention import to_keep


def _nightly(days: int, start=dt.datetime(2027, 1, 1, 2, 0, tzinfo=dt.UTC)):
    return [start + dt.timedelta(days=i) for i in range(days)]


def test_keeps_the_last_days_weeks_and_months_and_nothing_else():
    taken = _nightly(400)
    keep = to_keep(taken, daily=7, weekly=5, monthly=12)
    newest = taken[-1]
    assert set(taken[-7:]) <= keep
    weeks = {t.isocalendar()[:2] for t in keep}
    months = {(t.year, t.month) for t in keep}
    assert len(months) == 12
    assert len(keep) < 7 + 5 + 12
    assert newest in keep
    assert taken[0] not in keep
    # the newest backup of each kept month, not the first
    assert dt.datetime(2027, 12, 31, 2, 0, tzinfo=dt.UTC) in keep
    assert dt.datetime(2027, 12, 1, 2, 0, tzinfo=dt.UTC) not in keep
    assert len(weeks) >= 5


def test_several_backups_a_day_keep_the_newest_of_the_day():
    day = dt.datetime(2027, 3, 1, 1, 0, tzinfo=dt.UTC)
    taken = [day, day + dt.timedelta(hours=6), day + dt.timedelta(hours=12)]
    assert to_keep(taken, daily=7, weekly=0, monthly=0) == {taken[-1]}


def test_the_newest_is_kept_even_with_no_retention():
    taken = _nightly(3)
    assert to_keep(taken, daily=0, weekly=0, monthly=0) == {taken[-1]}
