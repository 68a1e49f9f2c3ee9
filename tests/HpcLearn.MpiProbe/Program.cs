// Started by the MPI tests as `mpirun -np 2 dotnet HpcLearn.MpiProbe.dll MODE ...` (and without
// mpirun for the single-process reference). Each mode prints what the test checks; any failure
// is an exception, so a non-zero exit code.
using HpcLearn.MpiProbe;

HpcLearn.TorchRuntime.TuneMalloc();
return args.FirstOrDefault() switch
{
    "env" => EnvMode.Run(),
    "collectives" => CollectivesMode.Run(),
    "ddp" => DataParallelMode.Run(args.Skip(1).ToArray()),
    "die" => DieMode.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: HpcLearn.MpiProbe env | collectives | ddp OUT_PREFIX GLOBAL_BATCH EPOCHS [adamw|sgd] | die");
    return 2;
}
