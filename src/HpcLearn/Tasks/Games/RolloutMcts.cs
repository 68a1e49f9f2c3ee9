namespace HpcLearn.Tasks.Games;

/// <summary>
/// Plain Monte Carlo tree search (UCT, Kocsis and Szepesvári 2006): UCB1 selection, one new node
/// per simulation, a uniformly random playout to the end, the result backed up. No network.
/// </summary>
public sealed class RolloutMcts(int rollouts, int seed, double exploration = 1.41421356)
{
    private readonly Random _rng = new(seed);

    private sealed class Node(GameState state, int action)
    {
        public readonly GameState State = state;
        public readonly int Action = action;
        public int Visits;
        public double Wins; // for the player who moved into this node
        public List<Node>? Children;
        public int[]? Untried;
        public int UntriedCount;
    }

    /// <summary>Rollouts per move.</summary>
    public int Rollouts => rollouts;

    /// <summary>The most visited move after <see cref="Rollouts"/> simulations from <paramref name="state"/>.</summary>
    public int Search(GameState state)
    {
        var root = new Node(state, -1);
        var path = new List<Node>();
        for (int i = 0; i < rollouts; i++)
        {
            path.Clear();
            var node = root;
            path.Add(node);
            while (!node.State.IsTerminal)
            {
                if (node.Untried is null) { node.Untried = node.State.LegalMoves(); node.UntriedCount = node.Untried.Length; node.Children = new(); }
                if (node.UntriedCount > 0)
                {
                    int k = _rng.Next(node.UntriedCount);
                    int a = node.Untried[k];
                    node.Untried[k] = node.Untried[--node.UntriedCount];
                    var child = new Node(node.State.Play(a), a);
                    node.Children!.Add(child);
                    path.Add(child);
                    node = child;
                    break;
                }
                node = Ucb(node);
                path.Add(node);
            }
            int winner = Playout(node.State);
            foreach (var n in path)
            {
                n.Visits++;
                int mover = 1 - n.State.ToMove; // the player who moved into n
                n.Wins += winner < 0 ? 0.5 : winner == mover ? 1 : 0;
            }
        }
        return root.Children!.OrderByDescending(c => c.Visits).First().Action;
    }

    private Node Ucb(Node parent)
    {
        double logN = Math.Log(parent.Visits);
        Node best = parent.Children![0];
        double bestScore = double.NegativeInfinity;
        foreach (var c in parent.Children)
        {
            double s = c.Wins / c.Visits + exploration * Math.Sqrt(logN / c.Visits);
            if (s > bestScore) { bestScore = s; best = c; }
        }
        return best;
    }

    private int Playout(GameState s)
    {
        Span<int> legal = stackalloc int[s.Game.ActionCount];
        while (!s.IsTerminal)
        {
            int n = s.LegalMoves(legal);
            s = s.Play(legal[_rng.Next(n)]);
        }
        return s.Winner;
    }
}
