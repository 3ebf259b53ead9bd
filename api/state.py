"""What the routes share: the `Ahadi` facade (once loaded), readiness and the metrics."""

from __future__ import annotations

import gc
import logging
import threading

from api.errors import ApiError
from api.ingestion import Uploads
from api.metrics import Metrics
from service.access import ALL_DOCUMENTS
from service.facade import Ahadi
from service.settings import Settings

log = logging.getLogger("api")


class AppState:
    """The facade is built (model loaded, store opened) in a background thread at start, so
    `/v1/health` answers at once while `/v1/ready` and every data route answer 503 until it is."""

    def __init__(self, settings: Settings, ahadi: Ahadi | None):
        self.settings = settings
        self.ahadi: Ahadi | None = None
        self._given = ahadi
        self.owns_ahadi = ahadi is None
        self.ready = False
        self.load_error: str | None = None
        self.uploads: Uploads | None = None
        self.metrics: Metrics | None = None
        self._loader: threading.Thread | None = None

    def load(self) -> None:
        """Build the `Ahadi` (model + store); runs in a background thread at start."""
        try:
            ahadi = self._given
            if ahadi is None:
                ahadi = Ahadi(self.settings)
                ahadi.warm_up()
                _settle_heap()
            self.ahadi = ahadi
            self.uploads = Uploads(ahadi, self.settings.layout.inbox)
            self.ready = True
            log.info("ready: model loaded, store open")
        except Exception as error:  # noqa: BLE001 - reported by /v1/ready and every data route
            self.load_error = f"{type(error).__name__}: {error}"
            log.exception("could not load the model or open the store")

    def start(self) -> None:
        Uploads.clean_inbox(self.settings.layout.inbox)
        if self._given is not None:
            self.load()
            return
        self._loader = threading.Thread(target=self.load, name="ahadi-load", daemon=True)
        self._loader.start()

    def stop(self) -> None:
        if self._loader is not None:
            self._loader.join()
        self.ready = False
        if self.owns_ahadi and self.ahadi is not None:
            try:
                self.ahadi.close()  # waits for a write in progress
            except Exception:  # noqa: BLE001 - shutting down: report, do not mask the exit
                log.exception("closing the store failed")
            self.ahadi = None

    def require(self) -> Ahadi:
        if self.ready and self.ahadi is not None:
            return self.ahadi
        if self.load_error:
            raise ApiError(503, "not_ready", f"the service could not start: {self.load_error}", headers={"Retry-After": "30"})
        raise ApiError(503, "not_ready", "the model is still loading; retry shortly", headers={"Retry-After": "5"})

    def counts(self) -> tuple[int, int] | None:
        if not self.ready or self.ahadi is None:
            return None
        return self.ahadi.store.count_documents(ALL_DOCUMENTS), self.ahadi.store.count_chunks(ALL_DOCUMENTS)


def _settle_heap() -> None:
    """Take everything loaded so far (the model, the store, langdetect's profiles) out of the
    garbage collector's full passes: it lives as long as the process, and scanning it held the
    GIL while requests waited (`python -m benchmarks.gc_pauses`; BENCHMARKS.md section 3)."""
    gc.collect()
    gc.freeze()
