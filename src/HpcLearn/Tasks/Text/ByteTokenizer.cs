using System.Text;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// One token per byte: 256 ids, no unknowns, any language and any file. Text is UTF-8 encoded
/// on the way in; on the way out, bytes that do not form valid UTF-8 decode to U+FFFD.
/// </summary>
public sealed class ByteTokenizer : TextTokenizer
{
    /// <inheritdoc />
    public override TokenizerKind Kind => TokenizerKind.Byte;

    /// <inheritdoc />
    public override int VocabSize => 256;

    /// <inheritdoc />
    public override int StartId => '\n';

    /// <inheritdoc />
    public override int[] Encode(string text, out int unknown)
    {
        unknown = 0;
        return Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();
    }

    /// <inheritdoc />
    public override string Decode(IEnumerable<int> ids) => Encoding.UTF8.GetString(ids.Select(i => (byte)i).ToArray());

    /// <inheritdoc />
    public override Func<int, string> StreamDecoder()
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var one = new byte[1];
        var chars = new char[4];
        return id =>
        {
            one[0] = (byte)id;
            int n = decoder.GetChars(one, 0, 1, chars, 0, flush: false);
            return new string(chars, 0, n);
        };
    }
}
