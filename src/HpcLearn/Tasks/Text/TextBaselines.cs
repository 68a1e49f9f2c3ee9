namespace HpcLearn.Tasks.Text;

/// <summary>
/// Count models fitted on all text before the validation split and scored on it (every token with
/// its full history), printed beside the transformer: the smoothed unigram (letter frequencies, the
/// trivial baseline), the Witten–Bell 4-gram (the project's first count model, kept so figures stay
/// comparable) and interpolated modified Kneser–Ney of <c>model.ngram_order</c> (default 5) and of
/// order 4: the best-smoothed classic count models, the ones a small transformer must beat.
/// </summary>
/// <param name="UnigramNats">Unigram validation loss, nats per token.</param>
/// <param name="FourGramNats">Witten–Bell 4-gram validation loss, nats per token.</param>
/// <param name="KneserNeyOrder">n of the Kneser–Ney model.</param>
/// <param name="KneserNeyNats">Kneser–Ney n-gram validation loss, nats per token.</param>
/// <param name="KneserNey4Nats">Kneser–Ney 4-gram validation loss, nats per token.</param>
public sealed record TextBaselines(double UnigramNats, double FourGramNats, int KneserNeyOrder, double KneserNeyNats, double KneserNey4Nats)
{
    /// <summary>The fitted Kneser–Ney n-gram model (the one mixed with the transformer).</summary>
    public required KneserNeyModel KneserNey { get; init; }

    /// <summary>Fits them on <see cref="TextData.BeforeValidIds"/> and scores them on <see cref="TextData.ValidIds"/>.</summary>
    public static TextBaselines Measure(TextData data, int order)
    {
        int v = data.Tokenizer.VocabSize;
        var before = data.BeforeValidIds;
        var kn = new KneserNeyModel(before, order, v);
        return new TextBaselines(
            new NGramModel(before, 1, v).NatsPerToken(data.ValidIds),
            new NGramModel(before, 4, v).NatsPerToken(data.ValidIds),
            order,
            kn.NatsPerToken(data.ValidIds),
            order == 4 ? kn.NatsPerToken(data.ValidIds) : new KneserNeyModel(before, 4, v).NatsPerToken(data.ValidIds)) { KneserNey = kn };
    }
}
