/*
 * A test-only stand-in for Windows' bcryptprimitives.dll, for running mend's Windows
 * build under Wine 8 (Debian 12), which lacks it. Rust's standard library asks it for
 * random bytes (ProcessPrng); this answers from RtlGenRandom, which Wine has. It is
 * built and put on WINEPATH by .ci/run only, and never ships: real Windows has the
 * genuine DLL.
 */
#include <windows.h>

/* RtlGenRandom, exported by advapi32 as SystemFunction036. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
