using System.Runtime.InteropServices;
using TorchSharp;

namespace HpcLearn;

/// <summary>
/// Turns off libtorch's NNPACK convolutions for the process. libtorch asks NNPACK about every CPU
/// convolution while it is enabled, and on a CPU that NNPACK does not support (an AMD EPYC Zen 4
/// in an outside test) each ask logs "Could not initialize NNPACK! Reason: Unsupported hardware."
/// on stderr: 899,183 lines for one tic-tac-toe training, 500 MB of log for a Connect Four run,
/// lines in the middle of <c>play</c>'s board. <c>TORCH_CPP_LOG_LEVEL</c> does not stop them.
/// On x86-64 libtorch's oneDNN serves the same convolutions, so nothing is lost; on CPUs where
/// NNPACK works it is a mobile-oriented path that libtorch uses only for some shapes. This is
/// PyTorch's <c>torch.backends.nnpack.set_flags(False)</c>, called through libtorch's C++ entry
/// points (<c>at::globalContext().setUserEnabledNNPACK(false)</c>), which TorchSharp does not wrap.
/// </summary>
public static class Nnpack
{
    private static int _done;

    /// <summary>
    /// Disables NNPACK once per process (the CLI at start; every Learner, for C# users). Returns
    /// whether NNPACK is off afterwards: false where libtorch's entry points cannot be found (another
    /// libtorch build), which leaves everything as it was. <c>HPCLEARN_NNPACK=keep</c> opts out.
    /// </summary>
    public static bool Disable()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("HPCLEARN_NNPACK"), "keep", StringComparison.OrdinalIgnoreCase)) return false;
        if (Interlocked.Exchange(ref _done, 1) == 1) return !Enabled();
        try
        {
            // TorchSharp loads libtorch (with its own loader) on its first call: after it, the
            // DllImports below find the library already in the process.
            _ = torch.get_num_threads();
            var context = GlobalContext();
            SetUserEnabledNnpack(context, false);
            return !UserEnabledNnpack(context);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>Whether libtorch would use NNPACK (true also when that cannot be asked).</summary>
    public static bool Enabled()
    {
        try
        {
            _ = torch.get_num_threads();
            return UserEnabledNnpack(GlobalContext());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return true; }
    }

    // at::globalContext() and at::Context::{setUserEnabledNNPACK,userEnabledNNPACK}: Itanium C++ ABI,
    // a member function takes 'this' as its first argument.
    [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);
}
