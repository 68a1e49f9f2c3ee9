using HpcLearn.Training.Distributed;
using HpcLearn.Training.Optimizers;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using Sequential = TorchSharp.Modules.Sequential;
using Adam = HpcLearn.Training.Optimizers.Adam;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Training.Optimizers;

/// <summary>
/// Adam over one flat buffer (<see cref="FlatParameters"/>) against Adam one parameter at a time
/// (one optimiser per parameter, which never flattens): the same values, bit for bit.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)] // seeds libtorch's global RNG
public sealed class FlatAdamTests
{
    private static Sequential Mlp(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(7, 33), nn.ReLU(), nn.Linear(33, 17), nn.ReLU(), nn.Linear(17, 3));
    }

    private static void Backward(nn.Module<Tensor, Tensor> model, int step)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)(100 + step));
        var x = randn([16, 7], generator: g);
        var y = randn([16, 3], generator: g);
        (model.forward(x) - y).square().mean().backward();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Flat_steps_equal_per_parameter_steps_bit_for_bit(bool decoupled)
    {
        using var flatModel = Mlp(5);
        using var oneByOne = Mlp(5);
        var flatParams = flatModel.parameters().ToList();
        using var flat = new Adam(flatParams, lr: 0.01, weightDecay: 0.05, decoupled: decoupled);
        var single = oneByOne.parameters().Select(p => new Adam([p], lr: 0.01, weightDecay: 0.05, decoupled: decoupled)).ToList();
        for (int step = 0; step < 25; step++)
        {
            flat.ZeroGrad();
            Backward(flatModel, step);
            flat.Step();
            foreach (var o in single) o.ZeroGrad();
            Backward(oneByOne, step);
            foreach (var o in single) o.Step();
        }
        foreach (var (a, b) in flatParams.Zip(oneByOne.parameters()))
            Assert.True(a.allclose(b, rtol: 0, atol: 0), $"max difference {(a - b).abs().max().ToDouble()}");
        // The flat path ran: the parameters and their gradients each lie end to end in one buffer.
        AssertEndToEnd(flatParams);
        AssertEndToEnd(flatParams.Select(p => (Tensor)p.grad!).ToList());
        foreach (var o in single) o.Dispose();
    }

    private static void AssertEndToEnd(IReadOnlyList<Tensor> tensors)
    {
        for (int i = 1; i < tensors.Count; i++)
            Assert.Equal(TensorMemory.Address(tensors[i - 1]) + (nint)(tensors[i - 1].numel() * 4), TensorMemory.Address(tensors[i]));
    }

    [Fact]
    public void A_parameter_without_a_gradient_is_skipped_as_one_by_one()
    {
        using var model = Mlp(6);
        var ps = model.parameters().ToList();
        using var adam = new Adam(ps, lr: 0.01, weightDecay: 0.1);
        Backward(model, 0);
        adam.Step();                    // the flat path: every parameter has a gradient
        var last = ps[^1].detach().clone();
        ps[^1].grad = null;             // as if the last layer took no part in the next loss
        adam.ZeroGrad();
        Backward(model, 1);
        ps[^1].grad = null;
        adam.Step();
        Assert.True(ps[^1].allclose(last, rtol: 0, atol: 0), "a parameter without a gradient moved");
        Assert.False(ps[0].allclose(Mlp(6).parameters().First(), rtol: 0, atol: 0), "the others did not move");
    }

    [Fact]
    public void State_saved_from_flat_buffers_loads_into_flat_buffers_and_the_next_step_agrees()
    {
        using var m1 = Mlp(7);
        using var m2 = Mlp(8);
        var p1 = m1.parameters().ToList();
        var p2 = m2.parameters().ToList();
        using var a = new Adam(p1, lr: 0.02);
        using var b = new Adam(p2, lr: 0.02);
        for (int s = 0; s < 3; s++) { a.ZeroGrad(); Backward(m1, s); a.Step(); }
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) a.Save(w);
        ms.Position = 0;
        using (var r = new BinaryReader(ms)) b.Load(r);
        using (no_grad()) foreach (var (x, y) in p2.Zip(p1)) x.copy_(y);
        a.ZeroGrad(); Backward(m1, 9); a.Step();
        b.ZeroGrad(); Backward(m2, 9); b.Step();
        foreach (var (x, y) in p1.Zip(p2)) Assert.True(x.allclose(y, rtol: 0, atol: 0));
        AssertEndToEnd(p2);
    }

    [Fact]
    public void Weights_loaded_into_the_module_keep_the_flat_path()
    {
        using var model = Mlp(9);
        using var source = Mlp(10);
        var ps = model.parameters().ToList();
        using var adam = new Adam(ps, lr: 0.01);
        Backward(model, 0);
        adam.Step();
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) source.save(w);
        ms.Position = 0;
        using (var r = new BinaryReader(ms)) model.load(r);   // as a resume does
        foreach (var (x, y) in ps.Zip(source.parameters())) Assert.True(x.allclose(y, rtol: 0, atol: 0));
        adam.ZeroGrad();
        Backward(model, 1);
        adam.Step();
        AssertEndToEnd(ps);
        AssertEndToEnd(ps.Select(p => (Tensor)p.grad!).ToList());
    }

    [Fact]
    public void Tied_or_mixed_parameters_are_not_flattened()
    {
        var w = new Parameter(randn(3, 3));
        Assert.Null(FlatParameters.TryCreate([w, w]));
        Assert.Null(FlatParameters.TryCreate([new Parameter(randn(3)), new Parameter(randn(3, dtype: ScalarType.Float64))]));
        Assert.Null(FlatParameters.TryCreate([new Parameter(randn(3))]));
        using var flat = FlatParameters.TryCreate([new Parameter(randn(3)), new Parameter(randn(2, 2))]);
        Assert.NotNull(flat);
        Assert.Equal([0L, 3L], flat!.Offsets);
    }
}
