namespace HpcLearn.Tasks.Games;

/// <summary>Tic-tac-toe on 3×3: actions are cells 0..8 (row-major, top row first).</summary>
public sealed class TicTacToe : Game
{
    /// <summary>The one instance.</summary>
    public static TicTacToe Instance { get; } = new();

    /// <summary>The name in configs and model folders.</summary>
    public const string GameName = "tic_tac_toe";

    private TicTacToe()
    {
        // The 8 symmetries of the square: 4 rotations, each with and without a mirror.
        var list = new List<Symmetry>();
        for (int mirror = 0; mirror < 2; mirror++)
            for (int rot = 0; rot < 4; rot++)
            {
                var map = new int[9];
                for (int r = 0; r < 3; r++)
                    for (int c = 0; c < 3; c++)
                    {
                        int rr = r, cc = mirror == 1 ? 2 - c : c;
                        for (int k = 0; k < rot; k++) (rr, cc) = (cc, 2 - rr);
                        map[r * 3 + c] = rr * 3 + cc;
                    }
                list.Add(new Symmetry(map, map));
            }
        Symmetries = list;
    }

    /// <inheritdoc />
    public override string Name => GameName;
    /// <inheritdoc />
    public override int Rows => 3;
    /// <inheritdoc />
    public override int Cols => 3;
    /// <inheritdoc />
    public override int ActionCount => 9;
    /// <inheritdoc />
    public override IReadOnlyList<Symmetry> Symmetries { get; }
    /// <inheritdoc />
    public override int LineLength => 3;
    /// <inheritdoc />
    public override double DefaultDirichletAlpha => 1.0;
    /// <inheritdoc />
    public override GameState Initial() => new TicTacToeState(0, 0);
    /// <inheritdoc />
    public override string MovePrompt => "your move (cell 1-9, numbered left to right, top to bottom)";

    /// <inheritdoc />
    public override int? ParseMove(string text) => int.TryParse(text.Trim(), out int n) && n is >= 1 and <= 9 ? n - 1 : null;

    /// <inheritdoc />
    public override string FormatMove(int action) => (action + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
