using System.Text;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// One token per Unicode character (code point, so a character outside the Basic Multilingual
/// Plane is one token, not two UTF-16 halves). Id 0 is the unknown token, for characters the
/// training split never showed; it decodes to U+FFFD. Ids 1… are the alphabet in code-point order.
/// </summary>
public sealed class CharTokenizer : TextTokenizer
{
    /// <summary>What the unknown token decodes to.</summary>
    public const string UnknownText = "\uFFFD";

    private readonly Dictionary<int, int> _ids;

    /// <summary>Creates a tokenizer over an alphabet (duplicates and order do not matter).</summary>
    public CharTokenizer(IEnumerable<Rune> alphabet)
    {
        Alphabet = alphabet.Distinct().OrderBy(r => r.Value).ToArray();
        _ids = new Dictionary<int, int>(Alphabet.Count);
        for (int i = 0; i < Alphabet.Count; i++) _ids[Alphabet[i].Value] = i + 1;
    }

    /// <summary>The alphabet learnt from <paramref name="text"/>.</summary>
    public static CharTokenizer Learn(ReadOnlySpan<Rune> text)
    {
        var seen = new HashSet<Rune>();
        foreach (var r in text) seen.Add(r);
        return new CharTokenizer(seen);
    }

    /// <summary>The known characters; character <c>Alphabet[i]</c> has id <c>i + 1</c>.</summary>
    public IReadOnlyList<Rune> Alphabet { get; }

    /// <inheritdoc />
    public override TokenizerKind Kind => TokenizerKind.Char;

    /// <inheritdoc />
    public override int VocabSize => Alphabet.Count + 1;

    /// <inheritdoc />
    public override int StartId => _ids.GetValueOrDefault('\n', 0);

    /// <summary>The id of one character (0 when unknown).</summary>
    public int Id(Rune r) => _ids.GetValueOrDefault(r.Value, 0);

    /// <inheritdoc />
    public override int[] Encode(string text, out int unknown)
    {
        var ids = new List<int>(text.Length);
        unknown = 0;
        foreach (var r in text.EnumerateRunes())
        {
            int id = Id(r);
            if (id == 0) unknown++;
            ids.Add(id);
        }
        return ids.ToArray();
    }

    /// <inheritdoc />
    public override string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        foreach (int id in ids) sb.Append(Text(id));
        return sb.ToString();
    }

    /// <inheritdoc />
    public override Func<int, string> StreamDecoder() => Text;

    private string Text(int id) => id >= 1 && id <= Alphabet.Count ? Alphabet[id - 1].ToString() : UnknownText;
}
