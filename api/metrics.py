"""Prometheus metrics of one app: requests per route and status, latency, ingestion, index size.

Each app has its own registry (several apps may live in one process, e.g. in tests).
"""

from __future__ import annotations

from typing import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _IndexCollector:
    """Documents and chunks in the index, counted when scraped (cheap: exact counts on payload indexes)."""

    def __init__(self, counts: Callable[[], tuple[int, int] | None]):
        self.counts = counts

    def collect(self):
        documents = GaugeMetricFamily("ahadi_documents", "Documents in the index.")
        chunks = GaugeMetricFamily("ahadi_chunks", "Searchable passages (chunks) in the index.")
        try:
            found = self.counts()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the store is busy or closed
            found = None
        if found is not None:
            documents.add_metric([], found[0])
            chunks.add_metric([], found[1])
        yield documents
        yield chunks

    def describe(self):
        return []


class Metrics:
    def __init__(self, counts: Callable[[], tuple[int, int] | None], ready: Callable[[], bool]):
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "ahadi_http_requests", "HTTP requests by method, route template and status.",
            ["method", "route", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "ahadi_http_request_duration_seconds", "HTTP request latency by method and route template.",
            ["method", "route"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
        )
        self.in_progress = Gauge("ahadi_http_requests_in_progress", "Requests being served.", registry=self.registry)
        self.ingested = Counter(
            "ahadi_ingested_documents", "Documents sent to ingestion through the API, by outcome.",
            ["outcome"], registry=self.registry,
        )
        self.audit_failures = Counter(
            "ahadi_audit_failures", "Requests refused (503) because their audit line could not be written.", registry=self.registry,
        )
        self.ready = Gauge("ahadi_ready", "1 when the model is loaded and the store open.", registry=self.registry)
        self.ready.set_function(lambda: 1.0 if ready() else 0.0)
        self.registry.register(_IndexCollector(counts))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def count_ingestion(self, report: dict) -> None:
        for outcome in ("written", "unchanged", "skipped"):
            if report.get(outcome):
                self.ingested.labels(outcome).inc(len(report[outcome]))

    def render(self) -> bytes:
        return generate_latest(self.registry)
