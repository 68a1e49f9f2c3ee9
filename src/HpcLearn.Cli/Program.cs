HpcLearn.TorchRuntime.TuneMalloc();
System.Console.WriteLine(TorchSharp.torch.ones(3).sum().item<float>());
