using System.Text;

namespace HpcLearn.Data;

/// <summary>
/// English-like sentences from a small grammar, for the text task's demo and tests (no download).
/// Deterministic for a seed. The grammar has a dependency that a short-context model cannot
/// see: the main verb agrees in number with a subject that a relative clause may push far back
/// ("the dogs that the old farmer sees <b>run</b>", "the dog that the farmers see <b>runs</b>"),
/// so a transformer can beat a 4-gram count model on it.
/// <code>
/// S  → NP(n) [that NP(m) Vt(m)] VP(n) [PP] .      n, m ∈ {singular, plural}
/// NP → Det(n) [Adj] N(n)          VP(n) → Vi(n) [Adv] | Vt(n) NP(any)
/// </code>
/// About five sentences per paragraph; each sentence starts with a capital letter.
/// </summary>
public static class SyntheticSentences
{
    private static readonly string[][] Nouns =
    [
        ["dog", "dogs"], ["cat", "cats"], ["child", "children"], ["teacher", "teachers"], ["bird", "birds"],
        ["farmer", "farmers"], ["king", "kings"], ["queen", "queens"], ["robot", "robots"], ["fox", "foxes"],
        ["mouse", "mice"], ["sailor", "sailors"],
    ];
    private static readonly string[][] Transitive =
    [
        ["sees", "see"], ["likes", "like"], ["follows", "follow"], ["watches", "watch"], ["helps", "help"],
        ["chases", "chase"], ["finds", "find"], ["remembers", "remember"],
    ];
    private static readonly string[][] Intransitive = [["sleeps", "sleep"], ["runs", "run"], ["sings", "sing"], ["waits", "wait"], ["laughs", "laugh"]];
    private static readonly string[][] Determiners = [["the", "a", "every", "this"], ["the", "some", "many", "these", "two"]];
    private static readonly string[] Adjectives = ["old", "small", "happy", "clever", "quiet", "brown", "young", "tired", "curious"];
    private static readonly string[] Adverbs = ["quietly", "again", "often", "slowly", "all day"];
    private static readonly string[] Places = ["in the garden", "near the river", "after the storm", "at night", "on the hill", "with a smile"];

    /// <summary><paramref name="sentences"/> sentences drawn with <paramref name="seed"/>.</summary>
    public static string Generate(int sentences, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = 0; i < sentences; i++)
        {
            string s = Sentence(random);
            text.Append(char.ToUpperInvariant(s[0])).Append(s, 1, s.Length - 1);
            text.Append(random.Next(5) == 0 || i == sentences - 1 ? "\n" : " ");
        }
        return text.ToString();
    }

    private static string Sentence(Random r)
    {
        int n = r.Next(2);
        var words = new List<string> { NounPhrase(r, n) };
        if (r.Next(2) == 0)
        {
            int m = r.Next(2);
            words.Add("that");
            words.Add(NounPhrase(r, m));
            words.Add(Pick(r, Transitive)[m]);
        }
        if (r.Next(2) == 0)
        {
            words.Add(Pick(r, Intransitive)[n]);
            if (r.Next(2) == 0) words.Add(Pick(r, Adverbs));
        }
        else
        {
            words.Add(Pick(r, Transitive)[n]);
            words.Add(NounPhrase(r, r.Next(2)));
        }
        if (r.Next(3) == 0) words.Add(Pick(r, Places));
        return string.Join(' ', words) + ".";
    }

    private static string NounPhrase(Random r, int number)
    {
        string det = Pick(r, Determiners[number]);
        string noun = Pick(r, Nouns)[number];
        if (r.Next(3) != 0) return $"{det} {noun}";
        string adj = Pick(r, Adjectives);
        if (det == "a" && "aeiou".Contains(adj[0])) det = "an";
        return $"{det} {adj} {noun}";
    }

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];
}
