"""The language and text kernel: language codes, aliases and families, language detection, and the
text analysis BM25 and highlighting share. It imports nothing else of Ahadi.

It is also the one place that turns Haystack's telemetry off: `ingest` and `index` import this
package before any of their modules imports Haystack, whose telemetry would otherwise resolve a
remote host at import time (Ahadi runs offline). A value already set in the environment wins.
"""

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
