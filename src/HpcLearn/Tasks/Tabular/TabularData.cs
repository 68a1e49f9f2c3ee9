using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// A tabular data set ready for training: loaded, target checked, split, schema fitted on the
/// training rows only.
/// </summary>
public sealed class TabularData
{
    private TabularData(Table train, Table valid, TabularSchema schema, DataCard card)
    {
        Train = train; Valid = valid; Schema = schema; Card = card;
    }

    /// <summary>What the data looked like on load (columns, missing values, balance, leakage).</summary>
    public DataCard Card { get; }

    /// <summary>Training rows.</summary>
    public Table Train { get; }
    /// <summary>Validation rows.</summary>
    public Table Valid { get; }
    /// <summary>Schema and statistics from the training rows.</summary>
    public TabularSchema Schema { get; }
    /// <summary>Classification or regression.</summary>
    public TabularKind Kind => Schema.Target.Kind;

    /// <summary>Loads, checks and splits the data of <paramref name="config"/>, describing it on <paramref name="log"/>.</summary>
    /// <param name="config">The run's config.</param>
    /// <param name="log">Where the data card is printed.</param>
    /// <param name="stop">Ends a long load early with <see cref="OperationCanceledException"/> (a stop signal).</param>
    public static TabularData Prepare(TabularConfig config, TextWriter log, CancellationToken stop = default)
    {
        var o = config.Data;
        var table = o.Path is null
            ? (o.Builtin == "spend" ? SyntheticTabular.Regression(o.BuiltinRows, config.Seed) : SyntheticTabular.Churn(o.BuiltinRows, config.Seed))
            : TableSource.Load(o.Path, new CsvOptions { NumericColumns = o.Numeric, CategoricalColumns = o.Categorical }, stop);
        string name = o.Path ?? $"built-in '{o.Builtin}' data";
        var target = table.Find(o.TargetColumn)
            ?? throw new UserError($"{table.Source}: target column '{o.TargetColumn}' not found; set data.target to one of: {string.Join(", ", table.Columns.Select(c => c.Name))}");
        foreach (var c in o.Ignore.Where(c => table.Find(c) is null))
            throw new UserError($"{table.Source}: data.ignore names column '{c}', which the file does not have; columns are: {string.Join(", ", table.Columns.Select(x => x.Name))}");
        if (o.Group is { } g && table.Find(g) is null)
            throw new UserError($"{table.Source}: data.group names column '{g}', which the file does not have");

        var kind = o.Kind != TabularKind.Auto ? o.Kind
            : target.Kind == ColumnKind.Categorical ? TabularKind.Classification : TabularKind.Regression;
        if (kind == TabularKind.Regression && target.Kind == ColumnKind.Categorical)
            throw new UserError($"{table.Source}: data.kind is regression but target column '{target.Name}' is not numeric");

        var loaded = table;
        var keep = Enumerable.Range(0, table.RowCount).Where(r => TabularPreprocessor.LabelOf(target, r) is not null).ToArray();
        if (keep.Length < table.RowCount)
        {
            log.WriteLine($"note: dropped {table.RowCount - keep.Length} rows with a missing '{target.Name}'");
            table = table.SelectRows(keep);
            target = table[target.Name];
        }
        if (table.RowCount < 10)
            throw new UserError($"{table.Source}: only {table.RowCount} usable rows; at least 10 are needed to train and validate");

        var labels = Enumerable.Range(0, table.RowCount).Select(r => TabularPreprocessor.LabelOf(target, r)).ToList();
        var classes = kind == TabularKind.Classification
            ? labels.Distinct().Select(l => l!).OrderBy(l => l, StringComparer.Ordinal).ToList()
            : [];
        // One class trains to a "perfect" model that has learned nothing: refuse it by name.
        if (kind == TabularKind.Classification && classes.Count < 2)
            throw new UserError($"{table.Source}: target column '{target.Name}' has only one class ('{DataFile.Snippet(classes[0])}') in its {table.RowCount} labelled rows; "
                + "classification needs at least two: check data.target, or that the file holds all of the data");
        int[] trainRows, validRows;
        try
        {
            (trainRows, validRows) = kind == TabularKind.Classification && o.Split == SplitKind.Stratified
                ? DataSplit.Stratified(labels, o.ValidFraction, config.Seed)
                : DataSplit.Random(table.RowCount, o.ValidFraction, config.Seed);
        }
        catch (UserError e) // the splitter knows rows, not files: say which file and column
        {
            throw new UserError($"{table.Source}: target column '{target.Name}': {e.Message}", e);
        }
        var train = table.SelectRows(trainRows);
        var valid = table.SelectRows(validRows);
        var schema = TabularPreprocessor.Fit(train, o, kind, classes, config.Model.MaxEmbedding);

        string what = kind == TabularKind.Classification ? $"classification, {classes.Count} classes" : "regression";
        var card = DataCardBuilder.Build(loaded, train, valid, name, target.Name, o.Group, o.Ignore, kind == TabularKind.Classification);
        log.Write(DataCardBuilder.ToText(card));
        log.WriteLine($"target '{target.Name}' ({what}); features: {schema.Numeric.Count} numeric + {schema.Categorical.Count} categorical");
        return new TabularData(train, valid, schema, card);
    }

    /// <summary>A loader over <paramref name="table"/>'s tensors.</summary>
    public Training.Tensors Tensors(Table table) => new(
        [TabularPreprocessor.NumericTensor(Schema, table), TabularPreprocessor.CategoricalTensor(Schema, table)],
        TabularPreprocessor.TargetTensor(Schema, table));

    /// <summary>A batch loader over <paramref name="table"/>.</summary>
    public TensorDataLoader Loader(Table table, int batchSize, bool shuffle, int seed)
    {
        var t = Tensors(table);
        return new TensorDataLoader(t.Inputs, t.Target, batchSize, shuffle, seed);
    }

    /// <summary>Training class counts (classification) or [mean] (regression), kept in the model for baselines at evaluate time.</summary>
    public double[] TrainPrior() => Kind == TabularKind.Classification
        ? Schema.Target.Classes.Select(c => (double)TrainLabels().Count(l => Schema.Target.Classes[l] == c)).ToArray()
        : [Schema.Target.Mean];

    private int[] TrainLabels() => TabularPreprocessor.ClassIndices(Schema.Target, Train[Schema.Target.Name]).Select(v => (int)v).ToArray();

    /// <summary>The trivial baseline on the validation rows: majority class or training mean.</summary>
    public BaselineResult Baseline()
    {
        var t = Schema.Target;
        if (Kind == TabularKind.Regression)
            return Evaluation.Baseline.Mean(Train[t.Name].Numbers, Valid[t.Name].Numbers);
        var validLabels = TabularPreprocessor.ClassIndices(t, Valid[t.Name]).Select(v => (int)v).ToArray();
        return Evaluation.Baseline.MajorityClass(TrainLabels(), validLabels, t.Classes.Count, t.Classes.ToArray());
    }
}
