namespace HpcLearn.Tasks.Text;

/// <summary>
/// The discounts of one order of a Kneser–Ney model: what is taken from an n-gram seen once
/// (<paramref name="D1"/>), twice (<paramref name="D2"/>) and three or more times
/// (<paramref name="D3Plus"/>), and given to the lower order. Modified Kneser–Ney (Chen &amp;
/// Goodman 1998) estimates the three from the count-of-counts; plain interpolated Kneser–Ney
/// uses one discount for all (<see cref="Single"/>).
/// </summary>
public readonly record struct KneserNeyDiscount(double D1, double D2, double D3Plus)
{
    /// <summary>One discount for every count (plain interpolated Kneser–Ney, as NLTK's <c>KneserNeyInterpolated</c>).</summary>
    public static KneserNeyDiscount Single(double d) => new(d, d, d);

    /// <summary>The discount of an n-gram seen <paramref name="count"/> times (0 for none).</summary>
    public double For(int count) => count switch { <= 0 => 0, 1 => D1, 2 => D2, _ => D3Plus };

    /// <summary>
    /// Chen &amp; Goodman's estimates from n_k, the number of n-grams of this order seen exactly k times:
    /// <code>
    /// Y = n₁ / (n₁ + 2 n₂),  D₁ = 1 − 2Y n₂/n₁,  D₂ = 2 − 3Y n₃/n₂,  D₃₊ = 3 − 4Y n₄/n₃
    /// </code>
    /// each in (0, k). Where the formula is undefined (some n_k is zero: a tiny text) or leaves that
    /// range (odd count-of-counts), Y alone (Ney's single discount) serves for all three; 0.5 when
    /// n₁ is zero. So every discount is positive and every token keeps some probability.
    /// </summary>
    public static KneserNeyDiscount Estimate(long n1, long n2, long n3, long n4)
    {
        double y = n1 > 0 ? n1 / (double)(n1 + 2 * n2) : 0.5;
        if (n1 == 0 || n2 == 0 || n3 == 0 || n4 == 0) return Single(y);
        var d = new KneserNeyDiscount(1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3);
        return d.D1 is > 0 and < 1 && d.D2 is > 0 and < 2 && d.D3Plus is > 0 and < 3 ? d : Single(y);
    }
}
