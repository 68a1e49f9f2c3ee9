namespace HpcLearn.Runs;

/// <summary>
/// A checkpoint file by name: <c>epoch-0003.ckpt</c> after 3 whole epochs, or
/// <c>epoch-0003-batch-00040.ckpt</c> 40 batches into the fourth (a mid-epoch stop).
/// </summary>
/// <param name="Epoch">Completed epochs.</param>
/// <param name="Batch">Batches done in the next epoch (0 at an epoch boundary).</param>
/// <param name="Path">The file.</param>
public sealed record CheckpointFile(int Epoch, int Batch, string Path)
{
    /// <summary>Deconstructs into epoch and path.</summary>
    public void Deconstruct(out int epoch, out string path) => (epoch, path) = (Epoch, Path);

    /// <summary>The file name for a position.</summary>
    public static string NameFor(int epoch, int batch)
        => batch == 0 ? $"epoch-{epoch:D4}.ckpt" : $"epoch-{epoch:D4}-batch-{batch:D5}.ckpt";

    /// <summary>Parses a file name written by <see cref="NameFor"/>; null for anything else.</summary>
    public static CheckpointFile? Parse(string path)
    {
        var parts = System.IO.Path.GetFileNameWithoutExtension(path).Split('-');
        if (parts is ["epoch", var e] && int.TryParse(e, out int epoch)) return new(epoch, 0, path);
        if (parts is ["epoch", var e2, "batch", var b] && int.TryParse(e2, out epoch) && int.TryParse(b, out int batch))
            return new(epoch, batch, path);
        return null;
    }
}
