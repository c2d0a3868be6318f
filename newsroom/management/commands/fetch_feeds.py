"""Poll feed sources: the due ones (default), named ones, or all; once or in a loop.

Several copies may run at once (cron overlapping a worker, two workers): due sources are
claimed first, so each is fetched by one worker, and storing locks the source, so even two
fetches of the same source never create the same post twice.

SIGTERM or Ctrl+C stops it cleanly (newsroom.worker.Shutdown): no more sources are claimed,
the fetch under way may finish within INGEST_STOP_GRACE seconds, else it is given up without
counting as the feed's failure. A second signal stops it at once, the same way.
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.models import Q
from django.utils import timezone

from cxhub.availability import DATABASE_ERRORS
from newsroom.models import FeedSource
from newsroom.pipeline import Outcome, claim_due, give_up, ingest, release_claims, retrying
from newsroom.worker import Heartbeat, Outage, Shutdown, close_old_connections, sign_off


class Command(BaseCommand):
    help = "Fetch external feeds and turn new entries into posts (drafts for review)."

    def add_arguments(self, parser):
        parser.add_argument(
            "sources", nargs="*", help="Names, ids or feed URLs of sources to fetch now."
        )
        parser.add_argument("--all", action="store_true", help="Fetch every active source.")
        parser.add_argument(
            "--loop", action="store_true", help="Keep polling due sources until stopped."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=60,
            help="With --loop: the longest pause between rounds, in seconds (default 60).",
        )
        parser.add_argument(
            "--cycles",
            type=int,
            default=0,
            help="With --loop: stop after this many rounds (counting attempts while the "
            "database is away).",
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="Sources fetched side by side (default 1)."
        )

    def handle(self, *args, sources, all, loop, interval, cycles, workers, **options):
        if workers < 1:
            raise CommandError("--workers must be 1 or more.")
        if loop and (sources or all):
            raise CommandError("--loop polls the due sources; it takes no names and no --all.")
        self.workers = workers
        self.verbosity = options["verbosity"]
        self.heartbeat = Heartbeat(interval=interval) if loop else None
        with Shutdown(grace=settings.INGEST_STOP_GRACE, say=self.stdout.write) as self.shutdown:
            if loop:
                self.loop(interval=interval, cycles=cycles)
            elif sources or all:
                chosen = retrying(self.named, sources) if sources else retrying(_active_sources)
                self.summarise(self.run_batch(chosen))
            else:
                self.summarise(self.run_due())
            if self.stopping() and not loop:
                self.stdout.write(
                    "Stopped on request; sources not fetched yet are fetched next time."
                )

    def stopping(self) -> bool:
        return self.shutdown.requested.is_set()

    def named(self, labels: list[str]) -> list[FeedSource]:
        found, missing = [], []
        for label in labels:
            match = Q(name__iexact=label) | Q(feed_url=label)
            if label.isdigit():
                match |= Q(pk=int(label))
            source = FeedSource.objects.filter(match).first()
            (found.append(source) if source else missing.append(label))
        if missing:
            known = ", ".join(FeedSource.objects.values_list("name", flat=True)[:20]) or "none yet"
            raise CommandError(
                f"No feed source called {', '.join(repr(m) for m in missing)}. "
                f"Known sources: {known}. "
                "Add sources in the admin or with `manage.py opml import FILE`."
            )
        return list({s.pk: s for s in found}.values())

    def run_due(self) -> list[Outcome]:
        outcomes = []
        while not self.stopping() and (batch := claim_due(limit=max(10, self.workers * 2))):
            outcomes += self.run_batch(batch, first=len(outcomes))
        if not outcomes and self.verbosity:
            self.stdout.write("No source is due.")
        return outcomes

    def run_batch(self, sources: list[FeedSource], first: int = 0) -> list[Outcome]:
        outcomes = []
        total = first + len(sources)
        stopping = self.shutdown.requested
        if self.workers == 1:
            for n, source in enumerate(sources):
                if self.stopping():
                    give_up(sources[n:])
                    break
                outcomes.append(ingest(source, stopping=stopping))
                self.progress(outcomes[-1], first + len(outcomes), total)
            return outcomes
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(_ingest_in_thread, source, stopping) for source in sources]
            for future in as_completed(futures):
                outcomes.append(future.result())
                self.progress(outcomes[-1], first + len(outcomes), total)
        return outcomes

    def progress(self, outcome: Outcome, n: int, total: int) -> None:
        if self.heartbeat:
            self.heartbeat.busy()
        if not self.verbosity:
            return
        line = f"[{n}/{total}] {outcome.source.name}: {outcome}"
        if outcome.failed:
            self.stdout.write(self.style.ERROR(line))
        else:
            self.stdout.write(line + (f" (note: {outcome.note})" if outcome.note else ""))

    def summarise(self, outcomes: list[Outcome]) -> None:
        outcomes = [o for o in outcomes if o.status != "not fetched"]
        if not outcomes:
            return
        failed = [o for o in outcomes if o.failed]
        new = sum(o.stored.new for o in outcomes)
        unchanged = sum(1 for o in outcomes if o.status in ("unchanged", "not modified"))
        self.stdout.write(
            f"Fetched {len(outcomes)} source{'s' if len(outcomes) != 1 else ''}: "
            f"{new} new post{'s' if new != 1 else ''}, "
            f"{sum(1 for o in outcomes if o.status == 'new')} with news, "
            f"{unchanged} unchanged, {len(failed)} failed."
        )
        if failed:
            self.stdout.write(
                self.style.WARNING(
                    "Failed sources are retried later with a growing pause; see their last "
                    "error in the admin: " + ", ".join(o.source.name for o in failed)
                )
            )

    def loop(self, *, interval: float, cycles: int) -> None:
        self.stdout.write(f"Polling due sources every {interval:g} s at most; Ctrl+C stops.")
        outage = Outage(
            say=self.stdout.write, warn=lambda line: self.stdout.write(self.style.WARNING(line))
        )
        rounds = 0
        while not self.stopping():
            try:
                pause = self.round(interval, outage, first=rounds == 0)
            except DATABASE_ERRORS as error:
                # The worker outlives the database: it waits, then tries again.
                pause = outage.failed(error)
            rounds += 1
            if cycles and rounds >= cycles:
                break
            self.shutdown.requested.wait(pause)
        with contextlib.suppress(*DATABASE_ERRORS):
            sign_off()
        self.stdout.write(
            f"Stopped{' on request' if self.stopping() else ''} after {rounds} "
            f"round{'s' if rounds != 1 else ''}."
        )

    def round(self, interval: float, outage: Outage, *, first: bool) -> float:
        """Fetch the due sources; returns how long to wait before the next round."""
        close_old_connections()
        if first or outage.ongoing:
            # Nobody fetches the sources claimed under this worker's name: the round an outage
            # cut short claimed them, or an earlier process with the same host and pid did (a
            # restarted container). They are due again at once.
            retrying(release_claims)
        outage.over()
        self.heartbeat.busy()
        self.summarise(self.run_due())
        pause = retrying(self.pause, interval)
        self.heartbeat.pausing(pause)
        return pause

    def pause(self, interval: float) -> float:
        """Until the next source is due, but at most `interval` seconds."""
        upcoming = (
            FeedSource.objects.filter(active=True, next_check_at__isnull=False)
            .order_by("next_check_at")
            .values_list("next_check_at", flat=True)
            .first()
        )
        if upcoming is None:
            return interval
        wait = (upcoming - timezone.now()) / timedelta(seconds=1)
        return min(max(wait, 0.05), interval)


def _active_sources() -> list[FeedSource]:
    return list(FeedSource.objects.filter(active=True))


def _ingest_in_thread(source: FeedSource, stopping: threading.Event) -> Outcome:
    try:
        if stopping.is_set():
            give_up([source])
            return Outcome(source=source, status="not fetched")
        return ingest(source, stopping=stopping)
    finally:
        connections.close_all()  # each thread has its own connections; do not leak them
