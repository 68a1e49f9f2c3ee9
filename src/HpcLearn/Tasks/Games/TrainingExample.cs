namespace HpcLearn.Tasks.Games;

/// <summary>One self-play position: its encoding, the search's visit distribution π, and the game's result z for the player to move.</summary>
/// <param name="Planes">The canonical encoding (3 × cells).</param>
/// <param name="Policy">π over the actions.</param>
/// <param name="Value">z: +1 the player to move went on to win, 0 draw, -1 loss.</param>
public sealed record TrainingExample(float[] Planes, float[] Policy, float Value);
