namespace HpcLearn.Tasks.Recommend;

/// <summary>How the ratings are divided into training and test pairs.</summary>
public enum RatingsSplit
{
    /// <summary>A uniformly random share of the pairs (<c>data.test_fraction</c>) is held out.</summary>
    Random,
    /// <summary>Each user's latest rating (by timestamp) is held out; users with one rating keep it in training.</summary>
    LeaveLastOut,
    /// <summary><c>data.path</c> trains and <c>data.test_path</c> tests (MovieLens u1.base / u1.test).</summary>
    Files,
}
