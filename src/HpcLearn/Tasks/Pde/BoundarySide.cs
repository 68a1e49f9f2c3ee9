namespace HpcLearn.Tasks.Pde;

/// <summary>Which end of a variable's range a boundary condition holds at.</summary>
public enum BoundarySide
{
    /// <summary>The lower bound (x = xMin; t = tMin is the initial condition).</summary>
    Min,
    /// <summary>The upper bound.</summary>
    Max,
}
