using HpcLearn.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Vision;

/// <summary>
/// Turns a batch of 8-bit images (B, C, H, W) into the model's input: on training batches a
/// random crop after zero padding and a random horizontal flip, then on every batch scaling to
/// [0, 1] and normalising each channel with the training split's mean and standard deviation.
/// The randomness of a batch is a function of (seed, epoch, batch index) only, so resumed runs
/// and the prefetch thread see exactly the same augmentation.
/// </summary>
public sealed class ImageTransform : IDisposable
{
    private readonly Tensor _scale;   // (1, C, 1, 1): 1 / (255 std)
    private readonly Tensor _shift;   // (1, C, 1, 1): -mean / std
    private static readonly Scalar One = 1.0;

    /// <summary>Creates the transform.</summary>
    /// <param name="mean">Per-channel mean of the training pixels, in [0, 1].</param>
    /// <param name="std">Per-channel standard deviation of the training pixels, in [0, 1].</param>
    /// <param name="flip">Random horizontal flips on training batches.</param>
    /// <param name="cropPadding">Pixels of zero padding for random crops on training batches (0: none).</param>
    /// <param name="seed">Seed of the augmentation.</param>
    public ImageTransform(double[] mean, double[] std, bool flip, int cropPadding, int seed)
    {
        int c = mean.Length;
        _scale = tensor(std.Select(s => (float)(1 / (255 * s))).ToArray(), [1, c, 1, 1]);
        _shift = tensor(mean.Zip(std, (m, s) => (float)(-m / s)).ToArray(), [1, c, 1, 1]);
        Flip = flip;
        CropPadding = cropPadding;
        Seed = seed;
    }

    /// <summary>Whether training batches are flipped at random.</summary>
    public bool Flip { get; }

    /// <summary>Padding of the random crop (0: none).</summary>
    public int CropPadding { get; }

    /// <summary>Seed of the augmentation.</summary>
    public int Seed { get; }

    /// <summary>Normalised float images from 8-bit ones (no augmentation).</summary>
    public Tensor Normalise(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var x = pixels.to_type(ScalarType.Float32);
        return x.mul_(_scale).add_(_shift, One).MoveToOuterDisposeScope();
    }

    /// <summary>The <see cref="TensorDataLoader.Transform"/> of training batches (augmented).</summary>
    public Batch Train(Batch batch, int epoch, int batchIndex) => Apply(batch, epoch, batchIndex, augment: true);

    /// <summary>The <see cref="TensorDataLoader.Transform"/> of evaluation batches (normalised only).</summary>
    public Batch Eval(Batch batch, int epoch, int batchIndex) => Apply(batch, epoch, batchIndex, augment: false);

    private Batch Apply(Batch batch, int epoch, int batchIndex, bool augment)
    {
        Tensor x;
        using (var scope = NewDisposeScope())
        {
            var pixels = batch.Inputs[0];
            if (augment && (Flip || CropPadding > 0)) pixels = Augment(pixels, new Random(BatchSeed.Of(Seed, epoch, batchIndex)));
            x = Normalise(pixels).MoveToOuterDisposeScope();
        }
        var result = new Batch([x], batch.Target.alias());
        batch.Dispose();
        return result;
    }

    private Tensor Augment(Tensor pixels, Random rng)
    {
        long b = pixels.size(0), h = pixels.size(2), w = pixels.size(3);
        var x = pixels;
        if (CropPadding > 0)
        {
            int p = CropPadding;
            var padded = nn.functional.pad(x, [p, p, p, p]);   // (B, C, H + 2p, W + 2p), zeros
            var crops = new Tensor[b];
            for (long i = 0; i < b; i++)
                crops[i] = padded[i].narrow(1, rng.Next(2 * p + 1), h).narrow(2, rng.Next(2 * p + 1), w);
            x = stack(crops);
        }
        if (Flip)
        {
            var rows = Enumerable.Range(0, (int)b).Where(_ => rng.Next(2) == 1).Select(i => (long)i).ToArray();
            if (rows.Length > 0)
            {
                x = x.contiguous();
                using var index = tensor(rows);
                x = x.index_copy(0, index, x.index_select(0, index).flip(3));
            }
        }
        return x;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _scale.Dispose();
        _shift.Dispose();
    }
}
