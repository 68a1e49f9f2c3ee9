using System.Diagnostics;
using System.Globalization;
using HpcLearn.Tasks.Games;

namespace HpcLearn.Bench;

/// <summary>
/// c4-opening [SECONDS]: weak-solves Connect Four after each first move in columns 1-4 (5-7 mirror
/// them) with our solver and prints the outcome for the first player, the positions searched and
/// the time; each solve gives up after SECONDS (default 600). Known result (Allis 1988, Allen
/// 1989): only the centre opening wins.
/// </summary>
internal static class C4OpeningBench
{
    public static int Run(string[] args)
    {
        double limit = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 600;
        for (int col = 3; col >= 0; col--)
        {
            var sw = Stopwatch.StartNew();
            var solver = new ConnectFourSolver(16_777_213) { Stop = () => sw.Elapsed.TotalSeconds > limit };
            var state = ConnectFour.Instance.FromMoves([col]);
            string outcome;
            try
            {
                int forSecond = solver.Outcome(state); // for the player to move (the second player)
                outcome = (-forSecond) switch { 1 => "first_player_wins", 0 => "draw", _ => "first_player_loses" };
            }
            catch (OperationCanceledException) { outcome = "unsolved"; }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"opening={col + 1} outcome={outcome} nodes={solver.Nodes} seconds={sw.Elapsed.TotalSeconds:F1}"));
        }
        return 0;
    }
}
