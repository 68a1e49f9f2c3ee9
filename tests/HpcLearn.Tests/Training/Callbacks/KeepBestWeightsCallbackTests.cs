using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Training.Callbacks;

public sealed class KeepBestWeightsCallbackTests
{
    private static readonly HpcLearn.Config.TrainOptions Frozen = Tiny.ConstantLr with { LearningRate = 0 };

    // Sets the output bias before each epoch (learning rate 0 keeps it there), so each epoch's
    // validation loss is known in advance: a parabola in the bias, lowest at the optimum.
    private sealed class SetBias(Func<int, double> bias) : Callback
    {
        public override void OnEpochStart(Learner learner)
        {
            using var noGrad = no_grad();
            learner.Model.state_dict()["fc2.bias"].fill_(bias(learner.Epoch + 1));
        }
    }

    private static double Bias(Tiny t) => t.Model.state_dict()["fc2.bias"].item<float>();

    // The output bias that minimises the validation MSE of the model as it is.
    private static double BestBias(Tiny t)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        t.Model.eval();
        var residual = (t.ValidY - t.Model.forward([t.ValidX])).mean().item<float>();
        return Bias(t) + residual;
    }

    [Fact]
    public void After_the_fit_the_model_holds_the_weights_of_the_epoch_with_the_lowest_validation_loss()
    {
        using var scope = NewDisposeScope();
        var keep = new KeepBestWeightsCallback();
        double optimum = 0;
        double[] offsets = [1.0, 0.1, 0.5]; // epoch 2 is the best
        using var t = new Tiny(Frozen, callbacks: [new SetBias(e => optimum + offsets[e - 1]), keep]);
        optimum = BestBias(t);
        using (no_grad()) t.Model.state_dict()["fc2.bias"].fill_(optimum + 2); // the start is the worst

        t.Learner.Fit(3);

        Assert.Equal(2, keep.KeptEpoch);
        Assert.Equal(optimum + 0.1, Bias(t), 4);
        Assert.Equal(t.Learner.History[1].ValidLoss, keep.KeptLoss);
        Assert.Equal(t.Learner.History[2].ValidLoss, keep.LastLoss);
        var now = t.Learner.Evaluate(t.Learner.Valid!);
        now.Outputs.Dispose();
        now.Targets.Dispose();
        Assert.Equal(keep.KeptLoss, now.Loss, 9);
    }

    [Fact]
    public void The_starting_weights_are_kept_when_no_epoch_beats_them()
    {
        using var scope = NewDisposeScope();
        var keep = new KeepBestWeightsCallback();
        double optimum = 0;
        using var t = new Tiny(Frozen, callbacks: [new SetBias(e => optimum + 1), keep]);
        optimum = BestBias(t);
        using (no_grad()) t.Model.state_dict()["fc2.bias"].fill_(optimum);

        t.Learner.Fit(2);

        Assert.Equal(0, keep.KeptEpoch);
        Assert.Equal(optimum, Bias(t), 4);
    }

    [Fact]
    public void A_fit_stopped_in_an_epoch_keeps_its_last_weights()
    {
        using var scope = NewDisposeScope();
        var keep = new KeepBestWeightsCallback();
        double optimum = 0;
        using var t = new Tiny(Frozen, callbacks: [new SetBias(e => optimum + e), keep, new StopMidEpoch(epoch: 2, batches: 3)]);
        optimum = BestBias(t);

        t.Learner.Fit(3);

        Assert.Null(keep.KeptEpoch);
        Assert.Equal(optimum + 2, Bias(t), 4); // the stopped epoch's weights, for the checkpoint and --resume
    }
}
