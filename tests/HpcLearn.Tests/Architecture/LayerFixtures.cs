// Fixtures of LayerTests: tiny layered code whose one wrong-way use the checker must find. Block
// namespaces, as each fixture spans the namespaces of several layers in one place on purpose.

namespace HpcLearn.Tests.Architecture.Fixture.Upward.Config
{
    internal sealed record TrainOptions(double Lr);
}

namespace HpcLearn.Tests.Architecture.Fixture.Upward.Cluster
{
    internal interface ICommunicator
    {
        int Rank { get; }
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Upward.Runs
{
    internal static class RunFolder
    {
        public static Config.TrainOptions Options() => new(0.1);

        // The one wrong-way use: Runs calls up into Training, inside a lambda's body, written without
        // a using, so neither a scan of using lines nor of signatures sees it.
        public static Func<int> Open() => () => Training.Learner.Fit(null);
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Upward.Training
{
    internal static class Learner
    {
        public static int Fit(Cluster.ICommunicator? communicator) => communicator?.Rank ?? Runs.RunFolder.Options().Lr.GetHashCode();
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Upward.Tasks.Shared
{
    internal static class SmallCnn
    {
        public static int Train() => Training.Learner.Fit(null);
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Upward.Tasks.Vision
{
    internal static class VisionTask
    {
        public static int Train() => Shared.SmallCnn.Train() + Training.Learner.Fit(null);
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Sideways.Cluster
{
    internal interface ICommunicator
    {
        int Rank { get; }
    }

    internal sealed class StopSignals
    {
        public bool Requested { get; set; }
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Sideways.Training
{
    internal static class Learner
    {
        // Through the interface: allowed. The concrete signal handler: not.
        public static int Fit(Cluster.ICommunicator communicator) => communicator.Rank;

        public static bool Poll(object signals) => ((Cluster.StopSignals)signals).Requested;
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Sideways.Tasks.Shared
{
    internal static class SmallCnn
    {
        public static int Layers() => 2;
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Sideways.Tasks.Vision
{
    internal static class VisionModels
    {
        public static int Layers() => Shared.SmallCnn.Layers();
    }
}

namespace HpcLearn.Tests.Architecture.Fixture.Sideways.Tasks.Audio
{
    internal static class AudioTask
    {
        public static int Layers() => Vision.VisionModels.Layers() + Shared.SmallCnn.Layers();
    }
}
