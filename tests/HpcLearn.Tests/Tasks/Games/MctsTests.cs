using HpcLearn.Tasks.Games;
using Xunit;

namespace HpcLearn.Tests.Tasks.Games;

public sealed class MctsTests
{
    private static MctsOptions Search(int sims, int leaves = 1, double alpha = 0) => new() { Simulations = sims, ParallelLeaves = leaves, DirichletAlpha = alpha };

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Puct_without_knowledge_takes_a_win_and_blocks_a_loss(int leaves)
    {
        var uniform = new UniformPolicyValue(TicTacToe.Instance);
        // X: 0, 1; O: 3, 4; X to move: 2 wins (5 would only block).
        var win = TicTacToe.Instance.FromMoves([0, 3, 1, 4]);
        var tree = new PuctTree(win, Search(400, leaves), new Random(1));
        BatchedSearch.Run([tree], uniform, leaves);
        Assert.Equal(2, tree.ChooseMove(sample: false));
        // X: 0, 8; O: 4; then X 2? O to move after X 0, O 4, X 8, O 2, X 6 threatens 3 (column 0,3,6) and 7 (row 6,7,8).
        var block = TicTacToe.Instance.FromMoves([0, 4, 1]); // O must take 2
        tree = new PuctTree(block, Search(400, leaves), new Random(1));
        BatchedSearch.Run([tree], uniform, leaves);
        Assert.Equal(2, tree.ChooseMove(sample: false));
    }

    [Fact]
    public void Batched_search_gives_every_tree_its_simulations_in_fewer_evaluations()
    {
        var uniform = new UniformPolicyValue(ConnectFour.Instance);
        var rng = new Random(3);
        var trees = Enumerable.Range(0, 8).Select(_ => new PuctTree(ConnectFour.Instance.Initial(), Search(64, 4, alpha: 1.0), rng)).ToList();
        int evaluated = BatchedSearch.Run(trees, uniform, 4);
        Assert.Equal(8 * 64, evaluated); // no terminal leaves this early: every simulation needed an evaluation
        Assert.True(uniform.Calls <= 64 / 4 + 8, $"{uniform.Calls} batches for 8 trees × 64 simulations");
        foreach (var t in trees)
        {
            Assert.Equal(64, t.Done);
            Assert.Equal(0, t.InFlight);
            Assert.Equal(1f, t.VisitPolicy().Sum(), 3);
        }
    }

    [Fact]
    public void Virtual_loss_spreads_parallel_leaves_over_different_moves()
    {
        var uniform = new UniformPolicyValue(ConnectFour.Instance);
        var tree = new PuctTree(ConnectFour.Instance.Initial(), Search(8, 8), new Random(0));
        BatchedSearch.Run([tree], uniform, 8);
        // One root evaluation, then 7 leaves in one round: virtual loss sends each to a different column.
        Assert.Equal(7, tree.VisitPolicy().Count(p => p > 0));
    }

    [Fact]
    public void Advance_keeps_the_subtree_and_restarts_the_count()
    {
        var uniform = new UniformPolicyValue(TicTacToe.Instance);
        var tree = new PuctTree(TicTacToe.Instance.Initial(), Search(50), new Random(0));
        BatchedSearch.Run([tree], uniform, 1);
        int move = tree.ChooseMove(false);
        tree.Advance(move);
        Assert.Equal(1, tree.Root.MovesPlayed);
        Assert.Equal(0, tree.Done);
        Assert.True(tree.VisitPolicy().Sum() > 0.99f); // the reused subtree's visits are there
    }

    [Fact]
    public void Dirichlet_samples_lie_on_the_simplex_with_mean_one_over_k()
    {
        var rng = new Random(5);
        var sum = new double[4];
        Span<double> x = stackalloc double[4];
        for (int i = 0; i < 4000; i++)
        {
            Dirichlet.Sample(rng, 0.3, x);
            Assert.Equal(1.0, x[0] + x[1] + x[2] + x[3], 9);
            for (int k = 0; k < 4; k++) sum[k] += x[k];
        }
        Assert.All(sum, s => Assert.InRange(s / 4000, 0.22, 0.28));
        double g = 0;
        for (int i = 0; i < 4000; i++) g += Dirichlet.Gamma(rng, 2.5);
        Assert.InRange(g / 4000, 2.35, 2.65); // E[Gamma(α, 1)] = α
    }

    [Fact]
    public void Rollout_mcts_wins_and_blocks_in_connect_four()
    {
        var win = ConnectFour.Instance.FromMoves([3, 3, 4, 4, 5, 5]); // X to move: 2 or 6 wins
        Assert.Contains(new RolloutMcts(300, 1).Search(win), new[] { 2, 6 });
        var block = ConnectFour.Instance.FromMoves([0, 3, 6, 3, 6, 3]); // X must block column 4 (index 3)
        Assert.Equal(3, new RolloutMcts(300, 1).Search(block));
    }
}
