using HpcLearn.Config;
using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// The fit in progress: its schedule and where it ends. Saved in checkpoints so a resumed run
/// continues the same learning-rate curve to the same last epoch.
/// </summary>
/// <param name="Schedule">One-cycle or constant.</param>
/// <param name="Lr">Peak (one-cycle) or constant learning rate.</param>
/// <param name="StartStep">Optimiser step at which this fit began.</param>
/// <param name="TotalSteps">Steps this fit spans.</param>
/// <param name="LastEpoch">The epoch at which this fit ends.</param>
public sealed record FitPlan(ScheduleKind Schedule, double Lr, long StartStep, long TotalSteps, int LastEpoch)
{
    /// <summary>The schedule object for this plan.</summary>
    public Schedule ToSchedule() => Schedule == ScheduleKind.OneCycle
        ? Training.Schedule.OneCycle(Lr)
        : Training.Schedule.Constant(Lr);
}
