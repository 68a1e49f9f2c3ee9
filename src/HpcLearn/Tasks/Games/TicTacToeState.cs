using System.Text;

namespace HpcLearn.Tasks.Games;

/// <summary>A tic-tac-toe position: one 9-bit mask of stones per player.</summary>
public sealed class TicTacToeState : GameState
{
    private static readonly int[] Lines = [0b000000111, 0b000111000, 0b111000000, 0b001001001, 0b010010010, 0b100100100, 0b100010001, 0b001010100];

    /// <summary>Creates the position with the given stones of player 0 (X) and player 1 (O).</summary>
    public TicTacToeState(int x, int o)
    {
        X = x; O = o;
        MovesPlayed = System.Numerics.BitOperations.PopCount((uint)(x | o));
        int last = (MovesPlayed & 1) == 1 ? x : o;
        LastMoveWon = MovesPlayed > 0 && Lines.Any(l => (last & l) == l);
    }

    /// <summary>Whether <paramref name="stones"/> hold two of a line whose third cell is empty in <paramref name="taken"/>.</summary>
    public static bool Threatens(int stones, int taken) =>
        Lines.Any(l => System.Numerics.BitOperations.PopCount((uint)(stones & l)) == 2 && (taken & l) == (stones & l));

    /// <summary>Player 0's stones.</summary>
    public int X { get; }
    /// <summary>Player 1's stones.</summary>
    public int O { get; }

    /// <inheritdoc />
    public override Game Game => TicTacToe.Instance;
    /// <inheritdoc />
    public override int MovesPlayed { get; }
    /// <inheritdoc />
    public override bool LastMoveWon { get; }
    /// <inheritdoc />
    public override bool IsTerminal => LastMoveWon || MovesPlayed == 9;
    /// <inheritdoc />
    public override bool IsLegal(int action) => !IsTerminal && action is >= 0 and < 9 && ((X | O) >> action & 1) == 0;
    /// <inheritdoc />
    public override GameState Play(int action) => ToMove == 0 ? new TicTacToeState(X | 1 << action, O) : new TicTacToeState(X, O | 1 << action);
    /// <inheritdoc />
    public override int Owner(int cell) => (X >> cell & 1) == 1 ? 0 : (O >> cell & 1) == 1 ? 1 : -1;
    /// <inheritdoc />
    public override ulong Key => (ulong)(uint)X | (ulong)(uint)O << 9;

    /// <inheritdoc />
    public override string Render()
    {
        var sb = new StringBuilder();
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                int cell = r * 3 + c;
                sb.Append(Owner(cell) switch { 0 => 'X', 1 => 'O', _ => (char)('1' + cell) });
                if (c < 2) sb.Append(' ');
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
