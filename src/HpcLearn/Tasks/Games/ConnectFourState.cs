using System.Text;
using static HpcLearn.Tasks.Games.ConnectFourBits;

namespace HpcLearn.Tasks.Games;

/// <summary>A Connect Four position as two bitboards (see <see cref="ConnectFourBits"/>).</summary>
public sealed class ConnectFourState : GameState
{
    /// <summary>Creates a position from the mover's stones, all stones and the move count.</summary>
    public ConnectFourState(ulong current, ulong mask, int moves)
    {
        Current = current; Mask = mask; MovesPlayed = moves;
        LastMoveWon = moves >= 7 && HasFour(current ^ mask);
    }

    /// <summary>The stones of the player to move.</summary>
    public ulong Current { get; }
    /// <summary>All stones.</summary>
    public ulong Mask { get; }

    /// <inheritdoc />
    public override Game Game => ConnectFour.Instance;
    /// <inheritdoc />
    public override int MovesPlayed { get; }
    /// <inheritdoc />
    public override bool LastMoveWon { get; }
    /// <inheritdoc />
    public override bool IsTerminal => LastMoveWon || MovesPlayed == Width * Height;
    /// <inheritdoc />
    public override bool IsLegal(int action) => !IsTerminal && action is >= 0 and < Width && (Mask & TopOf(action)) == 0;

    /// <inheritdoc />
    public override GameState Play(int action)
    {
        ulong mask = Mask | (Mask + BottomOf(action));
        return new ConnectFourState(Current ^ Mask, mask, MovesPlayed + 1);
    }

    /// <inheritdoc />
    public override int Owner(int cell)
    {
        ulong bit = 1UL << ((cell % Width) * H1 + cell / Width);
        if ((Mask & bit) == 0) return -1;
        return (Current & bit) != 0 ? ToMove : 1 - ToMove;
    }

    /// <inheritdoc />
    public override ulong Key => Current + Mask;

    /// <inheritdoc />
    public override string Render()
    {
        var sb = new StringBuilder();
        for (int r = Height - 1; r >= 0; r--)
        {
            for (int c = 0; c < Width; c++)
            {
                sb.Append(Owner(r * Width + c) switch { 0 => 'X', 1 => 'O', _ => '.' });
                if (c < Width - 1) sb.Append(' ');
            }
            sb.Append('\n');
        }
        sb.Append("1 2 3 4 5 6 7\n");
        return sb.ToString();
    }
}
