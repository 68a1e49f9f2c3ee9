namespace HpcLearn.Tasks.Games;

/// <summary>
/// An immutable position. Players are 0 (moves first) and 1. In both games only the player who
/// just moved can have won, so a terminal position is a loss or a draw for the player to move.
/// </summary>
public abstract class GameState
{
    /// <summary>The game's rules.</summary>
    public abstract Game Game { get; }

    /// <summary>Moves played so far.</summary>
    public abstract int MovesPlayed { get; }

    /// <summary>The player to move: 0 or 1.</summary>
    public int ToMove => MovesPlayed & 1;

    /// <summary>Whether the player who just moved has won.</summary>
    public abstract bool LastMoveWon { get; }

    /// <summary>Whether the game is over (a win or a full board).</summary>
    public abstract bool IsTerminal { get; }

    /// <summary>The winner (0 or 1), or -1 for a draw or an unfinished game.</summary>
    public int Winner => LastMoveWon ? 1 - ToMove : -1;

    /// <summary>The game's value for the player to move at a terminal position: -1 lost, 0 drawn.</summary>
    public float TerminalValue => LastMoveWon ? -1f : 0f;

    /// <summary>Whether <paramref name="action"/> may be played now (false once the game is over).</summary>
    public abstract bool IsLegal(int action);

    /// <summary>Writes the legal actions into <paramref name="dest"/> (length ≥ ActionCount); returns how many.</summary>
    public int LegalMoves(Span<int> dest)
    {
        int n = 0;
        if (IsTerminal) return 0;
        for (int a = 0; a < Game.ActionCount; a++) if (IsLegal(a)) dest[n++] = a;
        return n;
    }

    /// <summary>The legal actions as a new array.</summary>
    public int[] LegalMoves()
    {
        Span<int> buf = stackalloc int[Game.ActionCount];
        return buf[..LegalMoves(buf)].ToArray();
    }

    /// <summary>The position after <paramref name="action"/> (which must be legal).</summary>
    public abstract GameState Play(int action);

    /// <summary>Who holds <paramref name="cell"/>: 0, 1, or -1 when empty.</summary>
    public abstract int Owner(int cell);

    /// <summary>A key unique to the position (stones of both players).</summary>
    public abstract ulong Key { get; }

    /// <summary>
    /// The canonical encoding seen from the player to move, (3, Rows, Cols) floats: the mover's
    /// stones, the opponent's stones, and a plane of ones (so padding shows where the board ends).
    /// </summary>
    public void Encode(Span<float> dest)
    {
        int n = Game.Cells, me = ToMove;
        for (int c = 0; c < n; c++)
        {
            int o = Owner(c);
            dest[c] = o == me ? 1f : 0f;
            dest[n + c] = o == 1 - me ? 1f : 0f;
            dest[2 * n + c] = 1f;
        }
    }

    /// <summary>The board as text, one line per row, top row first, with the column or cell labels.</summary>
    public abstract string Render();
}
