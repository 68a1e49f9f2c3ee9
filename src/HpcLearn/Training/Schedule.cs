using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>A learning rate as a function of training progress.</summary>
public abstract class Schedule
{
    /// <summary>The learning rate at optimiser step <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public abstract double LearningRate(long step, long totalSteps);

    /// <summary>A constant learning rate.</summary>
    public static Schedule Constant(double lr) => new ConstantSchedule(lr);

    /// <summary>The one-cycle schedule (Smith 2018, as in fastai).</summary>
    public static Schedule OneCycle(double maxLr, double warmupFraction = 0.25, double divStart = 25, double divFinal = 1e4)
        => new OneCycleSchedule(maxLr, warmupFraction, divStart, divFinal);

    private sealed class ConstantSchedule(double lr) : Schedule
    {
        public override double LearningRate(long step, long totalSteps) => lr;
    }
}
