using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// Reads a one-element tensor (a loss, a dot product) as a double without leaving garbage for
/// the finaliser. TorchSharp's <c>ToDouble()</c> and <c>item&lt;T&gt;()</c> leave one finalisable
/// object behind per call; called every step, these pile up between collections, survive them
/// (a finalisable object outlives its first collection) and make each gen-0 collection cost
/// milliseconds. Under data parallelism that pause stalls every rank. A CPU float32 or float64
/// value is read from the tensor's memory instead; anything else goes through <c>ToDouble()</c>.
/// </summary>
public static class TensorScalar
{
    /// <summary>The value of the one-element tensor <paramref name="t"/>.</summary>
    public static double Value(Tensor t)
    {
        if (t.device_type == DeviceType.CPU && t.numel() == 1)
        {
            switch (t.dtype)
            {
                case ScalarType.Float32: return MemoryMarshal.Read<float>(t.bytes);
                case ScalarType.Float64: return MemoryMarshal.Read<double>(t.bytes);
            }
        }
        return t.ToDouble();
    }
}
