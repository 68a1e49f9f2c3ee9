using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The keys and values every attention layer has computed so far, so that sampling one more
/// token costs one token's work instead of re-running the whole context: O(T) per token, not O(T²).
/// Per layer, K and V are (B, H, T_max, D), filled from position 0 up to <see cref="Length"/>.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys, _values;

    /// <summary>An empty cache for a model of <paramref name="layers"/> blocks.</summary>
    public KvCache(int layers, long batch, long heads, long maxLength, long headSize)
    {
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            _keys[l] = zeros(batch, heads, maxLength, headSize).DetachFromDisposeScope();     // (B, H, T_max, D)
            _values[l] = zeros(batch, heads, maxLength, headSize).DetachFromDisposeScope();
        }
        MaxLength = maxLength;
    }

    /// <summary>Positions the cache can hold (the model's block size).</summary>
    public long MaxLength { get; }

    /// <summary>Positions filled so far (the next token's position).</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Writes layer <paramref name="layer"/>'s keys and values of the new positions, k and v
    /// (B, H, t, D), after the cached ones and returns all of them: (B, H, Length + t, D).
    /// </summary>
    public (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v)
    {
        long t = k.size(2);
        if (Length + t > MaxLength)
            throw new InvalidOperationException($"the cache holds {MaxLength} positions; {Length} + {t} do not fit (start again with Clear)");
        _keys[layer].narrow(2, Length, t).copy_(k);
        _values[layer].narrow(2, Length, t).copy_(v);
        return (_keys[layer].narrow(2, 0, Length + t), _values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Moves the cache on by <paramref name="t"/> positions once every layer has appended them.</summary>
    public void Advance(long t) => Length += t;

    /// <summary>Forgets everything (the tensors are reused).</summary>
    public void Clear() => Length = 0;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
    }
}
