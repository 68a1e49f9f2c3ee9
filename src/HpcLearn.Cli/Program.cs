using HpcLearn.Cli;

// Before any tensor exists: keeps glibc from returning libtorch's buffers to the OS every step.
HpcLearn.TorchRuntime.TuneMalloc();
return CliApp.Run(args, Console.Out, Console.Error);
