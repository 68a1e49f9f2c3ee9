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
        int actions = evaluator.Game.ActionCount, evaluated = 0;
        var leaves = new List<(PuctTree Tree, PuctTree.Leaf Leaf)>();
        var states = new List<GameState>();
        float[] priors = [], values = [];
        while (true)
        {
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
            if (leaves.Count == 0) return evaluated;
            if (priors.Length < leaves.Count * actions) { priors = new float[leaves.Count * actions * 2]; values = new float[leaves.Count * 2]; }
            evaluator.Evaluate(states, priors, values);
            for (int i = 0; i < leaves.Count; i++)
                leaves[i].Tree.Complete(leaves[i].Leaf, priors.AsSpan(i * actions, actions), values[i]);
            evaluated += leaves.Count;
        }
    }
}
