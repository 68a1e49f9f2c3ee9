namespace HpcLearn.Tasks.Games;

/// <summary>
/// Runs several searches at once (one per game in flight): each round gathers up to
/// <see cref="MctsOptions.ParallelLeaves"/> leaves from every tree (virtual loss keeps them
/// apart), evaluates all of them in one batch, and backs them up.
/// </summary>
public static class BatchedSearch
{
    /// <summary>Searches every tree until its simulations for this move are done; returns leaves evaluated.</summary>
    public static int Run(IReadOnlyList<PuctTree> trees, IPolicyValue evaluator, int parallelLeaves)
    {
        var buffers = new Buffers();
        int evaluated = 0;
        while (true)
        {
            int n = Round(trees, evaluator, parallelLeaves, buffers);
            if (n == 0) return evaluated;
            evaluated += n;
        }
    }

    /// <summary>
    /// One round: up to <paramref name="parallelLeaves"/> leaves from every tree that still needs
    /// simulations for its move, evaluated in one batch and backed up. Returns the leaves evaluated
    /// (0: no tree needed an evaluation). Self-play calls it directly so that a game whose search is
    /// done moves on while the others go on searching, and every batch stays full.
    /// </summary>
    public static int Round(IReadOnlyList<PuctTree> trees, IPolicyValue evaluator, int parallelLeaves, Buffers buffers)
    {
        int actions = evaluator.Game.ActionCount;
        var leaves = buffers.Leaves;
        var states = buffers.States;
        leaves.Clear();
        states.Clear();
        foreach (var tree in trees)
            for (int k = 0; k < parallelLeaves && tree.NeedsMore; k++)
            {
                var leaf = tree.Select(out bool collided);
                if (collided) break;
                if (leaf is null) { k--; continue; } // a terminal leaf was backed up at once; it costs no evaluation
                leaves.Add((tree, leaf));
                states.Add(leaf.State);
            }
        if (leaves.Count == 0) return 0;
        if (buffers.Priors.Length < leaves.Count * actions) { buffers.Priors = new float[leaves.Count * actions * 2]; buffers.Values = new float[leaves.Count * 2]; }
        evaluator.Evaluate(states, buffers.Priors, buffers.Values);
        for (int i = 0; i < leaves.Count; i++)
            leaves[i].Tree.Complete(leaves[i].Leaf, buffers.Priors.AsSpan(i * actions, actions), buffers.Values[i]);
        return leaves.Count;
    }

    /// <summary>Work space of <see cref="Round"/>, kept between rounds.</summary>
    public sealed class Buffers
    {
        internal List<(PuctTree Tree, PuctTree.Leaf Leaf)> Leaves { get; } = [];
        internal List<GameState> States { get; } = [];
        internal float[] Priors { get; set; } = [];
        internal float[] Values { get; set; } = [];
    }
}
