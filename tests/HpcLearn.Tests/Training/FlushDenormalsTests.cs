using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Training;

/// <summary>
/// Flushing subnormal floats is a per-thread setting: each test runs on a thread of its own, so
/// no other test sees it. The oracle is the arithmetic itself: 1e-39 (a float32 subnormal) times 1
/// is 1e-39 with gradual underflow and exactly 0 when flushed, in libtorch and in C# alike.
/// </summary>
public sealed class FlushDenormalsTests
{
    private const float Subnormal = 1e-39f;

    private static void OnOwnThread(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() => { try { body(); } catch (Exception e) { failure = e; } });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException($"on the test's thread: {failure}");
    }

    private static double TorchProduct()
    {
        using var a = tensor(new[] { Subnormal });
        using var one = tensor(new[] { 1f });
        using var p = a * one;
        return p.ToSingle();
    }

    private static float ManagedProduct(float one) => Subnormal * one;

    [Fact]
    public void Flush_MakesSubnormalsZero_AndRestore_BringsThemBack()
    {
        if (TorchRuntime.KeepDenormals) return;   // the environment asked for IEEE underflow
        OnOwnThread(() =>
        {
            float one = float.Parse("1", System.Globalization.CultureInfo.InvariantCulture);   // not a constant the compiler could fold
            Assert.False(TorchRuntime.DenormalsFlushed);
            Assert.Equal(Subnormal, ManagedProduct(one));
            Assert.Equal((double)Subnormal, TorchProduct());
            var previous = TorchRuntime.FlushDenormals();
            Assert.NotNull(previous);
            try
            {
                Assert.True(TorchRuntime.DenormalsFlushed);
                Assert.Equal(0.0, TorchProduct());
                Assert.Equal(0f, ManagedProduct(one));
            }
            finally
            {
                TorchRuntime.RestoreDenormals(previous);
            }
            Assert.False(TorchRuntime.DenormalsFlushed);
            Assert.Equal((double)Subnormal, TorchProduct());
            Assert.Equal(Subnormal, ManagedProduct(one));
        });
    }

    [Fact]
    public void Fit_FlushesWhileTraining_AndLeavesTheCallersThreadAsItWas()
    {
        if (TorchRuntime.KeepDenormals) return;
        OnOwnThread(() =>
        {
            var seen = new FlushProbe();
            using var tiny = new Tiny(callbacks: [seen]);
            Assert.False(TorchRuntime.DenormalsFlushed);
            tiny.Learner.Fit(1);
            Assert.True(seen.FlushedDuringEpoch);
            Assert.False(TorchRuntime.DenormalsFlushed);
        });
    }

    private sealed class FlushProbe : Callback
    {
        public bool FlushedDuringEpoch { get; private set; }

        public override void OnEpochStart(Learner learner) => FlushedDuringEpoch = TorchRuntime.DenormalsFlushed;
    }
}
