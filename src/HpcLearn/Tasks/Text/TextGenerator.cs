namespace HpcLearn.Tasks.Text;

/// <summary>
/// <c>hpclearn generate</c>'s work: load a text model folder, encode the prompt (characters
/// outside the model's alphabet become the unknown token, with a warning), and write the prompt
/// and then each sampled piece of text as soon as it is drawn.
/// </summary>
public static class TextGenerator
{
    /// <summary>Streams the prompt and its continuation to <paramref name="output"/>; returns the tokens sampled.</summary>
    public static int Generate(string modelDir, string prompt, SamplingOptions options, TextWriter output, TextWriter warnings)
    {
        options.Check();
        using var artifact = TextArtifact.Load(modelDir);
        var ids = artifact.Tokenizer.Encode(prompt, out int unknown);
        if (unknown > 0)
            warnings.WriteLine($"warning: {unknown} character(s) of the prompt are not in the model's alphabet ({artifact.Tokenizer.VocabSize - 1} characters); they are read as the unknown token");
        output.Write(prompt);
        output.Flush();
        var decode = artifact.Tokenizer.StreamDecoder();
        int n = 0;
        foreach (int id in new TextSampler(artifact.Model, artifact.Tokenizer, artifact.Mixture).Sample(ids, options))
        {
            output.Write(decode(id));
            output.Flush();
            n++;
        }
        output.WriteLine();
        return n;
    }
}
