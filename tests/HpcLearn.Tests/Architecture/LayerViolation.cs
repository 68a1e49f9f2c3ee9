namespace HpcLearn.Tests.Architecture;

/// <summary>
/// One forbidden use: type <see cref="From"/> uses type <see cref="To"/> in <see cref="Members"/>,
/// against <see cref="Rule"/>.
/// </summary>
internal sealed record LayerViolation(Type From, Type To, IReadOnlyList<string> Members, string Rule)
{
    /// <summary>"A.B.Type → C.D.Type": the edge, without the members.</summary>
    public string Edge => $"{From.FullName} → {To.FullName}";

    /// <summary>"A.B.Type → C.D.Type (member, member)".</summary>
    public override string ToString() => $"{Edge} ({string.Join(", ", Members)})";
}
