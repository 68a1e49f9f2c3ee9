using HpcLearn.Tasks.Games;

namespace HpcLearn.Tests.Tasks.Games;

/// <summary>
/// A deliberately plain Connect Four (a 6×7 array, wins found by scanning from the last stone),
/// the oracle that the bitboard implementation and the solver are checked against.
/// </summary>
internal sealed class ArrayConnectFour
{
    private readonly int[,] _cells = new int[6, 7]; // 0 empty, 1 first player, 2 second
    private readonly int[] _heights = new int[7];

    public int Moves { get; private set; }
    public bool LastMoveWon { get; private set; }
    public bool IsTerminal => LastMoveWon || Moves == 42;
    public bool CanPlay(int col) => _heights[col] < 6;

    /// <summary>The array board holding the stones of <paramref name="s"/> (row 0 at the bottom), its mover to play.</summary>
    public static ArrayConnectFour From(GameState s)
    {
        var b = new ArrayConnectFour();
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 7; c++)
            {
                int owner = s.Owner(r * 7 + c);
                if (owner < 0) continue;
                b._cells[r, c] = owner + 1;
                b._heights[c] = r + 1;
            }
        b.Moves = s.MovesPlayed;
        return b;
    }

    /// <summary>Whether the player not to move could make four by dropping a stone now.</summary>
    public bool OpponentCouldWinAtOnce()
    {
        int opponent = (Moves + 1) % 2 + 1;
        for (int c = 0; c < 7; c++)
            if (CanPlay(c) && Wins(_heights[c], c, opponent)) return true;
        return false;
    }

    public void Play(int col)
    {
        int row = _heights[col]++;
        int who = Moves % 2 + 1;
        _cells[row, col] = who;
        Moves++;
        LastMoveWon = Wins(row, col, who);
    }

    public void Undo(int col)
    {
        int row = --_heights[col];
        _cells[row, col] = 0;
        Moves--;
        LastMoveWon = false;
    }

    private bool Wins(int row, int col, int who)
    {
        foreach (var (dr, dc) in new[] { (0, 1), (1, 0), (1, 1), (1, -1) })
        {
            int n = 1;
            for (int k = 1; k < 4 && At(row + dr * k, col + dc * k) == who; k++) n++;
            for (int k = 1; k < 4 && At(row - dr * k, col - dc * k) == who; k++) n++;
            if (n >= 4) return true;
        }
        return false;
    }

    private int At(int r, int c) => r is >= 0 and < 6 && c is >= 0 and < 7 ? _cells[r, c] : -1;

    /// <summary>Leaf count at <paramref name="depth"/> plies, not expanding finished games.</summary>
    public long Perft(int depth)
    {
        if (depth == 0) return 1;
        if (IsTerminal) return 0;
        long n = 0;
        for (int c = 0; c < 7; c++)
        {
            if (!CanPlay(c)) continue;
            bool won = LastMoveWon;
            Play(c);
            n += Perft(depth - 1);
            Undo(c);
            LastMoveWon = won;
        }
        return n;
    }

    /// <summary>Plain negamax without pruning: Pons's score for the player to move.</summary>
    public int BruteForceScore()
    {
        if (Moves == 42) return 0;
        int best = int.MinValue;
        for (int c = 0; c < 7; c++)
        {
            if (!CanPlay(c)) continue;
            Play(c);
            int s = LastMoveWon ? (42 + 1 - (Moves - 1)) / 2 : Moves == 42 ? 0 : -BruteForceScore();
            Undo(c);
            best = Math.Max(best, s);
        }
        return best;
    }
}
