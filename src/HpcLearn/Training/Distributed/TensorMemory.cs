using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using HpcLearn.Runs;

namespace HpcLearn.Training.Distributed;

/// <summary>
/// Where a tensor's memory starts, asked of LibTorchSharp directly. The data-parallel step asks
/// this for every parameter every step: <c>Tensor.bytes</c> costs several native calls (~3 µs per
/// parameter, measured) and TorchSharp's <c>grad</c> property wraps a new handle in a finalisable
/// <c>Tensor</c> each call. Falls back to the public route if a TorchSharp version lacks the exports.
/// </summary>
internal static unsafe class TensorMemory
{
    private static bool _noExports;

    /// <summary>The address of <paramref name="t"/>'s first element (0 when it is not contiguous and the exports are missing).</summary>
    public static nint Address(Tensor t)
    {
        if (!_noExports)
        {
            try { return THSTensor_data(t.Handle); }
            catch (EntryPointNotFoundException) { _noExports = true; }
            catch (DllNotFoundException) { _noExports = true; }
        }
        return t.is_contiguous() ? AddressOfBytes(t) : 0;
    }

    /// <summary>True when <paramref name="p"/> has a gradient whose first element is at <paramref name="address"/> (null: anywhere).</summary>
    public static bool GradIsAt(Parameter p, nint? address)
    {
        if (!_noExports)
        {
            try
            {
                nint grad = THSTensor_grad(p.Handle);
                if (grad == 0) return false;   // no gradient (or an error, which p.grad then reports)
                try { return address is null || THSTensor_data(grad) == address; }
                finally { THSTensor_dispose(grad); }
            }
            catch (EntryPointNotFoundException) { _noExports = true; }
            catch (DllNotFoundException) { _noExports = true; }
        }
        using var g = p.grad;
        return g is not null && (address is null || Address(g) == address);
    }

    /// <summary>The address of <paramref name="t"/>'s memory through the public (slower) route.</summary>
    public static nint AddressOfBytes(Tensor t)
    {
        fixed (byte* p = t.bytes) return (nint)p;
    }

    [DllImport("LibTorchSharp")]
    private static extern nint THSTensor_data(nint handle);

    [DllImport("LibTorchSharp")]
    private static extern nint THSTensor_grad(nint handle);

    [DllImport("LibTorchSharp")]
    private static extern void THSTensor_dispose(nint handle);
}
