using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// A text as token ids, split contiguously: training, then a tune piece (<c>data.tune_fraction</c>,
/// which the transformer never trains on: the count-model mixture's weight is fitted there), then
/// the validation tail (a shuffle would leak: neighbouring blocks share most of their text).
/// Training batches are random blocks whose positions depend only on (seed, step), so a resumed
/// run sees the same batches; validation batches are fixed blocks spread evenly over the tail.
/// </summary>
public sealed class TextData : IDisposable
{
    private TextData(TextTokenizer tokenizer, int[] train, int[] tune, int[] valid, double validCharsPerToken, string description)
    {
        Tokenizer = tokenizer;
        TrainIds = train;
        TuneIds = tune;
        ValidIds = valid;
        ValidTokensPerChar = 1 / validCharsPerToken;
        Description = description;
        Train = tensor(train.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64).DetachFromDisposeScope();
        Valid = tensor(valid.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64).DetachFromDisposeScope();
    }

    /// <summary>The tokenizer (its alphabet learnt from the training split for characters).</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>Training ids: what the transformer trains on.</summary>
    public int[] TrainIds { get; }

    /// <summary>The tune piece between training and validation (empty when <c>data.tune_fraction</c> is 0).</summary>
    public int[] TuneIds { get; }

    /// <summary>All text before the validation split (training, then the tune piece): what the count models count.</summary>
    public int[] BeforeValidIds => TuneIds.Length == 0 ? TrainIds : [.. TrainIds, .. TuneIds];

    /// <summary>Validation ids.</summary>
    public int[] ValidIds { get; }

    /// <summary>Training ids as a 1-D int64 tensor.</summary>
    public Tensor Train { get; }

    /// <summary>Validation ids as a 1-D int64 tensor.</summary>
    public Tensor Valid { get; }

    /// <summary>Tokens per character of the validation text (1 for characters; about 1 for English bytes, more for other scripts).</summary>
    public double ValidTokensPerChar { get; }

    /// <summary>One line about the data: source, sizes, vocabulary.</summary>
    public string Description { get; }

    /// <summary>Reads, tokenises and splits the text a config asks for.</summary>
    public static TextData Prepare(TextDataOptions o, int seed)
    {
        var source = o.Path is null
            ? TextSource.FromText($"built-in corpus ({o.BuiltinSentences} sentences)", Data.SyntheticSentences.Generate(o.BuiltinSentences, seed))
            : TextSource.Read(o.Path);
        return FromSource(source, o);
    }

    /// <summary>Tokenises and splits <paramref name="source"/>.</summary>
    public static TextData FromSource(TextSource source, TextDataOptions o)
    {
        TextTokenizer tokenizer;
        int[] ids;
        int nBefore, nTrain;
        double charsPerToken = 1;
        string unit = o.Tokenizer == TokenizerKind.Byte ? "bytes" : "characters";
        if (o.Tokenizer == TokenizerKind.Byte)
        {
            byte[] bytes = source.Bytes();
            (nBefore, nTrain) = Counts(bytes.Length, o);
            CheckSizes(source.Name, nTrain, bytes.Length - nBefore, o, unit);
            tokenizer = new ByteTokenizer();
            ids = bytes.Select(b => (int)b).ToArray();
            charsPerToken = Math.Max(1, Encoding.UTF8.GetString(bytes, nBefore, bytes.Length - nBefore).EnumerateRunes().Count()) / (double)(bytes.Length - nBefore);
        }
        else
        {
            var runes = source.Text().EnumerateRunes().ToArray();
            (nBefore, nTrain) = Counts(runes.Length, o);
            CheckSizes(source.Name, nTrain, runes.Length - nBefore, o, unit);
            var chars = CharTokenizer.Learn(runes.AsSpan(0, nBefore));   // the alphabet of all text before validation
            ids = runes.Select(chars.Id).ToArray();
            tokenizer = chars;
        }
        int[] train = ids[..nTrain], tune = ids[nTrain..nBefore], valid = ids[nBefore..];
        int unknown = tokenizer.Kind == TokenizerKind.Char ? valid.Count(id => id == 0) : 0;
        string desc = $"{source.Name}: {train.Length:N0} training, " + (tune.Length > 0 ? $"{tune.Length:N0} tune (held out for the mixture weight) and " : "") +
            $"{valid.Length:N0} validation {unit}, vocabulary {tokenizer.VocabSize}" + (unknown > 0 ? $" ({unknown} validation characters unseen in training map to the unknown token)" : "");
        return new TextData(tokenizer, train, tune, valid, charsPerToken, desc);
    }

    // Tokens before the validation split, and of those the training ones (the tune piece is the rest).
    private static (int Before, int Train) Counts(int n, TextDataOptions o)
    {
        int before = n - (int)Math.Round(n * o.ValidFraction);
        return (before, before - (int)Math.Round(n * o.TuneFraction));
    }

