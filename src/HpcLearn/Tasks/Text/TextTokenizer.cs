namespace HpcLearn.Tasks.Text;

/// <summary>
/// Text ↔ token ids. Character tokens (<see cref="CharTokenizer"/>) learn their alphabet from the
/// training split; byte tokens (<see cref="ByteTokenizer"/>) need none.
/// </summary>
public abstract class TextTokenizer
{
    /// <summary>Character or byte.</summary>
    public abstract TokenizerKind Kind { get; }

    /// <summary>Number of distinct token ids (the model's output width).</summary>
    public abstract int VocabSize { get; }

    /// <summary>
    /// The ids of <paramref name="text"/>; <paramref name="unknown"/> counts the characters the
    /// vocabulary lacks (each becomes the unknown token; always 0 for bytes).
    /// </summary>
    public abstract int[] Encode(string text, out int unknown);

    /// <summary>The text of a whole sequence of ids.</summary>
    public abstract string Decode(IEnumerable<int> ids);

    /// <summary>
    /// A decoder for streaming: feed ids one at a time, get back the text they complete (a byte
    /// in the middle of a multi-byte UTF-8 character gives "" until the character is whole).
    /// </summary>
    public abstract Func<int, string> StreamDecoder();

    /// <summary>The id the sampler starts from when the prompt is empty: a newline where the vocabulary has one.</summary>
    public abstract int StartId { get; }
}
