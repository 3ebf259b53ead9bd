"""The encoder backend this CPU should run by default.

Dynamic int8 only pays where the CPU has a fused int8 dot product (VNNI: `avx512_vnni` on
AVX-512 CPUs, `avx_vnni` on AVX2 ones): without it ONNX Runtime's int8 matrix products were no
faster than fp32 (BENCHMARKS.md), and int8 vectors drift slightly from the fp32 ones. So int8
where VNNI is, fp32 ONNX elsewhere (and where the flags cannot be read: other systems, ARM).
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
