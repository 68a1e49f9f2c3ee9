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
    private TabularData(Table train, Table valid, Table? test, TabularSchema schema, DataCard card)
    {
        Train = train; Valid = valid; Test = test; Schema = schema; Card = card;
    }

    /// <summary>What the data looked like on load (columns, missing values, balance, leakage).</summary>
    public DataCard Card { get; }

    /// <summary>Training rows.</summary>
    public Table Train { get; }
    /// <summary>Validation rows (carved from the training file; none when <c>data.valid_fraction</c> is 0).</summary>
    public Table Valid { get; }
    /// <summary>The rows of <c>data.test_path</c> with a target, or null when no test file is given.</summary>
    public Table? Test { get; }
    /// <summary>Whether there are validation rows.</summary>
    public bool HasValid => Valid.RowCount > 0;
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
        if (o.Path is not null) TabularTargetChecks.RefuseCountHeader(table);
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
        if (o.Kind == TabularKind.Auto && TabularTargetChecks.FewWholeNumbers(target) is { } warning) log.WriteLine(warning);

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
            (trainRows, validRows) = o.ValidFraction == 0 ? (Enumerable.Range(0, table.RowCount).ToArray(), [])
                : kind == TabularKind.Classification && o.Split == SplitKind.Stratified
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
        var test = o.TestPath is null ? null : LoadTest(o, table, schema, log, stop);

        string what = kind == TabularKind.Classification ? $"classification, {classes.Count} classes" : "regression";
        var card = DataCardBuilder.Build(loaded, train, valid, name, target.Name, o.Group, o.Ignore, kind == TabularKind.Classification);
        log.Write(DataCardBuilder.ToText(card));
        log.WriteLine($"target '{target.Name}' ({what}); features: {schema.Numeric.Count} numeric + {schema.Categorical.Count} categorical");
        if (test is not null)
            log.WriteLine($"test: {test.RowCount} rows from {o.TestPath}, measured once after training; validation: {valid.RowCount} rows of {name}");
        return new TabularData(train, valid, test, schema, card);
    }

    // The test file must have the training file's columns, read with the same kinds, and only labels
    // the training rows know; it is checked here, before training, so a bad file costs no run.
    private static Table LoadTest(TabularDataOptions o, Table training, TabularSchema schema, TextWriter log, CancellationToken stop)
    {
        var numeric = training.Columns.Where(c => c.Kind == ColumnKind.Numeric).Select(c => c.Name).ToList();
        var categorical = training.Columns.Where(c => c.Kind == ColumnKind.Categorical).Select(c => c.Name).ToList();
        var test = TableSource.Load(o.TestPath!, new CsvOptions { NumericColumns = numeric, CategoricalColumns = categorical, NumericReason = $"is numeric in {o.Path}" }, stop);
        var missing = training.Columns.Select(c => c.Name).Where(n => test.Find(n) is null).ToList();
        if (missing.Count > 0)
            throw new UserError($"{test.Source}: data.test_path lacks column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} of {o.Path}; give it the training file's columns");
        var target = test[schema.Target.Name];
        var keep = Enumerable.Range(0, test.RowCount).Where(r => TabularPreprocessor.LabelOf(target, r) is not null).ToArray();
        if (keep.Length < test.RowCount)
        {
            log.WriteLine($"note: dropped {test.RowCount - keep.Length} test rows with a missing '{target.Name}'");
            test = test.SelectRows(keep);
            target = test[target.Name];
        }
        if (test.RowCount == 0) throw new UserError($"{test.Source}: data.test_path has no rows with a '{target.Name}' to measure the model on");
        if (schema.Target.Kind == TabularKind.Classification)
        {
            var known = schema.Target.Classes.ToHashSet(StringComparer.Ordinal);
            var unknown = Enumerable.Range(0, test.RowCount).Select(r => TabularPreprocessor.LabelOf(target, r)!).FirstOrDefault(l => !known.Contains(l));
            if (unknown is not null)
                throw new UserError($"{test.Source}: data.test_path has label '{DataFile.Snippet(unknown)}' in '{target.Name}', which no training row has; training classes: {string.Join(", ", schema.Target.Classes)}");
        }
        return test;
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
    public BaselineResult Baseline() => Baseline(Valid);

    /// <summary>The trivial baseline on <paramref name="rows"/> (validation or test): majority class or training mean.</summary>
    public BaselineResult Baseline(Table rows)
    {
        var t = Schema.Target;
        if (Kind == TabularKind.Regression)
            return Evaluation.Baseline.Mean(Train[t.Name].Numbers, rows[t.Name].Numbers);
        var validLabels = TabularPreprocessor.ClassIndices(t, rows[t.Name]).Select(v => (int)v).ToArray();
        return Evaluation.Baseline.MajorityClass(TrainLabels(), validLabels, t.Classes.Count, t.Classes.ToArray());
    }
}
