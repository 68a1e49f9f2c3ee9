namespace HpcLearn.Tasks.Games;

/// <summary>
/// One AlphaZero search tree: PUCT selection (Q + c·P·√N / (1 + n)), Dirichlet noise on the root
/// priors, virtual loss on pending paths, and subtree reuse after a move. Leaves are evaluated
/// outside, in batches across trees (<see cref="BatchedSearch"/>).
/// </summary>
public sealed class PuctTree
{
    private readonly MctsOptions _options;
    private readonly Random _rng;
    private MctsNode _root;
    private bool _noisePending;

    /// <summary>Creates a tree rooted at <paramref name="state"/>.</summary>
    public PuctTree(GameState state, MctsOptions options, Random rng)
    {
        _options = options.Validated();
        _rng = rng;
        _root = new MctsNode(state, -1, 1f);
        BeginMove();
    }

    /// <summary>The position searched.</summary>
    public GameState Root => _root.State!;

    /// <summary>Simulations finished since the last <see cref="BeginMove"/>.</summary>
    public int Done { get; private set; }

    /// <summary>Leaves selected and not yet backed up.</summary>
    public int InFlight { get; private set; }

    /// <summary>Whether this move's simulations are all started.</summary>
    public bool NeedsMore => Done + InFlight < _options.Simulations && !Root.IsTerminal;

    /// <summary>Restarts the simulation count for a new move (noise goes on the root again).</summary>
    public void BeginMove()
    {
        Done = 0;
        _noisePending = _options.DirichletAlpha > 0;
        if (_noisePending && _root.IsExpanded) AddNoise();
    }

    /// <summary>
    /// Walks down by PUCT to a leaf and adds a virtual loss along the path. A terminal leaf is
    /// backed up at once (returns null, the simulation counted); a leaf already waiting for its
    /// evaluation also returns null (a collision: stop gathering for this round).
    /// </summary>
    public Leaf? Select(out bool collided)
    {
        collided = false;
        var path = new List<MctsNode> { _root };
        var node = _root;
        while (node.IsExpanded && !node.State!.IsTerminal)
        {
            node = BestChild(node);
            node.State ??= path[^1].State!.Play(node.Action);
            path.Add(node);
        }
        if (node.State!.IsTerminal)
        {
            foreach (var n in path) n.VirtualLoss++;
            InFlight++;
            Backup(new Leaf(path), node.State.TerminalValue);
            return null;
        }
        if (node.Pending) { collided = true; return null; }
        node.Pending = true;
        foreach (var n in path) n.VirtualLoss++;
        InFlight++;
        return new Leaf(path);
    }

    /// <summary>Expands <paramref name="leaf"/> with <paramref name="priors"/> (one per action) and backs up <paramref name="value"/>.</summary>
    public void Complete(Leaf leaf, ReadOnlySpan<float> priors, float value)
    {
        var node = leaf.Node;
        node.Pending = false;
        if (!node.IsExpanded)
        {
            var state = node.State!;
            Span<int> legal = stackalloc int[state.Game.ActionCount];
            int n = state.LegalMoves(legal);
            float sum = 0;
            for (int i = 0; i < n; i++) sum += Math.Max(0f, priors[legal[i]]);
            var children = new MctsNode[n];
            for (int i = 0; i < n; i++)
                children[i] = new MctsNode(null, legal[i], sum > 0 ? Math.Max(0f, priors[legal[i]]) / sum : 1f / n);
            node.Children = children;
            if (node == _root && _noisePending) AddNoise();
        }
        Backup(leaf, value);
    }

    private void Backup(Leaf leaf, float value)
    {
        // value is for the player to move at the leaf; each node stores it for the player who moved into it.
        float v = -value;
        for (int i = leaf.Path.Count - 1; i >= 0; i--)
        {
            var n = leaf.Path[i];
            n.VirtualLoss--;
            n.Visits++;
            n.ValueSum += v;
            v = -v;
        }
        InFlight--;
        Done++;
    }

    private MctsNode BestChild(MctsNode parent)
    {
        double sqrtN = Math.Sqrt(Math.Max(1, parent.Visits + parent.VirtualLoss));
        MctsNode best = parent.Children![0];
        double bestScore = double.NegativeInfinity;
        foreach (var c in parent.Children)
        {
            int n = c.Visits + c.VirtualLoss;
            // A pending visit counts as a loss for the selecting player, steering the next selections elsewhere.
            double q = n == 0 ? 0 : (c.ValueSum - c.VirtualLoss) / n;
            double score = q + _options.CPuct * c.Prior * sqrtN / (1 + n);
            if (score > bestScore) { bestScore = score; best = c; }
        }
        return best;
    }

    private void AddNoise()
    {
        _noisePending = false;
        var children = _root.Children!;
        Span<double> noise = stackalloc double[children.Length];
        Dirichlet.Sample(_rng, _options.DirichletAlpha, noise);
        float eps = (float)_options.DirichletEpsilon;
        for (int i = 0; i < children.Length; i++) children[i].Prior = (1 - eps) * children[i].Prior + eps * (float)noise[i];
    }

    /// <summary>Root visit counts per action, normalised to sum to 1 (the training target π).</summary>
    public float[] VisitPolicy()
    {
        var pi = new float[Root.Game.ActionCount];
        if (_root.Children is null) return pi;
        float total = _root.Children.Sum(c => c.Visits);
        foreach (var c in _root.Children) pi[c.Action] = total > 0 ? c.Visits / total : 1f / _root.Children.Length;
        return pi;
    }

    /// <summary>
    /// The move: sampled in proportion to visits when <paramref name="sample"/> (temperature 1),
    /// else the most visited (temperature 0; ties to the higher prior).
    /// </summary>
    public int ChooseMove(bool sample)
    {
        var children = _root.Children ?? throw new InvalidOperationException("search the root before choosing a move");
        if (sample)
        {
            int total = children.Sum(c => c.Visits);
            int r = _rng.Next(Math.Max(1, total));
            foreach (var c in children) { if (r < c.Visits) return c.Action; r -= c.Visits; }
        }
        return children.OrderByDescending(c => c.Visits).ThenByDescending(c => c.Prior).First().Action;
    }

    /// <summary>Mean value of the root for its player to move, from the search.</summary>
    public float RootValue => _root.Visits == 0 ? 0 : -_root.ValueSum / _root.Visits;

    /// <summary>Moves the root to the child for <paramref name="action"/>, keeping its subtree.</summary>
    public void Advance(int action)
    {
        var child = _root.Children?.FirstOrDefault(c => c.Action == action);
        if (child is null || child.Pending) child = new MctsNode(Root.Play(action), action, 1f);
        child.State ??= Root.Play(action);
        _root = child;
        BeginMove();
    }

    /// <summary>A selected leaf waiting for its evaluation.</summary>
    public sealed class Leaf
    {
        internal Leaf(List<MctsNode> path) => Path = path;
        internal List<MctsNode> Path { get; }
        internal MctsNode Node => Path[^1];

        /// <summary>The leaf's position.</summary>
        public GameState State => Node.State!;
    }
}
