using System.Runtime.CompilerServices;

namespace Aver.Features.Spectral;

/// <summary>
/// log(x + offset) over a block in place, at every lane width: the front ends' log step (MRPN's log(|X| + 1e-6),
/// AVEF's log(mel + 0.01)) fused into one pass. Cephes' logf (argument reduction to [sqrt(1/2), sqrt(2)), a
/// degree-8 polynomial, ln 2 split in two), within 1 ulp; TensorPrimitives.Log measured about 2x slower per
/// block here. Lanes outside the polynomial's domain (zero, negative, subnormal, infinite, NaN) fall back to
/// <see cref="MathF.Log(float)"/>, so every input gets IEEE's answer.
/// </summary>
internal static class LaneLog
{
    /// <summary>values[i] = log(values[i] + offset) for every i.</summary>
    public static unsafe void AddThenLog(Span<float> values, float offset)
    {
        fixed (float* v = values)
            switch (LaneWidths.Current)
            {
                case LaneWidth.V512: AddThenLog<Lanes512>(v, values.Length, offset); break;
                case LaneWidth.V256: AddThenLog<Lanes256>(v, values.Length, offset); break;
                default: AddThenLog<Lanes128>(v, values.Length, offset); break;
            }
    }

    /// <summary>
    /// The same on the first <paramref name="count"/> values of each of <paramref name="rows"/> rows
    /// <paramref name="stride"/> apart: a block's valid columns, leaving its scratch columns alone.
    /// </summary>
    public static void AddThenLog(Span<float> block, int rows, int stride, int count, float offset)
    {
        if (count == stride) { AddThenLog(block[..(rows * stride)], offset); return; }
        for (int r = 0; r < rows; r++) AddThenLog(block.Slice(r * stride, count), offset);
    }

    private static unsafe void AddThenLog<T>(float* v, int count, float offset) where T : struct, ILaneVector<T>
    {
        int lanes = T.Count, i = 0;
        T add = T.Broadcast(offset);
        for (; i + lanes <= count; i += lanes)
        {
            T x = T.Load(v + i) + add;
            if (T.AllPositiveNormal(x)) T.Store(Log(x), v + i);
            else for (int l = 0; l < lanes; l++) v[i + l] = MathF.Log(v[i + l] + offset);
        }
        for (; i < count; i++) v[i] = MathF.Log(v[i] + offset);
    }

    /// <summary>The natural logarithm of positive normal lanes (Cephes logf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log<T>(T x) where T : struct, ILaneVector<T>
    {
        T f = T.SplitExponent(x, out T e);
        T z = f * f;
        T y = T.Broadcast(7.0376836292e-2f);
        y = T.FusedMultiplyAdd(y, f, T.Broadcast(-1.1514610310e-1f));
        y = T.FusedMultiplyAdd(y, f, T.Broadcast(1.1676998740e-1f));
        y = T.FusedMultiplyAdd(y, f, T.Broadcast(-1.2420140846e-1f));
        y = T.FusedMultiplyAdd(y, f, T.Broadcast(1.4249322787e-1f));
        y = T.FusedMultiplyAdd(y, f, T.Broadcast(-1.6668057665e-1f));
        y = T.FusedMultiplyAdd(y, f, T.Broadcast(2.0000714765e-1f));
        y = T.FusedMultiplyAdd(y, f, T.Broadcast(-2.4999993993e-1f));
        y = T.FusedMultiplyAdd(y, f, T.Broadcast(3.3333331174e-1f));
        y = y * f * z;
        // ln 2 = 0.693359375 - 2.12194440e-4: the first part is exact times any exponent.
        y = T.FusedMultiplyAdd(e, T.Broadcast(-2.12194440e-4f), y);
        y = T.FusedMultiplyAdd(z, T.Broadcast(-0.5f), y);
        return T.FusedMultiplyAdd(e, T.Broadcast(0.693359375f), f + y);
    }
}
