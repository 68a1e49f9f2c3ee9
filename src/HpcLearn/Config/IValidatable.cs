namespace HpcLearn.Config;

/// <summary>
/// Options that check their own values after binding. Each problem is returned as
/// (key relative to this section, message), and the binder turns it into a <see cref="UserError"/>
/// that names the file and the full key.
/// </summary>
public interface IValidatable
{
    /// <summary>Problems with the current values; empty when valid.</summary>
    IEnumerable<(string Key, string Message)> Validate();
}
