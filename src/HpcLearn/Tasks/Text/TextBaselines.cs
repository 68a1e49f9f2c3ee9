namespace HpcLearn.Tasks.Text;

/// <summary>
/// Count models fitted on the training split and scored on the validation split, printed beside
/// the transformer: the smoothed unigram (letter frequencies, the trivial baseline) and the
/// Witten–Bell 4-gram (3 tokens of context), the classic count model a small transformer must beat.
/// </summary>
/// <param name="UnigramNats">Unigram validation loss, nats per token.</param>
/// <param name="FourGramNats">4-gram validation loss, nats per token.</param>
public sealed record TextBaselines(double UnigramNats, double FourGramNats)
{
    /// <summary>Fits both on <see cref="TextData.TrainIds"/> and scores them on <see cref="TextData.ValidIds"/>.</summary>
    public static TextBaselines Measure(TextData data)
    {
        int v = data.Tokenizer.VocabSize;
        return new TextBaselines(
            new NGramModel(data.TrainIds, 1, v).NatsPerToken(data.ValidIds),
            new NGramModel(data.TrainIds, 4, v).NatsPerToken(data.ValidIds));
    }
}
