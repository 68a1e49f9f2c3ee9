using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The ratings of a run, loaded, split and mapped to dense ids (from the training pairs only),
/// with the rating range and the item titles. Test pairs whose user or item never appears in
/// training keep id -1 (cold start). For implicit feedback the pairs are interactions (value 1) and
/// the range is [0, 1].
/// </summary>
public sealed class RecommendData
{
    private RecommendData(string source, IdMap users, IdMap items, RatingPairs train, RatingPairs valid, RatingPairs test, float min, float max,
        IReadOnlyDictionary<string, string> titles, float[]? testTruth, FeedbackKind feedback)
    {
        Valid = valid;
        Feedback = feedback;
        Source = source;
        Users = users;
        Items = items;
        Train = train;
        Test = test;
        Min = min;
        Max = max;
        Titles = titles;
        TestTruth = testTruth;
    }

    /// <summary>Ratings or interactions.</summary>
    public FeedbackKind Feedback { get; }
    /// <summary>Where the ratings came from.</summary>
    public string Source { get; }
    /// <summary>User ids of the training data.</summary>
    public IdMap Users { get; }
    /// <summary>Item ids of the training data.</summary>
    public IdMap Items { get; }
    /// <summary>Training pairs (all warm).</summary>
    public RatingPairs Train { get; }
    /// <summary>
    /// Validation pairs (ids may be -1): a share <c>data.valid_fraction</c> of the training file's
    /// pairs, set aside before the id maps are built; never a test pair. Empty when the share is 0.
    /// </summary>
    public RatingPairs Valid { get; }

    /// <summary>Test pairs (ids may be -1).</summary>
    public RatingPairs Test { get; }
    /// <summary>Lowest rating: declared, else the training minimum.</summary>
    public float Min { get; }
    /// <summary>Highest rating: declared, else the training maximum.</summary>
    public float Max { get; }
    /// <summary>Titles by item id as written in the data (empty without a titles file).</summary>
    public IReadOnlyDictionary<string, string> Titles { get; }
    /// <summary>For synthetic data: each test pair's best possible prediction; null for files.</summary>
    public float[]? TestTruth { get; }

    /// <summary>RMSE of the test ratings against <see cref="TestTruth"/>: the lowest RMSE any model can expect. Null for files.</summary>
    public double? NoiseFloor => TestTruth is null ? null
        : Math.Sqrt(TestTruth.Select((t, k) => (double)(Test.Ratings[k] - t) * (Test.Ratings[k] - t)).Sum() / TestTruth.Length);

    /// <summary>Loads, splits and maps the data of <paramref name="config"/>, describing it on <paramref name="log"/>.</summary>
    public static RecommendData Prepare(RecommendConfig config, TextWriter log)
    {
        var o = config.Data;
        RatingsLog trainLog, testLog;
        float[]? truth = null;
        double? min = o.RatingMin, max = o.RatingMax;
        bool isImplicit = o.Feedback == FeedbackKind.Implicit;
        // Implicit feedback reads ratings only to threshold them (data.positive_from), then keeps interactions.
        RatingsLog Load(string path) => Interactions(RatingsFile.Load(path, o.Layout, !isImplicit || o.PositiveFrom is not null, min, max, interactions: isImplicit));
        RatingsLog Interactions(RatingsLog l) => isImplicit ? ImplicitFeedback.Interactions(l, o.PositiveFrom, log) : l;
        if (o.Path is null)
        {
            var synthetic = SyntheticRatings.Generate(o.Synthetic, config.Seed);
            min ??= SyntheticRatings.Min;
            max ??= SyntheticRatings.Max;
            // Implicit: the drawn pairs are the interactions (each exposed, then chosen with probability σ(β(r* − μ))).
            var all = !isImplicit ? synthetic.Log : o.PositiveFrom is null ? ImplicitFeedback.From(synthetic.Log, null).Log : Interactions(synthetic.Log);
            (trainLog, testLog, var testRows) = Split(all, o, config.Seed);
            truth = isImplicit ? null : testRows.Select(k => synthetic.Truth[k]).ToArray();
        }
        else if (o.EffectiveSplit == RatingsSplit.Files)
        {
            trainLog = Load(o.Path);
            testLog = Load(o.TestPath!);
        }
        else (trainLog, testLog, _) = Split(Load(o.Path), o, config.Seed);

        foreach (var note in new[] { trainLog.DuplicateNote, o.EffectiveSplit == RatingsSplit.Files ? testLog.DuplicateNote : null })
            if (note is not null) log.WriteLine("warning: " + note);
        var validLog = trainLog with { Rows = [], Duplicates = 0 };
        if (o.ValidFraction > 0 && trainLog.Rows.Count >= 2)
        {
            var (fit, held) = RatingsSplitter.Random(trainLog.Rows.Count, o.ValidFraction, Runs.Seeds.Derive(config.Seed, Runs.SeedStream.ValidationPairs));
            validLog = trainLog with { Rows = held.Select(k => trainLog.Rows[k]).ToList(), Duplicates = 0 };
            trainLog = trainLog with { Rows = fit.Select(k => trainLog.Rows[k]).ToList() };
        }
        var users = IdMap.FirstAppearance(trainLog.Rows.Select(r => r.User));
        var items = IdMap.FirstAppearance(trainLog.Rows.Select(r => r.Item));
        var train = RatingPairs.From(trainLog.Rows, users, items);
        var valid = RatingPairs.From(validLog.Rows, users, items);
        var test = RatingPairs.From(testLog.Rows, users, items);
        float lo = isImplicit ? 0 : (float)(min ?? train.Ratings.Min()), hi = isImplicit ? 1 : (float)(max ?? train.Ratings.Max());
        if (!(lo < hi)) throw new UserError($"{trainLog.Source}: every training rating is {lo}; there is nothing to learn (set data.rating_min and data.rating_max if the range is wider)");
        var titles = o.Titles.Path is null ? new Dictionary<string, string>() : TitlesFile.Load(o.Titles);
        var data = new RecommendData(trainLog.Source, users, items, train, valid, test, lo, hi, titles, truth, o.Feedback);
        data.Describe(log, o.EffectiveSplit);
        return data;
    }

