using static TorchSharp.torch;

namespace HpcLearn.Tasks.Games;

/// <summary>
/// Fixed input features computed inside the network from the encoding's stone planes
/// (<c>model.threat_planes</c>), so examples, replay buffers and MPI exchange keep the three planes
/// of <see cref="GameState.Encode"/>: four planes appended after them —
/// <list type="number">
/// <item>the mover's threats: empty cells that would complete a line of <see cref="Game.LineLength"/> with the mover's stones
/// (playable now or not: in Connect Four a threat high in a column decides endgames);</item>
/// <item>the opponent's threats, alike;</item>
/// <item>ones where the mover is the first player (equal stone counts), zeros otherwise;</item>
/// <item>ones on the game's rows 0, 2, 4, … (in Connect Four the 1st, 3rd and 5th from the bottom;
/// tic-tac-toe numbers from the top, and the plane means nothing there): with the plane before it,
/// the parity of Connect Four's zugzwang (a first player's threat on an odd row, a second player's
/// on an even one, is the kind that wins endgames).</item>
/// </list>
/// A threat is found by one fixed convolution: a kernel per direction and place of the cell in
/// the line, ones on the line's other cells; the cell is a threat where some kernel counts them
/// all. Nothing here is trained.
/// </summary>
public sealed class ThreatPlanes : nn.Module<Tensor, Tensor>
{
    /// <summary>Planes added to the input.</summary>
    public const int Added = 4;

    private readonly int _line, _rows, _cols;
    private readonly Tensor kernels, oddRows;

    /// <summary>Creates the features for <paramref name="game"/>.</summary>
    public ThreatPlanes(Game game) : base(nameof(ThreatPlanes))
    {
        _line = game.LineLength;
        _rows = game.Rows; _cols = game.Cols;
        int size = 2 * _line - 1, mid = _line - 1;
        (int dr, int dc)[] directions = [(0, 1), (1, 0), (1, 1), (1, -1)];
        var w = new float[directions.Length * _line * size * size];
        int k = 0;
        foreach (var (dr, dc) in directions)
            for (int at = 0; at < _line; at++, k++)          // the cell is the line's at-th
                for (int j = 0; j < _line; j++)
                    if (j != at) w[(k * size + mid + dr * (j - at)) * size + mid + dc * (j - at)] = 1f;
        kernels = tensor(w, [k, 1, size, size]);
        var odd = new float[_rows * _cols];
        for (int r = 0; r < _rows; r += 2)
            for (int c = 0; c < _cols; c++) odd[r * _cols + c] = 1f;
        oddRows = tensor(odd, [1, 1, _rows, _cols]);
        register_buffer(nameof(kernels), kernels, persistent: false);
        register_buffer(nameof(oddRows), oddRows, persistent: false);
    }

    /// <summary>(B, 3, rows, cols) → (B, 3 + <see cref="Added"/>, rows, cols); no gradient flows into the added planes.</summary>
    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0];
        using var noGrad = no_grad();
        var stones = x.narrow(1, 0, 2);                                                  // (B, 2, H, W): mover, opponent
        var empty = stones.sum(1, keepdim: true).neg_().add_(1);                         // (B, 1, H, W)
        var counts = nn.functional.conv2d(stones.reshape(b * 2, 1, _rows, _cols), kernels, padding: [_line - 1, _line - 1]); // (2B, K, H, W)
        var threats = counts.amax([1]).reshape(b, 2, _rows, _cols).ge(_line - 1.5).to_type(x.dtype).mul_(empty); // (B, 2, H, W)
        var perSide = stones.sum([2, 3]);                                                // (B, 2)
        var first = perSide.select(1, 0).eq(perSide.select(1, 1)).to_type(x.dtype).reshape(b, 1, 1, 1).expand(b, 1, _rows, _cols);
        return cat([x, threats, first, oddRows.expand(b, 1, _rows, _cols)], 1);
    }
}
