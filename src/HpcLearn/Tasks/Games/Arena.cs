namespace HpcLearn.Tasks.Games;

/// <summary>Plays matches between two players, alternating who moves first.</summary>
public static class Arena
{
    /// <summary>
    /// Plays <paramref name="games"/> games of <paramref name="game"/>: A moves first in the even ones.
    /// <paramref name="onGame"/> hears (games done, result so far) after each game.
    /// </summary>
    public static ArenaResult Play(Game game, IPlayer a, IPlayer b, int games, Action<int, ArenaResult>? onGame = null)
    {
        var result = new ArenaResult();
        for (int g = 0; g < games; g++)
        {
            bool aFirst = g % 2 == 0;
            int winner = PlayOne(game, aFirst ? a : b, aFirst ? b : a);
            int aSide = aFirst ? 0 : 1;
            var add = winner < 0 ? (0, 1, 0) : winner == aSide ? (1, 0, 0) : (0, 0, 1);
            result = aFirst
                ? result with { AsFirst = (result.AsFirst.Wins + add.Item1, result.AsFirst.Draws + add.Item2, result.AsFirst.Losses + add.Item3) }
                : result with { AsSecond = (result.AsSecond.Wins + add.Item1, result.AsSecond.Draws + add.Item2, result.AsSecond.Losses + add.Item3) };
            onGame?.Invoke(g + 1, result);
        }
        return result;
    }

    /// <summary>Plays one game; returns the winner (0 first, 1 second) or -1 for a draw.</summary>
    public static int PlayOne(Game game, IPlayer first, IPlayer second)
    {
        var s = game.Initial();
        while (!s.IsTerminal)
        {
            var player = s.ToMove == 0 ? first : second;
            int move = player.ChooseMove(s);
            if (!s.IsLegal(move)) throw new InvalidOperationException($"{player.Name} chose the illegal move {move}");
            s = s.Play(move);
        }
        return s.Winner;
    }
}
