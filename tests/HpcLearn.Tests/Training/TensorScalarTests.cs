using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Training;

/// <summary>TensorScalar.Value reads what TorchSharp's ToDouble() reads, for every kind of one-element tensor.</summary>
public sealed class TensorScalarTests
{
    [Fact]
    public void Float32_IsTheFloatWidened()
    {
        using var t = tensor(0.1f);
        Assert.Equal((double)0.1f, TensorScalar.Value(t));
        Assert.Equal(t.ToDouble(), TensorScalar.Value(t));
    }

    [Fact]
    public void Float64_IsExact()
    {
        using var t = tensor(new[] { Math.PI }, ScalarType.Float64);   // shape (1), not 0-d
        Assert.Equal(Math.PI, TensorScalar.Value(t));
    }

    [Fact]
    public void ElementOfALargerTensor_ReadsThatElement()
    {
        using var all = arange(10, dtype: ScalarType.Float32).mul(1.5);
        using var third = all[3];                      // a view at an offset into the storage
        using var last = all.reshape(2, 5)[1, 4];
        Assert.Equal(4.5, TensorScalar.Value(third));
        Assert.Equal(13.5, TensorScalar.Value(last));
    }

    [Fact]
    public void LossAfterBackward_MatchesToDouble()
    {
        using var w = tensor(new[] { 0.3, -1.2, 2.0 }, ScalarType.Float32).requires_grad_();
        using var x = tensor(new[] { 1.7, 0.4, -0.9 }, ScalarType.Float32);
        using var loss = (w * x).sum().square();
        loss.backward();
        Assert.Equal(loss.ToDouble(), TensorScalar.Value(loss));
    }

    [Theory]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Float16)]
    public void OtherTypes_GoThroughToDouble(ScalarType dtype)
    {
        using var t = tensor(new[] { 7.0 }).to_type(dtype);
        Assert.Equal(7.0, TensorScalar.Value(t));
    }

    [Fact]
    public void SeveralElements_AreRefusedAsByToDouble()
    {
        using var t = zeros(3);
        Assert.ThrowsAny<Exception>(() => TensorScalar.Value(t));
    }
}
