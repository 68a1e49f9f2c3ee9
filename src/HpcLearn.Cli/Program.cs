using HpcLearn.Cli;

// Before any tensor exists: keeps glibc from returning libtorch's buffers to the OS every step.
HpcLearn.TorchRuntime.TuneMalloc();
// Before libtorch starts its worker threads, which inherit it: subnormal floats become 0 instead
// of costing ~100x per operation (HPCLEARN_DENORMALS=keep turns this off; docs/training.md).
HpcLearn.TorchRuntime.FlushDenormals();
return CliApp.Run(args, Console.Out, Console.Error);
