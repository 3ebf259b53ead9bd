"""The default encoder backend follows the CPU: int8 where it has VNNI, fp32 ONNX elsewhere."""

import pytest

import index.cpu
from service.settings import Settings
from index.cpu import default_encoder_backend

# Abridged /proc/cpuinfo texts of real CPU kinds (first processor; the flags lines as the kernel writes them).
ICE_LAKE_SERVER = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_vnni avx512_bitalg
bugs\t\t: spectre_v1 spectre_v2
"""
ALDER_LAKE = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: 12th Gen Intel(R) Core(TM) i7-1260P
flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx_vnni serialize
"""
EPYC_ZEN2 = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B12
flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 sha_ni clzero
"""
# AVX-512 without VNNI (Skylake-SP), and names that only look like the flag.
SKYLAKE_SERVER = """processor\t: 0
model name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz
flags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi
"""
ARM = """processor\t: 0
BogoMIPS\t: 50.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics asimddp
CPU implementer\t: 0x41
"""


@pytest.mark.parametrize("cpuinfo, expected", [
    (ICE_LAKE_SERVER, "onnx-int8"),
    (ALDER_LAKE, "onnx-int8"),
    (EPYC_ZEN2, "onnx"),
    (SKYLAKE_SERVER, "onnx"),
    (ARM, "onnx"),
    ("", "onnx"),
], ids=["avx512_vnni", "avx_vnni", "avx2-only", "avx512-without-vnni", "arm", "empty"])
def test_int8_only_where_the_cpu_has_vnni(cpuinfo, expected):
    assert default_encoder_backend(cpuinfo) == expected


def test_reads_proc_cpuinfo_and_falls_back_to_fp32_without_it(tmp_path, monkeypatch):
    fake = tmp_path / "cpuinfo"
    fake.write_text(ALDER_LAKE)
    monkeypatch.setattr(index.cpu, "CPUINFO", fake)
    assert default_encoder_backend() == "onnx-int8"
    fake.write_text(EPYC_ZEN2)
    assert default_encoder_backend() == "onnx"
    monkeypatch.setattr(index.cpu, "CPUINFO", tmp_path / "missing")
    assert default_encoder_backend() == "onnx"


@pytest.mark.parametrize("cpuinfo, cpu_says", [(ALDER_LAKE, "onnx-int8"), (EPYC_ZEN2, "onnx")])
def test_settings_take_the_cpus_backend_unless_one_is_set(tmp_path, monkeypatch, cpuinfo, cpu_says):
    fake = tmp_path / "cpuinfo"
    fake.write_text(cpuinfo)
    monkeypatch.setattr(index.cpu, "CPUINFO", fake)
    assert Settings.from_env().encoder_backend == cpu_says
    monkeypatch.setenv("AHADI_ENCODER_BACKEND", "auto")
    assert Settings.from_env().encoder_backend == cpu_says
    for explicit in ("torch", "onnx", "onnx-int8"):
        monkeypatch.setenv("AHADI_ENCODER_BACKEND", explicit)
        assert Settings.from_env().encoder_backend == explicit
    assert Settings.from_env(encoder_backend="torch").encoder_backend == "torch"
