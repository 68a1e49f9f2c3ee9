namespace HpcLearn.Tasks.Games;

/// <summary>
/// A fixed-size hash table from position key to a small bound, replaced on collision (Pons's
/// design): <c>key mod size</c> picks the slot and only the key's low 32 bits are kept to reject
/// other positions. That is exact for keys below 2^49 (every Connect Four key) when the size is
/// an odd number above 2^17: two keys with the same slot and the same low 32 bits differ by a
/// multiple of size * 2^32 (Chinese remainder theorem), which is more than 2^49.
/// 0 means "nothing stored".
/// </summary>
public sealed class TranspositionTable
{
    private readonly uint[] _keys;
    private readonly sbyte[] _values;

    /// <summary>Creates a table of <paramref name="size"/> slots (best a prime).</summary>
    public TranspositionTable(int size)
    {
        if (size <= 1 << 17 || size % 2 == 0) throw new ArgumentOutOfRangeException(nameof(size), size, "the table needs an odd size above 2^17 for its 32-bit partial keys to be exact");
        _keys = new uint[size];
        _values = new sbyte[size];
    }

    /// <summary>Stores <paramref name="value"/> (non-zero) for <paramref name="key"/>.</summary>
    public void Put(ulong key, int value)
    {
        int i = (int)(key % (ulong)_keys.Length);
        _keys[i] = (uint)key;
        _values[i] = (sbyte)value;
    }

    /// <summary>The value stored for <paramref name="key"/>, or 0.</summary>
    public int Get(ulong key)
    {
        int i = (int)(key % (ulong)_keys.Length);
        return _keys[i] == (uint)key ? _values[i] : 0;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        Array.Clear(_keys);
        Array.Clear(_values);
    }
}
