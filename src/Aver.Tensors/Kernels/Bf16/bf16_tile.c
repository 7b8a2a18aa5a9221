/*
 * Aver's bf16 micro-kernel (issue 18, item 3): one 16 x 16 tile of C += A B with bf16 inputs and fp32 sums, by
 * AVX512_BF16's VDPBF16PS (each lane adds the products of one pair of bf16 values into an fp32 sum).
 * .NET has no intrinsics for AVX512_BF16, so this function is compiled once by make-blob.sh into position-independent
 * machine code (no calls, no relocations, no data) that Bf16TileCode.cs carries as bytes and ExecutableCode maps.
 *
 *   a: 16 rows, packed by pairs of k:   a[p * 32 + i * 2 + t] = A[i, 2p + t]   (t = 0, 1; zero past the end)
 *   b: 16 columns, packed by pairs:     b[p * 32 + j * 2 + t] = B[2p + t, j]
 *   c: 16 x 16 fp32, row stride ldc floats; read, added to, written back.
 */
#include <immintrin.h>

void aver_bf16_tile(const unsigned short *a, const unsigned short *b, float *c, long pairs, long ldc)
{
    __m512 acc[16];
    for (int i = 0; i < 16; i++) acc[i] = _mm512_loadu_ps(c + i * ldc);
    for (long p = 0; p < pairs; p++) {
        __m512bh bv = (__m512bh)_mm512_loadu_si512((const void *)(b + p * 32));
        const unsigned int *ap = (const unsigned int *)(a + p * 32);
        for (int i = 0; i < 16; i++)
            acc[i] = _mm512_dpbf16_ps(acc[i], (__m512bh)_mm512_set1_epi32((int)ap[i]), bv);
    }
    for (int i = 0; i < 16; i++) _mm512_storeu_ps(c + i * ldc, acc[i]);
}
