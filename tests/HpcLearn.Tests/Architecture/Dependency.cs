namespace HpcLearn.Tests.Architecture;

/// <summary>
/// One use of type <see cref="To"/> by type <see cref="From"/>, both outermost types (a nested or
/// compiler-generated type, such as a lambda's closure or an async state machine, counts as the
/// type that declares it); <see cref="Member"/> says where: a member's name, "base type", ...
/// </summary>
internal sealed record Dependency(Type From, Type To, string Member)
{
    /// <summary>As the layer test reports it: "A.B.Type → C.D.Type (member)".</summary>
    public override string ToString() => $"{From.FullName} → {To.FullName} ({Member})";
}
