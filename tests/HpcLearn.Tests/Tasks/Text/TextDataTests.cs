using HpcLearn.Tasks.Text;
using HpcLearn.Tests.Tasks.Tabular;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Tasks.Text;

public sealed class TextDataTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static TextDataOptions Options(int block = 4, TokenizerKind kind = TokenizerKind.Char) =>
        new() { BlockSize = block, Tokenizer = kind, ValidFraction = 0.1 };

    [Fact]
    public void Split_is_contiguous_and_the_alphabet_comes_from_the_text_before_validation()
    {
        // 85 characters of a/b, a tune piece of 5 (5%) with a c, then 10 with a z the text before never shows.
        string text = string.Concat(Enumerable.Repeat("ab", 42)) + "aabcab" + "abzabzabza";
        using var data = TextData.FromSource(TextSource.FromText("t", text), Options());
        var chars = Assert.IsType<CharTokenizer>(data.Tokenizer);
        Assert.Equal(4, chars.VocabSize);                          // unknown, a, b, c
        Assert.Equal(85, data.TrainIds.Length);
        Assert.Equal(chars.Encode(text[..85], out _), data.TrainIds);
        Assert.Equal(chars.Encode(text[85..90], out _), data.TuneIds);
        Assert.Equal(chars.Encode(text[..90], out _), data.BeforeValidIds);
        Assert.Equal(chars.Encode(text[90..], out int unknown), data.ValidIds);
        Assert.Equal(3, unknown);
        Assert.Contains("3 validation characters unseen in training", data.Description);
    }

    [Fact]
    public void Batches_depend_only_on_seed_and_step_and_targets_are_the_next_tokens()
    {
        string text = string.Concat(Enumerable.Range(0, 400).Select(i => (char)('a' + i * 7 % 26)));
        using var data = TextData.FromSource(TextSource.FromText("t", text), Options(block: 8));
        var (x1, y1) = data.TrainBatch(5, seed: 1, batchSize: 4, blockSize: 8);
        var (x2, _) = data.TrainBatch(5, seed: 1, batchSize: 4, blockSize: 8);
        var (x3, _) = data.TrainBatch(6, seed: 1, batchSize: 4, blockSize: 8);
        Assert.Equal(new long[] { 4, 8 }, x1.shape);
        Assert.True(x1.equal(x2).all().item<bool>());
        Assert.False(x1.equal(x3).all().item<bool>());
        // Each row is a window of the training ids, and y is x moved on by one.
        var x = x1.data<long>().ToArray();
        var y = y1.data<long>().ToArray();
        for (int b = 0; b < 4; b++)
        {
            int start = IndexOf(data.TrainIds, x.Skip(b * 8).Take(8).ToArray());
            Assert.True(start >= 0);
            Assert.Equal(data.TrainIds.Skip(start + 1).Take(8).Select(i => (long)i), y.Skip(b * 8).Take(8));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Any_number_of_ranks_slices_the_one_process_draw_of_a_global_batch(int ranks)
    {
        // A run resumed on another number of ranks keeps its global batch of 16 blocks: the ranks'
        // slices, in rank order, are the blocks one process draws (3 ranks: 6 + 5 + 5).
        string text = string.Concat(Enumerable.Range(0, 400).Select(i => (char)('a' + i * 7 % 26)));
        using var data = TextData.FromSource(TextSource.FromText("t", text), Options(block: 8));
        var (whole, _) = data.TrainBatch(5, seed: 1, batchSize: 16, blockSize: 8);
        var slices = Enumerable.Range(0, ranks).Select(r => data.TrainSlice(5, seed: 1, globalBatch: 16, blockSize: 8, r, ranks).X).ToList();
        Assert.Equal(Enumerable.Range(0, ranks).Select(r => (long)TextData.Slice(16, r, ranks).Count), slices.Select(x => x.size(0)));
        Assert.Equal(whole.data<long>().ToArray(), slices.SelectMany(x => x.data<long>().ToArray()).ToArray());
        if (ranks == 3) Assert.Equal([(0, 6), (6, 5), (11, 5)], Enumerable.Range(0, 3).Select(r => TextData.Slice(16, r, 3)));
    }

    private static int IndexOf(int[] ids, long[] window)
    {
        for (int s = 0; s + window.Length <= ids.Length; s++)
            if (window.Select((v, i) => ids[s + i] == v).All(ok => ok)) return s;
        return -1;
    }

    [Fact]
    public void Validation_batches_are_fixed_and_span_the_split()
    {
        string text = string.Concat(Enumerable.Range(0, 1000).Select(i => (char)('a' + i % 26)));
        using var data = TextData.FromSource(TextSource.FromText("t", text), Options(block: 8));
        var first = data.ValidBatches(2, 3, 8).Select(b => b.X.data<long>().ToArray()).ToList();
        var again = data.ValidBatches(2, 3, 8).Select(b => b.X.data<long>().ToArray()).ToList();
        Assert.Equal(first, again);
        Assert.Equal(data.ValidIds.Take(8).Select(i => (long)i), first[0].Take(8));                       // first block at 0
        Assert.Equal(data.ValidIds.Skip(data.ValidIds.Length - 9).Take(8).Select(i => (long)i), first[1].Skip(16)); // last block at the end
    }

    [Fact]
    public void Block_larger_than_the_validation_split_is_refused()
    {
        var e = Assert.Throws<UserError>(() => TextData.FromSource(TextSource.FromText("t", new string('a', 100)), Options(block: 10)));
        Assert.Equal("t: the validation split (data.valid_fraction 0.1) has 10 characters, fewer than data.block_size + 1 = 11; " +
            "use more text or a smaller data.block_size or a larger data.valid_fraction", e.Message);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        var path = _tmp.Write("empty.txt", "");
        var e = Assert.Throws<UserError>(() => TextSource.Read(path));
        Assert.Equal($"data.path '{path}' is empty (0 bytes); point it at a file with text in it", e.Message);
    }

    [Fact]
    public void Binary_file_is_refused_for_characters_with_the_reason_and_accepted_for_bytes()
    {
        var path = _tmp["blob.bin"];
        var bytes = Enumerable.Range(0, 600).Select(i => (byte)(i * 37 % 256)).ToArray();
        File.WriteAllBytes(path, bytes);
        var source = TextSource.Read(path);
        var e = Assert.Throws<UserError>(() => TextData.FromSource(source, Options()));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.EndsWith("character tokens need UTF-8 text; set data.tokenizer: byte to train on any bytes", e.Message);
        using var data = TextData.FromSource(source, Options(kind: TokenizerKind.Byte));
        Assert.Equal(256, data.Tokenizer.VocabSize);
        Assert.Equal(bytes.Select(b => (int)b), data.TrainIds.Concat(data.TuneIds).Concat(data.ValidIds));
    }

    [Fact]
    public void Invalid_utf8_names_the_offset()
    {
        var path = _tmp["latin1.txt"];
        File.WriteAllBytes(path, [.. "caf"u8, 0xE9, .. " au lait"u8]);
        var e = Assert.Throws<UserError>(() => TextSource.Read(path).Text());
        Assert.Equal($"{path}: not UTF-8 text (invalid UTF-8 at byte offset 3); character tokens need UTF-8 text; set data.tokenizer: byte to train on any bytes", e.Message);
    }

    [Fact]
    public void A_folder_is_read_in_path_order_skipping_hidden_files()
    {
        _tmp.Write("corpus/b.txt", "second ");
        _tmp.Write("corpus/a.txt", "first ");
        _tmp.Write("corpus/sub/c.txt", "third");
        _tmp.Write("corpus/.hidden", "never");
        Assert.Equal("first second third", TextSource.Read(_tmp["corpus"]).Text());
    }

    [Fact]
    public void Missing_path_is_refused()
    {
        var e = Assert.Throws<UserError>(() => TextSource.Read(_tmp["nope.txt"]));
        Assert.StartsWith($"data.path '{_tmp["nope.txt"]}' not found", e.Message);
    }
}