    // A tune piece shorter than a block is still scored (with less context); empty, there is no mixture.
    private static void CheckSizes(string name, int train, int valid, TextDataOptions o, string unit)
    {
        if (train + valid == 0) throw new UserError($"{name} has no text; point data.path at a file with text in it");
        int need = o.BlockSize + 1;
        if (train < need || valid < need)
        {
            string split = valid < need ? $"the validation split (data.valid_fraction {o.ValidFraction}) has {valid:N0}" : $"the training split has {train:N0}";
            throw new UserError($"{name}: {split} {unit}, fewer than data.block_size + 1 = {need}; " +
                $"use more text or a smaller data.block_size{(valid < need ? " or a larger data.valid_fraction" : "")}");
        }
    }

    /// <summary>
    /// Training batch number <paramref name="step"/>: <paramref name="batchSize"/> blocks at
    /// positions drawn from (seed, step) alone. Returns inputs x (B, T) and targets y (B, T), y = x shifted by one.
    /// </summary>
    public (Tensor X, Tensor Y) TrainBatch(long step, int seed, int batchSize, int blockSize)
        => TrainBatch(step, seed, batchSize, blockSize, rank: 0, ranks: 1);

    /// <summary>
    /// Rank <paramref name="rank"/>'s part of step <paramref name="step"/>'s global batch of
    /// <paramref name="ranks"/> × <paramref name="batchSize"/> blocks: the blocks
    /// [rank·B, (rank + 1)·B) of what one process would draw with batch ranks·B, so data-parallel
    /// ranks together train on exactly that process's batch.
    /// </summary>
    public (Tensor X, Tensor Y) TrainBatch(long step, int seed, int batchSize, int blockSize, int rank, int ranks)
        => TrainSlice(step, seed, batchSize * ranks, blockSize, rank, ranks);

    /// <summary>
    /// Rank <paramref name="rank"/>'s slice of step <paramref name="step"/>'s global batch of
    /// <paramref name="globalBatch"/> blocks (what one process draws with that batch): consecutive
    /// slices, the first <c>globalBatch mod ranks</c> ranks one block longer when the ranks do not
    /// divide it (a run resumed on another number of ranks keeps its global batch).
    /// </summary>
    public (Tensor X, Tensor Y) TrainSlice(long step, int seed, int globalBatch, int blockSize, int rank, int ranks)
    {
        var (first, count) = Slice(globalBatch, rank, ranks);
        var random = new Random(StepSeed(seed, step));
        int range = TrainIds.Length - blockSize;    // a start s needs s + T < length for its last target
        var starts = new long[count];
        for (int b = 0; b < first + count; b++)
        {
            int start = random.Next(range);
            if (b >= first) starts[b - first] = start;
        }
        return Blocks(Train, starts, blockSize);
    }

    /// <summary>Where rank <paramref name="rank"/>'s slice of a global batch starts, and its length.</summary>
    public static (int First, int Count) Slice(int globalBatch, int rank, int ranks)
    {
        int share = globalBatch / ranks, extra = globalBatch % ranks;
        return (rank * share + Math.Min(rank, extra), share + (rank < extra ? 1 : 0));
    }

    /// <summary>
    /// The fixed validation batches: <paramref name="batches"/> × <paramref name="batchSize"/> blocks
    /// at evenly spaced positions over the validation split (the same at every evaluation).
    /// </summary>
    public IEnumerable<(Tensor X, Tensor Y)> ValidBatches(int batches, int batchSize, int blockSize)
    {
        int blocks = batches * batchSize;
        long last = ValidIds.Length - blockSize - 1;
        for (int b = 0; b < batches; b++)
        {
            var starts = new long[batchSize];
            for (int i = 0; i < batchSize; i++)
                starts[i] = blocks == 1 ? 0 : (long)Math.Round((b * batchSize + i) * (double)last / (blocks - 1));
            yield return Blocks(Valid, starts, blockSize);
        }
    }

    private static (Tensor X, Tensor Y) Blocks(Tensor split, long[] starts, int blockSize)
    {
        var at = new long[starts.Length * blockSize];
        for (int b = 0; b < starts.Length; b++)
            for (int t = 0; t < blockSize; t++) at[b * blockSize + t] = starts[b] + t;
        long[] shape = [starts.Length, blockSize];
        using var index = tensor(at, shape, dtype: ScalarType.Int64);                             // (B, T)
        using var next = tensor(at.Select(i => i + 1).ToArray(), shape, dtype: ScalarType.Int64);  // (B, T)
        return (split.take(index), split.take(next));
    }

    /// <summary>SplitMix64 of (seed, step): the same in every process (unlike <see cref="HashCode"/>).</summary>
    internal static int StepSeed(int seed, long step)
    {
        ulong z = ((ulong)(uint)seed << 32 ^ (ulong)step) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Valid.Dispose();
    }
}
