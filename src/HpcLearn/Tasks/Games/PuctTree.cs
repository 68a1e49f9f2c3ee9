namespace HpcLearn.Tasks.Games;

/// <summary>
/// One AlphaZero search tree: PUCT selection (Q + c·P·√N / (1 + n)), Dirichlet noise on the root
/// priors, virtual loss on pending paths, and subtree reuse after a move. Leaves are evaluated
/// outside, in batches across trees (<see cref="BatchedSearch"/>). With
/// <see cref="MctsOptions.Solver"/>, MCTS-Solver (Winands, Björnsson and Saito 2008) proves
/// wins, draws and losses: a terminal child is proven when its parent is expanded; a node with a
/// child won by the player to move there is won for that player, and a node whose children are
/// all proven takes the best of them (negamax). Proven nodes are not searched again, and their
/// exact value is what the backup carries up from them.
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

    /// <summary>
    /// This move's simulations when they differ from <see cref="MctsOptions.Simulations"/> (at least 1;
    /// null: the options'). Self-play sets it per move (<see cref="SolverTargets.Simulations"/>).
    /// </summary>
    public int? Simulations
    {
        get => _simulations;
        set => _simulations = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(value), "at least 1 simulation") : value;
    }

    private int? _simulations;

    /// <summary>Whether this move's simulations are all started.</summary>
    public bool NeedsMore => Done + InFlight < (_simulations ?? _options.Simulations) && !Root.IsTerminal && _root.Proven is null;

    /// <summary>
    /// The root's proven outcome for its player to move (+1 won, 0 drawn, -1 lost), or null while
    /// unproven (always null without <see cref="MctsOptions.Solver"/>).
    /// </summary>
    public int? RootProven => -_root.Proven;

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
            {
                var child = children[i] = new MctsNode(null, legal[i], sum > 0 ? Math.Max(0f, priors[legal[i]]) / sum : 1f / n);
                if (!_options.Solver) continue;
                // A move that ends the game is proven now, whatever its prior: a win in one is never missed.
                child.State = state.Play(legal[i]);
                if (child.State.IsTerminal) child.Proven = (sbyte)-child.State.TerminalValue;
            }
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
            if (_options.Solver)
            {
                // Only a node whose child on the path is proven (or a leaf just expanded) can become proven.
                if (n.Proven is null && (i == leaf.Path.Count - 1 || leaf.Path[i + 1].Proven is not null)) n.Proven = Prove(n);
                if (n.Proven is sbyte exact) v = exact;
            }
            n.VirtualLoss--;
            n.Visits++;
            n.ValueSum += v;
            v = -v;
        }
        InFlight--;
        Done++;
    }

    /// <summary>The proven value of <paramref name="node"/> (mover-into view) if it follows from its position or its children, else null.</summary>
    private static sbyte? Prove(MctsNode node)
    {
        if (node.State!.IsTerminal) return (sbyte)-node.State.TerminalValue;
        if (node.Children is null) return null;
        int best = -1;
        foreach (var c in node.Children)
        {
            // A child's value is for the player to move at node: one proven win makes node lost for the player who moved into it.
            if (c.Proven == 1) return -1;
            if (c.Proven is null) best = int.MinValue;
            else if (best != int.MinValue) best = Math.Max(best, c.Proven.Value);
        }
        return best == int.MinValue ? null : (sbyte)-best;
    }

    private MctsNode BestChild(MctsNode parent)
    {
        double sqrtN = Math.Sqrt(Math.Max(1, parent.Visits + parent.VirtualLoss));
        MctsNode best = parent.Children![0];
        double bestScore = double.NegativeInfinity;
        // An unproven node has an unproven child (else it would be proven), so skipping proven ones leaves a choice.
        bool skipProven = _options.Solver && parent.Proven is null;
        foreach (var c in parent.Children)
        {
            if (skipProven && c.Proven is not null) continue;
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

    /// <summary>
    /// The root children's weights for the move and the training target: their visits; with the
    /// solver, only the proven winning moves when there are any (weight 1 each), only the proven
    /// drawing moves when the root is a proven draw, and no weight on proven losses unless every
    /// move loses; equal weights when nothing is left visited.
    /// </summary>
    internal static int[] MoveWeights(MctsNode[] children, bool solver)
    {
        var w = new int[children.Length];
        bool anyWin = children.Any(c => c.Proven == 1), allLost = children.All(c => c.Proven == -1);
        bool drawn = !anyWin && children.All(c => c.Proven is <= 0) && children.Any(c => c.Proven == 0);
        for (int i = 0; i < children.Length; i++)
        {
            var c = children[i];
            w[i] = !solver || allLost ? c.Visits
                : anyWin ? (c.Proven == 1 ? 1 : 0)
                : drawn ? (c.Proven == 0 ? 1 : 0)
                : c.Proven == -1 ? 0 : c.Visits;
        }
        if (solver && w.Sum() == 0)
            for (int i = 0; i < children.Length; i++) w[i] = allLost || children[i].Proven != -1 ? 1 : 0;
        return w;
    }

    /// <summary>Root visit counts per action, normalised to sum to 1 (the training target π; with the solver, see the move's weights).</summary>
    public float[] VisitPolicy()
    {
        var pi = new float[Root.Game.ActionCount];
        if (_root.Children is null) return pi;
        var w = MoveWeights(_root.Children, _options.Solver);
        float total = w.Sum();
        for (int i = 0; i < w.Length; i++) pi[_root.Children[i].Action] = total > 0 ? w[i] / total : 1f / w.Length;
        return pi;
    }

    /// <summary>
    /// The move: sampled in proportion to visits when <paramref name="sample"/> (temperature 1),
    /// else the most visited (temperature 0; ties to the higher prior). With the solver: a proven
    /// win if there is one; never a proven loss unless every move loses; and a proven draw rather
    /// than an unproven move whose mean value is below a draw.
    /// </summary>
    public int ChooseMove(bool sample)
    {
        var children = _root.Children ?? throw new InvalidOperationException("search the root before choosing a move");
        var w = MoveWeights(children, _options.Solver);
        if (sample)
        {
            int r = _rng.Next(Math.Max(1, w.Sum()));
            for (int i = 0; i < w.Length; i++) { if (r < w[i]) return children[i].Action; r -= w[i]; }
        }
        return BestMove(children, w, _options.Solver).Action;
    }

    /// <summary>The child of highest weight (ties to the higher prior); with the solver, a proven draw beats an undecided child whose mean is below a draw.</summary>
    internal static MctsNode BestMove(MctsNode[] children, int[] weights, bool solver)
    {
        var best = Enumerable.Range(0, children.Length).OrderByDescending(i => weights[i]).ThenByDescending(i => children[i].Prior).Select(i => children[i]).First();
        if (solver && best.Proven is null && best.Mean < 0 && children.FirstOrDefault(c => c.Proven == 0) is { } draw) best = draw;
        return best;
    }

    /// <summary>Value of the root for its player to move: the proven one, else the mean from the search.</summary>
    public float RootValue => _root.Proven is sbyte p ? -p : _root.Visits == 0 ? 0 : -_root.ValueSum / _root.Visits;

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
