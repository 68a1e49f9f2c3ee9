namespace HpcLearn.Tasks.Games;

/// <summary>
/// The rules of a two-player, zero-sum, perfect-information board game on a grid: its size,
/// its actions, its start position and its symmetries. Cells are numbered <c>row * Cols + col</c>
/// with row 0 at the bottom (Connect Four) or top (tic-tac-toe); the encoding and symmetries use
/// the same numbering.
/// </summary>
public abstract class Game
{
    /// <summary>Name in configs and model folders (<c>tic_tac_toe</c>, <c>connect_four</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Board rows.</summary>
    public abstract int Rows { get; }

    /// <summary>Board columns.</summary>
    public abstract int Cols { get; }

    /// <summary>Number of distinct actions (policy vector length).</summary>
    public abstract int ActionCount { get; }

    /// <summary>Board cells.</summary>
    public int Cells => Rows * Cols;

    /// <summary>Stones in a row that win (Connect Four 4, tic-tac-toe 3): what <see cref="ThreatPlanes"/> looks for.</summary>
    public abstract int LineLength { get; }

    /// <summary>Input planes of <see cref="GameState.Encode"/>: mover's stones, opponent's stones, ones.</summary>
    public const int Planes = 3;

    /// <summary>The start position.</summary>
    public abstract GameState Initial();

    /// <summary>The board's symmetries (identity first), as permutations of cells and actions.</summary>
    public abstract IReadOnlyList<Symmetry> Symmetries { get; }

    /// <summary>The Dirichlet α for root noise that suits the game's branching factor.</summary>
    public abstract double DefaultDirichletAlpha { get; }

    /// <summary>Parses a human's move (1-based column or cell); null when it is not a move at all.</summary>
    public abstract int? ParseMove(string text);

    /// <summary>An action as a human types it.</summary>
    public abstract string FormatMove(int action);

    /// <summary>What a human is asked to type.</summary>
    public abstract string MovePrompt { get; }

    /// <summary>Plays a sequence of actions from the start, checking each is legal.</summary>
    public GameState FromMoves(IEnumerable<int> actions)
    {
        var s = Initial();
        foreach (int a in actions)
        {
            if (s.IsTerminal || !s.IsLegal(a)) throw new ArgumentException($"move {FormatMove(a)} is illegal after {s.MovesPlayed} moves");
            s = s.Play(a);
        }
        return s;
    }
}
