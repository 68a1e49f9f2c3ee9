using System.Text;
using HpcLearn.Tasks.Text;
using Xunit;

namespace HpcLearn.Tests.Tasks.Text;

public sealed class TokenizerTests
{
    [Fact]
    public void Characters_round_trip_including_one_outside_the_basic_plane()
    {
        const string text = "héllo 😀 wörld\n";
        var t = CharTokenizer.Learn(text.EnumerateRunes().ToArray());
        var ids = t.Encode(text, out int unknown);
        Assert.Equal(0, unknown);
        Assert.Equal(text.EnumerateRunes().Count(), ids.Length);   // 😀 is one token, not two UTF-16 halves
        Assert.Equal(text, t.Decode(ids));
        Assert.Equal(t.Id(new Rune('\n')), t.StartId);
    }

    [Fact]
    public void Unknown_characters_map_to_id_zero_and_are_counted()
    {
        var t = new CharTokenizer("abc".EnumerateRunes());
        Assert.Equal(4, t.VocabSize);
        var ids = t.Encode("abxcy", out int unknown);
        Assert.Equal([1, 2, 0, 3, 0], ids);
        Assert.Equal(2, unknown);
        Assert.Equal("ab\uFFFDc\uFFFD", t.Decode(ids));
        Assert.Equal(0, t.StartId);   // no newline in the alphabet
    }

    [Fact]
    public void Byte_stream_decoder_holds_partial_characters_until_complete()
    {
        const string text = "aé€😀z";
        var t = new ByteTokenizer();
        var ids = t.Encode(text, out int unknown);
        Assert.Equal(0, unknown);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), ids.Length);
        var decode = t.StreamDecoder();
        var pieces = ids.Select(decode).ToList();
        Assert.Equal(text, string.Concat(pieces));
        Assert.Equal("", pieces[1]);                  // first byte of é: nothing to show yet
        Assert.Equal("é", pieces[2]);
        Assert.Equal(text, t.Decode(ids));
    }
}
