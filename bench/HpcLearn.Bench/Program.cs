// Benchmarks run by bench/run. Each prints machine-readable "key=value" lines that bench/run
// turns into a table beside its peers.
using HpcLearn.Bench;

HpcLearn.TorchRuntime.PassiveOpenMpWait();   // as the CLI does
HpcLearn.TorchRuntime.TuneMalloc();
HpcLearn.TorchRuntime.FlushDenormals();   // as the CLI does
HpcLearn.TorchRuntime.PrepareKernels();   // as the CLI does (HPCLEARN_MKL_VENDOR_CHECK=keep: oneMKL's AVX2 path on AMD)
return args.FirstOrDefault() switch
{
    "learner-overhead" => LearnerOverhead.Run(args.Skip(1).ToArray()),
    "tabular-threads" => TabularThreads.Run(args.Skip(1).ToArray()),
    "gemm" => GemmBench.Run(args.Skip(1).ToArray()),
    "ddp" => DataParallel.Run(args.Skip(1).ToArray()),
    "write-rows" => WriteRows.Run(args.Skip(1).ToArray()),
    "write-split" => WriteSplit.Run(args.Skip(1).ToArray()),
    "write-spend" => WriteSpend.Run(args.Skip(1).ToArray()),
    "report" => ReportTiming.Run(args.Skip(1).ToArray()),
    "kmeans" => KMeansBench.Run(args.Skip(1).ToArray()),
    "kmeans-fmnist" => KMeansFmnistBench.Run(args.Skip(1).ToArray()),
    "kmeans-mpi" => KMeansMpiBench.Run(args.Skip(1).ToArray()),
    "gmm" => GmmBench.Run(args.Skip(1).ToArray()),
    "dbscan" => DbscanBench.Run(args.Skip(1).ToArray()),
    "burgers" => BurgersBench.Run(args.Skip(1).ToArray()),
    "conv-step" => ConvKernelsBench.Run(args.Skip(1).ToArray()),
    "cnn" => CnnBench.Run(args.Skip(1).ToArray()),
    "logmel" => LogMelBench.Run(args.Skip(1).ToArray()),
    "mcts" => MctsBench.Run(args.Skip(1).ToArray()),
    "c4-opening" => C4OpeningBench.Run(args.Skip(1).ToArray()),
    "c4-solver" => C4SolverBench.Run(args.Skip(1).ToArray()),
    "charlm" => CharLmBench.Run(args.Skip(1).ToArray()),
    "charlm-corpus" => CharLmBench.WriteCorpus(args.Skip(1).ToArray()),
    "recommend" => RecommendBench.Run(args.Skip(1).ToArray()),
    "threads-step" => ThreadsBench.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: HpcLearn.Bench learner-overhead [threads] | gemm [threads] [n] | ddp [batch_per_rank] [epochs] (alone or under mpirun) | write-rows N OUT.csv | write-spend N SEED OUT.csv | write-split CONFIG.yaml OUTDIR | report RUN_DIR | kmeans N D K ITERS THREADS OUTDIR | kmeans-mpi N D K ITERS (alone or under mpirun) | cnn [idx_dir] [images] [batch] [epochs] [threads] [noaug] | burgers [adam_iters] [lbfgs_iters] [float32|float64] [tolerance_change] [points_dir] | logmel [clips] [batch] [threads] [repeats] | mcts [threads] [seconds_per_part] | c4-opening [seconds_per_solve] | c4-solver generate N SEED OUT | children FILE OUT | score FILE | charlm TEXT THREADS BATCH WARMUP STEPS SAMPLE_TOKENS | charlm-corpus SENTENCES OUT | recommend EPOCHS BATCH THREADS OUTDIR | threads-step recommend|text THREADS|auto SECONDS");
    return 2;
}
