namespace HpcLearn.Tasks.Text;

/// <summary>What one token of the language model is.</summary>
public enum TokenizerKind
{
    /// <summary>
    /// One Unicode character (code point), from the training split's alphabet plus an unknown
    /// token. Needs UTF-8 text.
    /// </summary>
    Char,
    /// <summary>One byte (256 symbols): works on any file, any language, even binary data.</summary>
    Byte,
}
