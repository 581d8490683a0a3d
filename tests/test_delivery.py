"""The outbox drain: order per channel, pacing, retries, permanent failures, threads."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.backoff import Backoff
from bot.core.delivery import DrainPolicy, Pacer, drain
from bot.core.errors import DeliveryError
from bot.core.models import Alert, AlertKind
from bot.store.sqlite import SQLiteStore
from tests.conftest import FakeClock, make_alert, make_story


@dataclass
class RecordingNotifier:
    """A platform stand-in at the port: records sends, fails on demand."""

    prefix: str = "slack:"
    min_interval: float = 0.0
    failures: list[DeliveryError] = field(default_factory=list)
    sent: list[tuple[str, str | None]] = field(default_factory=list)
    posted: dict[str, str] = field(default_factory=dict)  # what the platform already has

    def handles(self, channel: str) -> bool:
        return channel.startswith(self.prefix)

    def start(self) -> None:
        return None

    def send(self, alert: Alert, thread_ref: str | None) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((alert.id, thread_ref))
        return f"ref-{len(self.sent)}"

    def already_posted(self, alert: Alert, thread_ref: str | None) -> str | None:
        return self.posted.get(alert.id)

    def close(self) -> None:
        return None


def test_alerts_go_out_in_order_per_channel(store: SQLiteStore, clock: FakeClock) -> None:
    notifier = RecordingNotifier()
    alerts = [make_alert(make_story(str(i)), "slack:#a") for i in range(3)]
    store.add_alerts(alerts)
    for _ in range(3):
        drain(store, [notifier], clock, Pacer())
    assert [a for a, _ in notifier.sent] == [a.id for a in alerts]
    assert store.delivery_counts() == {"sent": 3}


def test_pacing_defers_without_counting_an_attempt(store: SQLiteStore, clock: FakeClock) -> None:
    notifier = RecordingNotifier(min_interval=1.0)
    store.add_alerts([make_alert(make_story(str(i)), "slack:#a") for i in range(2)])
    pacer = Pacer()
    first = drain(store, [notifier], clock, pacer)
    assert (first.sent, first.deferred) == (1, 1)
    assert drain(store, [notifier], clock, pacer).sent == 0  # not due before a second passed
    clock.advance(1.0)
    assert drain(store, [notifier], clock, pacer).sent == 1
    assert {d.attempts for d in store.deliveries("sent")} == {1}


def test_retry_after_is_honoured(store: SQLiteStore, clock: FakeClock) -> None:
    notifier = RecordingNotifier(failures=[DeliveryError("rate limited", retry_after=30)])
    store.add_alerts([make_alert(make_story(), "slack:#a")])
    assert drain(store, [notifier], clock, Pacer()).retried == 1
    clock.advance(20)
    assert drain(store, [notifier], clock, Pacer()).sent == 0
    clock.advance(11)
    assert drain(store, [notifier], clock, Pacer()).sent == 1


def test_permanent_failure_is_marked_failed_and_next_alert_flows(
    store: SQLiteStore, clock: FakeClock
) -> None:
    notifier = RecordingNotifier(failures=[DeliveryError("channel_not_found", permanent=True)])
    store.add_alerts([make_alert(make_story(str(i)), "slack:#a") for i in range(2)])
    report = drain(store, [notifier], clock, Pacer())
    assert (report.failed, report.sent) == (1, 1)
    (failed,) = store.deliveries("failed")
    assert failed.last_error == "channel_not_found"


def test_gives_up_after_max_attempts_with_last_error(store: SQLiteStore, clock: FakeClock) -> None:
    errors = [DeliveryError(f"HTTP 500 #{i}") for i in range(3)]
    notifier = RecordingNotifier(failures=errors)
    store.add_alerts([make_alert(make_story(), "slack:#a")])
    policy = DrainPolicy(max_attempts=3, backoff=Backoff(base=1, maximum=4))
    for _ in range(3):
        drain(store, [notifier], clock, Pacer(), policy)
        clock.advance(10)
    (failed,) = store.deliveries("failed")
    assert failed.attempts == 3
    assert failed.last_error == "HTTP 500 #2"
    assert notifier.sent == []


def test_a_crashing_notifier_is_retried_not_fatal(store: SQLiteStore, clock: FakeClock) -> None:
    class Broken(RecordingNotifier):
        def send(self, alert: Alert, thread_ref: str | None) -> str:
            raise RuntimeError("bug")

    store.add_alerts([make_alert(make_story(), "slack:#a")])
    assert drain(store, [Broken()], clock, Pacer()).retried == 1


def test_channel_without_notifier_fails_visibly(store: SQLiteStore, clock: FakeClock) -> None:
    store.add_alerts([make_alert(make_story(), "matrix:!room")])
    drain(store, [RecordingNotifier()], clock, Pacer())
    (failed,) = store.deliveries("failed")
    assert "no notifier" in (failed.last_error or "")


def test_update_is_sent_in_the_parents_thread(store: SQLiteStore, clock: FakeClock) -> None:
    notifier = RecordingNotifier()
    story = make_story()
    parent = make_alert(story, "slack:#a")
    update = make_alert(story, "slack:#a", version=2, kind=AlertKind.UPDATE, note="Update: x")
    store.add_alerts([parent, update])
    drain(store, [notifier], clock, Pacer())
    drain(store, [notifier], clock, Pacer())
    assert notifier.sent == [(parent.id, None), (update.id, "ref-1")]


def test_a_send_interrupted_by_a_crash_is_not_posted_twice(
    store: SQLiteStore, clock: FakeClock
) -> None:
    alert = make_alert(make_story(), "slack:#a")
    store.add_alerts([alert])
    # A worker claimed it, the platform accepted the message, then the process died
    # before recording it: the lease is left behind.
    (claimed,) = store.claim_deliveries(clock.now(), 10, lease=60)
    assert not claimed.resumed
    notifier = RecordingNotifier(posted={alert.id: "1700000000.000200"})
    clock.advance(61)
    assert drain(store, [notifier], clock, Pacer()).sent == 1
    assert notifier.sent == []
    (sent,) = store.deliveries("sent")
    assert sent.remote_ref == "1700000000.000200"


def test_a_burst_to_one_channel_drains_in_one_call(store: SQLiteStore, clock: FakeClock) -> None:
    notifier = RecordingNotifier()
    store.add_alerts([make_alert(make_story(str(i)), "slack:#a") for i in range(5)])
    assert drain(store, [notifier], clock, Pacer()).sent == 5


def test_released_leases_come_back_as_resumed(store: SQLiteStore, clock: FakeClock) -> None:
    store.add_alerts([make_alert(make_story(), "slack:#a")])
    store.claim_deliveries(clock.now(), 10, lease=60)  # the process dies holding it
    assert store.claim_deliveries(clock.now(), 10, lease=60) == []
    assert store.release_leases(clock.now()) == 1
    (again,) = store.claim_deliveries(clock.now(), 10, lease=60)
    assert again.resumed
