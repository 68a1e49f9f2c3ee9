namespace HpcLearn.Tasks.Games;

/// <summary>
/// A fixed-size hash table from position key to a small bound, replaced on collision (Pons's
/// design): <c>key mod size</c> picks the slot, the full key is kept to reject other positions.
/// 0 means "nothing stored".
/// </summary>
public sealed class TranspositionTable
{
    private readonly ulong[] _keys;
    private readonly sbyte[] _values;

    /// <summary>Creates a table of <paramref name="size"/> slots (best a prime).</summary>
    public TranspositionTable(int size)
    {
        _keys = new ulong[size];
        _values = new sbyte[size];
    }

    /// <summary>Stores <paramref name="value"/> (non-zero) for <paramref name="key"/>.</summary>
    public void Put(ulong key, int value)
    {
        int i = (int)(key % (ulong)_keys.Length);
        _keys[i] = key;
        _values[i] = (sbyte)value;
    }

    /// <summary>The value stored for <paramref name="key"/>, or 0.</summary>
    public int Get(ulong key)
    {
        int i = (int)(key % (ulong)_keys.Length);
        return _keys[i] == key ? _values[i] : 0;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        Array.Clear(_keys);
        Array.Clear(_values);
    }
}
