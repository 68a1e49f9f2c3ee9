using static TorchSharp.torch;

namespace HpcLearn.Tasks.Shared;

/// <summary>A classifier's outputs as plain arrays: logits (N, K) as rows, softmax probabilities, class indices.</summary>
public static class ClassifierOutputs
{
    /// <summary>Softmax probabilities as rows.</summary>
    public static double[][] Probabilities(Tensor logits)
    {
        using var wide = logits.to_type(ScalarType.Float64);
        using var p = nn.functional.softmax(wide, 1);
        return Rows(p);
    }

    /// <summary>A (N, K) tensor as N rows of K doubles.</summary>
    public static double[][] Rows(Tensor values)
    {
        using var wide = values.to_type(ScalarType.Float64);
        var flat = wide.data<double>().ToArray();
        int k = (int)values.shape[1];
        return Enumerable.Range(0, (int)values.shape[0]).Select(r => flat.AsSpan(r * k, k).ToArray()).ToArray();
    }

    /// <summary>Class indices as ints.</summary>
    public static int[] Labels(Tensor classes) => classes.data<long>().Select(v => (int)v).ToArray();
}
