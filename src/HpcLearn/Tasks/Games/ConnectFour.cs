namespace HpcLearn.Tasks.Games;

/// <summary>Connect Four on 7 columns × 6 rows: actions are columns 0..6.</summary>
public sealed class ConnectFour : Game
{
    /// <summary>The one instance.</summary>
    public static ConnectFour Instance { get; } = new();

    /// <summary>The name in configs and model folders.</summary>
    public const string GameName = "connect_four";

    private ConnectFour()
    {
        int[] cells = new int[42], mirroredCells = new int[42], actions = new int[7], mirroredActions = new int[7];
        for (int c = 0; c < 7; c++) { actions[c] = c; mirroredActions[c] = 6 - c; }
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 7; c++) { cells[r * 7 + c] = r * 7 + c; mirroredCells[r * 7 + c] = r * 7 + 6 - c; }
        Symmetries = [new Symmetry(cells, actions), new Symmetry(mirroredCells, mirroredActions)];
    }

    /// <inheritdoc />
    public override string Name => GameName;
    /// <inheritdoc />
    public override int Rows => 6;
    /// <inheritdoc />
    public override int Cols => 7;
    /// <inheritdoc />
    public override int ActionCount => 7;
    /// <inheritdoc />
    public override IReadOnlyList<Symmetry> Symmetries { get; }
    /// <inheritdoc />
    public override int LineLength => 4;
    /// <inheritdoc />
    public override double DefaultDirichletAlpha => 1.0;
    /// <inheritdoc />
    public override GameState Initial() => new ConnectFourState(0, 0, 0);
    /// <inheritdoc />
    public override string MovePrompt => "your move (column 1-7)";

    /// <inheritdoc />
    public override int? ParseMove(string text) => int.TryParse(text.Trim(), out int n) && n is >= 1 and <= 7 ? n - 1 : null;

    /// <inheritdoc />
    public override string FormatMove(int action) => (action + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
