namespace HpcLearn.Runs;

/// <summary>
/// The named blocks of one checkpoint file (<see cref="CheckpointContainer"/>), in the order they
/// are written. A layout (the Learner's, the text task's, ...) is the set of names it writes and
/// reads; the container itself gives no block a meaning.
/// </summary>
public sealed class CheckpointBlocks
{
    /// <summary>
    /// The name of the block every layout writes first: its metadata as JSON (position, history,
    /// config), which <c>status</c> reads without knowing the layout.
    /// </summary>
    public const string Meta = "meta";

    private readonly List<(string Name, byte[] Bytes)> _blocks = [];

    /// <summary>The block names, in file order.</summary>
    public IReadOnlyList<string> Names => _blocks.ConvertAll(b => b.Name);

    /// <summary>Appends a block; returns this, so a layout reads as one expression.</summary>
    /// <exception cref="ArgumentException">The name is empty or already taken.</exception>
    public CheckpointBlocks Add(string name, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(bytes);
        if (Contains(name)) throw new ArgumentException($"the checkpoint already has a block '{name}'", nameof(name));
        _blocks.Add((name, bytes));
        return this;
    }

    /// <summary>Whether there is a block called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _blocks.Exists(b => b.Name == name);

    /// <summary>The bytes of the block called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">There is no such block (a layout read with the wrong names: a bug).</exception>
    public byte[] this[string name] => _blocks.Find(b => b.Name == name).Bytes
        ?? throw new InvalidDataException($"the checkpoint has no block '{name}' (it has {string.Join(", ", Names)})");

    /// <summary>The blocks in file order.</summary>
    public IEnumerable<(string Name, byte[] Bytes)> All => _blocks;
}
