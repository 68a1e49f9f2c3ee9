using HpcLearn.Cli;

// Before libtorch (and its OpenMP runtime) loads: idle worker threads sleep instead of spinning,
// which beside another busy process made 2 threads 10-30x slower than 1 (docs/training.md, Threads).
HpcLearn.TorchRuntime.PassiveOpenMpWait();

// Before any tensor exists: keeps glibc from returning libtorch's buffers to the OS every step.
HpcLearn.TorchRuntime.TuneMalloc();
// Before libtorch starts its worker threads, which inherit it: subnormal floats become 0 instead
// of costing ~100x per operation (HPCLEARN_DENORMALS=keep turns this off; docs/training.md).
HpcLearn.TorchRuntime.FlushDenormals();
// libtorch's NNPACK logs a line per convolution on CPUs it does not support (900,000 lines for one
// tic-tac-toe training on an AMD Zen 4): off, oneDNN does the same work (HPCLEARN_NNPACK=keep to keep it).
// libtorch's oneMKL takes its AVX2 kernels on any CPU not made by Intel: on an AMD Zen 4 a matrix
// product ran at 109 instead of 241 GFLOPS a core. Its vendor check is answered (HPCLEARN_MKL_VENDOR_CHECK=keep to keep it).
HpcLearn.TorchRuntime.PrepareKernels();
// train: every stop signal is caught from here on, before .NET has read the config, so that a USR1
// in the first second is kept (not a kill with exit 138) and the TERM of a requeue after the stop
// does not turn exit code 3 into 143. The config's cluster.signals then narrows it (TrainCommand).
if (args.Length > 0 && args[0] == "train") HpcLearn.Cluster.StopSignals.ListenFromStart(HpcLearn.Config.ClusterOptions.KnownSignals);
return CliApp.Run(args, Console.Out, Console.Error);
