namespace HpcLearn.Config;

/// <summary>
/// A run config whose task leaves some of the shared keys unread (a PDE has no epochs, a text model
/// no calibration). Such a key in the file or a <c>--set</c> is refused with one line naming it,
/// instead of being silently ignored; <see cref="ConfigWriter"/> leaves it out, so a resolved
/// config and <c>hpclearn tasks</c> show only what the task reads. The list belongs to the task's
/// config type: this layer only enforces it.
/// </summary>
public interface IUnreadKeys
{
    /// <summary>
    /// The dotted keys the task does not read (<c>train.lr</c>), each with the rest of its error
    /// line: why, and what to set instead (<c>is not used by the pde task ...; set pde.adam_learning_rate instead</c>).
    /// </summary>
    IReadOnlyDictionary<string, string> UnreadKeys { get; }
}