    private static (RatingsLog Train, RatingsLog Test, int[] TestRows) Split(RatingsLog all, RecommendDataOptions o, int seed)
    {
        var (tr, te) = o.EffectiveSplit == RatingsSplit.LeaveLastOut
            ? RatingsSplitter.LeaveLastOut(all)
            : RatingsSplitter.Random(all.Rows.Count, o.TestFraction, seed);
        return (all with { Rows = tr.Select(k => all.Rows[k]).ToList() }, all with { Rows = te.Select(k => all.Rows[k]).ToList(), Duplicates = 0 }, te);
    }

    /// <summary>Counts for the log: pairs, users, items, density, range, cold-start test pairs.</summary>
    public void Describe(TextWriter log, RatingsSplit split)
    {
        var c = CultureInfo.InvariantCulture;
        double density = (double)Train.Count / ((double)Users.Count * Items.Count);
        log.WriteLine(string.Create(c, $"data: {Source}"));
        int coldUser = Test.Users.Count(u => u < 0), coldItem = Test.Items.Count(i => i < 0), cold = Enumerable.Range(0, Test.Count).Count(k => !Test.IsWarm(k));
        if (Feedback == FeedbackKind.Implicit)
        {
            log.WriteLine(string.Create(c, $"  training: {Train.Count} interactions (implicit feedback), {Users.Count} users, {Items.Count} items (density {density:P2})"));
            log.WriteLine(ValidLine(c, "interactions"));
            log.WriteLine(string.Create(c, $"  test ({split.ToString().ToLowerInvariant()} split): {Test.Count} interactions; {cold} cold-start pairs (user unseen in training: {coldUser}, item unseen: {coldItem}) cannot be ranked and are left out of the top-k metrics"));
        }
        else
        {
            log.WriteLine(string.Create(c, $"  training: {Train.Count} ratings, {Users.Count} users, {Items.Count} items (density {density:P2}), mean rating {Train.Ratings.Average():F3}, range [{Min:G4}, {Max:G4}]"));
            log.WriteLine(ValidLine(c, "ratings"));
            log.WriteLine(string.Create(c, $"  test ({split.ToString().ToLowerInvariant()} split): {Test.Count} ratings; {cold} cold-start pairs (user unseen in training: {coldUser}, item unseen: {coldItem}) are predicted by the user+item biases baseline"));
        }
        if (Titles.Count > 0) log.WriteLine(string.Create(c, $"  titles: {Titles.Count} ({Items.Ids.Count(Titles.ContainsKey)} of the {Items.Count} training items)"));
    }

    private string ValidLine(IFormatProvider c, string what) => Valid.Count == 0
        ? "  validation: none (data.valid_fraction 0): no per-epoch validation"
        : string.Create(c, $"  validation: {Valid.Count} {(Valid.Count == 1 ? what[..^1] : what)} set aside from the training file (data.valid_fraction) for the per-epoch validation; the test pairs are scored once, at the end");

    /// <summary>The warm pairs as model inputs [users (N) int64, items (N) int64] and targets (N) float32.</summary>
    public static (Tensor[] Inputs, Tensor Target) Tensors(RatingPairs pairs)
    {
        var warm = Enumerable.Range(0, pairs.Count).Where(pairs.IsWarm).ToArray();
        var u = tensor(warm.Select(k => (long)pairs.Users[k]).ToArray(), dtype: ScalarType.Int64);
        var i = tensor(warm.Select(k => (long)pairs.Items[k]).ToArray(), dtype: ScalarType.Int64);
        var r = tensor(warm.Select(k => pairs.Ratings[k]).ToArray(), dtype: ScalarType.Float32);
        return ([u, i], r);
    }
}
