namespace HpcLearn.Tasks.Games;

/// <summary>
/// The most recent self-play positions (a ring: the oldest go first). Batches are drawn
/// uniformly, each example under a random board symmetry.
/// </summary>
public sealed class ReplayBuffer(Game game, int capacity)
{
    private readonly List<TrainingExample> _items = new();
    private int _next;

    /// <summary>Positions held.</summary>
    public int Count => _items.Count;

    /// <summary>Positions ever added.</summary>
    public long Added { get; private set; }

    /// <summary>The game.</summary>
    public Game Game => game;

    /// <summary>Adds a position, dropping the oldest when full.</summary>
    public void Add(TrainingExample e)
    {
        if (_items.Count < capacity) _items.Add(e);
        else _items[_next] = e;
        _next = (_next + 1) % capacity;
        Added++;
    }

    /// <summary>Fills a batch of <paramref name="n"/> examples: planes (n × 3 × cells), policies (n × actions), values (n).</summary>
    public void Sample(int n, Random rng, float[] planes, float[] policies, float[] values)
    {
        int size = Game.Planes * game.Cells, actions = game.ActionCount;
        var syms = game.Symmetries;
        for (int i = 0; i < n; i++)
        {
            var e = _items[rng.Next(_items.Count)];
            var s = syms[rng.Next(syms.Count)];
            s.MapPlanes(e.Planes, planes.AsSpan(i * size, size), Game.Planes);
            s.MapPolicy(e.Policy, policies.AsSpan(i * actions, actions));
            values[i] = e.Value;
        }
    }

    /// <summary>Writes the buffer (for checkpoints).</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_items.Count); w.Write(_next); w.Write(Added);
        foreach (var e in _items)
        {
            foreach (float f in e.Planes) w.Write(f);
            foreach (float f in e.Policy) w.Write(f);
            w.Write(e.Value);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Load(BinaryReader r)
    {
        _items.Clear();
        int count = r.ReadInt32(); _next = r.ReadInt32(); Added = r.ReadInt64();
        int size = Game.Planes * game.Cells;
        for (int i = 0; i < count; i++)
        {
            var planes = new float[size]; var policy = new float[game.ActionCount];
            for (int k = 0; k < size; k++) planes[k] = r.ReadSingle();
            for (int k = 0; k < policy.Length; k++) policy[k] = r.ReadSingle();
            var e = new TrainingExample(planes, policy, r.ReadSingle());
            if (_items.Count < capacity) _items.Add(e);
        }
        if (_next >= capacity) _next = 0;
    }
}
