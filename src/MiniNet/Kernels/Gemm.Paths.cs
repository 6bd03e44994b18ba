namespace MiniNet;

/// <content>Where the unpacked tile paths (dot tiles, broadcast tiles) take over from the packed kernel, as measured.</content>
internal static partial class Gemm
{
    /// <summary>
    /// Up to this many rows per thread x W^T runs as unpacked dot tiles (<see cref="GemmDotTiles"/>) instead of paying
    /// for a transposing pack of W; several threads take a block of rows each. Earlier (4 × 4 tiles, 1 thread, load
    /// ~15) [m, 784] x [100, 784]^T measured m = 4 3.7 vs 11 µs packed, 10 11 vs 17, 32 29 vs 30. Once the tiles summed
    /// four results at a time, [m, 784] x [100, 784]^T measured, 1 thread, Zen 5, best of
    /// 300-500 (load 4-9), dot tiles vs packed: m = 48 38-40 vs 41-42 µs, 64 50-51 vs 52-54, 96 76 vs 76-77,
    /// 128 89-91 vs 101-103, 192 164-170 vs 150 (A and W no longer fit in L2 together). See also
    /// <see cref="DotTilesRowsRagged"/>.
    /// </summary>
    internal const int DotTilesRowsPerThread = 128;

    /// <summary>
    /// Rows per thread up to which x W^T runs as dot tiles when the packed kernel's 32-column panels would leave a
    /// fifth or more of their FMAs unused (n = 100 takes 4 panels, 128 columns). With the 6 × 4 tiles, 2026-12-03,
    /// 1 thread, best of 60 interleaved (load 5-7), us dot vs packed: [256, 784] x [n, 784]^T n = 50 93 vs 128, 100
    /// 180 vs 203, but 64 139 vs 129, 112 241 vs 217, 128 228 vs 221, 256 494 vs 431; [192, 784] x [100, 784]^T 132
    /// vs 153; 256³ 151 vs 137. So B = 512 on 2 threads runs the 784-100 forward as two 256-row dot-tile parts:
    /// [512, 784] x [100, 784]^T on 2 threads 216-221 vs 241-248 packed (load 1.1-1.2).
    /// </summary>
    internal const int DotTilesRowsRagged = 256;

    /// <summary>
    /// Up to this many rows an untransposed B runs as broadcast tiles (<see cref="GemmBroadcastTiles"/>) on one thread,
    /// A and B read in place. Measured 2026-12-03, Zen 5, 1 thread, best of 7 (load 2.3-3.8), us broadcast vs packed:
    /// the second layer's [10, B]^T [B, 100] B = 32 0.36 vs 1.46, 128 1.16 vs 5.4, 512 4.8 vs 22; [B, 10] x [10, 100]
    /// 128 1.35 vs 2.4, 512 5.3 vs 9.2; [100, 32]^T [32, 784] 21.4-22.7 vs 22.7-23.0; 64³ 2.2 vs 2.4; 192³ 58 vs 65;
    /// [16, 288] x [288, 784] 32 vs 32; [150, 784]^T [784, 100] 111 vs 135; [128, 100] x [100, 784] 84-86 vs 84.
    /// </summary>
    internal const int BroadcastRows = DirectBRows;

    /// <summary>Most elements of an untransposed B that broadcast tiles stream once per group of 6 rows of any m.</summary>
    internal const long BroadcastMaxB = 1 << 14;

    /// <summary>
    /// Most elements of A and of B for broadcast tiles up to <see cref="BroadcastRows"/>: they have no cache blocking,
    /// so all of A is read again for each 64-column strip of B, and each strip (k × 64) once per row group. Measured
    /// (same runs as <see cref="BroadcastRows"/>, interleaved, load 6-8), us broadcast vs packed: 192 × 1024 × 256 417
    /// vs 553, 128 × 512 × 512 268 vs 284, 128 × 2048 × 256 602 vs 825, [100, 512]^T [512, 784] 353 vs 371 (on 2
    /// threads, split by columns, 199-201 vs 233-234 at load 1.2), but
    /// 192 × 512 × 1024 (A 196K) 969 vs 928, 8 × 1024 × 1024 (B 1M) 127 vs 99, 32 × 4096 × 1024 2445 vs 2314,
    /// 192 × 2048 × 2048 15967 vs 10954.
    /// </summary>
    internal const long BroadcastMaxA = 1 << 17, BroadcastMaxBRows = 1 << 19;

    /// <summary>Most elements of a transposed B that the unpacked dot tiles re-read per group of rows (1 MB of float).</summary>
    internal const long DotTilesMaxB = 1 << 18;

    /// <summary>
    /// Up to this many elements of a transposed B (W of x W^T stays in L1) the dot tiles take any number of rows: the
    /// output layer [m, 100] x [10, 100]^T, once the tiles loaded their k = 100 tail under a mask (2026-12-03, 1 thread,
    /// interleaved, load ~1.3), us dot / broadcast over a copy of W^T / packed: m = 32 0.51 / 1.08 / 0.93, 64 0.99 /
    /// 1.61 / 1.78, 128 1.94 / 2.72 / 3.38, 512 7.5 / 9.2 / 13.1. (With the scalar tail m = 32 took 1.1.)
    /// </summary>
    internal const long DotTilesAnyRowsB = 1 << 14;

    // Whether a product runs as broadcast tiles over its operands in place (measured in BroadcastRows), or with any
    // rows a B small enough to stay in L1/L2 while every row group streams it. x W^T goes to the dot tiles instead.
    private static bool Broadcasts<T>(int m, int n, int k, bool transposeB)
        where T : unmanaged =>
        GemmBroadcastTiles.IsSupported && !transposeB
            && ((m <= BroadcastRows && (long)m * k <= BroadcastMaxA && (long)k * n <= BroadcastMaxBRows) || (long)k * n <= BroadcastMaxB);
}
