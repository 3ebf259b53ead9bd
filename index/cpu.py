"""The encoder backend this CPU should run by default.

Dynamic int8 pays where the CPU has a fused int8 dot product (VNNI: `avx512_vnni` on AVX-512
CPUs, `avx_vnni` on AVX2 ones): about twice as fast for a small loss. Without VNNI, ONNX
Runtime's int8 matrix products sum in 16 bits, and on an AVX2-only CPU int8 ran 1.6 times as
fast as fp32 but ranked worse on every dev set tried: lower MRR on all six real-page pools and
all three genre parts, lower NTREX nDCG@10 (BENCHMARKS.md, "Session 10: the encoder on a CPU
without VNNI"). Answers come before speed, so int8 where VNNI is, fp32 ONNX elsewhere (and where
the flags cannot be read: other systems, ARM).
"""

from __future__ import annotations

from pathlib import Path

VNNI_FLAGS = frozenset({"avx512_vnni", "avx_vnni"})
CPUINFO = Path("/proc/cpuinfo")


def default_encoder_backend(cpuinfo: str | None = None) -> str:
    """`onnx-int8` when the CPU's flags (from `cpuinfo`, the text of /proc/cpuinfo, read when
    None) include VNNI, else `onnx`."""
    if cpuinfo is None:
        try:
            cpuinfo = CPUINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "onnx"
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            return "onnx-int8" if VNNI_FLAGS & set(value.split()) else "onnx"
    return "onnx"
