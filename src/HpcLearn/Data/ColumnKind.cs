namespace HpcLearn.Data;

/// <summary>The inferred type of a table column.</summary>
public enum ColumnKind
{
    /// <summary>Numbers; missing values are <see cref="double.NaN"/>.</summary>
    Numeric,
    /// <summary>Labels drawn from a finite set; missing values are <c>null</c>.</summary>
    Categorical,
}
