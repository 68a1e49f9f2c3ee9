namespace HpcLearn.Tasks.Games;

/// <summary>
/// A human against an agent in a terminal: the board is drawn before each human move, moves are
/// typed as numbers, and anything that is not a legal move is explained and asked again.
/// </summary>
public static class HumanPlay
{
    /// <summary>
    /// Plays one game; returns the winner (0 first, 1 second), -1 for a draw, or null when the
    /// human quit (<c>q</c>) or the input ended.
    /// </summary>
    /// <param name="game">The game.</param>
    /// <param name="agent">The agent the human plays against.</param>
    /// <param name="humanFirst">Whether the human moves first (X).</param>
    /// <param name="input">The human's moves, one a line.</param>
    /// <param name="output">Boards, prompts and the result.</param>
    /// <param name="echoInput">
    /// Print each line read after its prompt: the input is piped or a file, so no terminal echoes
    /// it, and without it the next board would start on the prompt's line.
    /// </param>
    public static int? Run(Game game, IPlayer agent, bool humanFirst, TextReader input, TextWriter output, bool echoInput = false)
    {
        var s = game.Initial();
        int human = humanFirst ? 0 : 1;
        output.WriteLine($"you play {(humanFirst ? "X (first)" : "O (second)")}; type q to quit");
        while (!s.IsTerminal)
        {
            if (s.ToMove == human)
            {
                output.Write(s.Render());
                int? move = Ask(game, s, input, output, echoInput);
                if (move is null) { output.WriteLine("game abandoned"); return null; }
                s = s.Play(move.Value);
            }
            else
            {
                int move = agent.ChooseMove(s);
                if (!s.IsLegal(move)) throw new InvalidOperationException($"{agent.Name} chose the illegal move {move}");
                output.WriteLine($"agent plays {game.FormatMove(move)}");
                s = s.Play(move);
            }
        }
        output.Write(s.Render());
        output.WriteLine(s.Winner < 0 ? "draw" : s.Winner == human ? "you win" : "the agent wins");
        return s.Winner;
    }

    private static int? Ask(Game game, GameState s, TextReader input, TextWriter output, bool echoInput)
    {
        while (true)
        {
            output.Write(game.MovePrompt + ": ");
            output.Flush();
            string? line = input.ReadLine();
            if (line is null) { output.WriteLine(); return null; }
            if (echoInput) output.WriteLine(line);
            line = line.Trim();
            if (line is "q" or "quit" or "exit") return null;
            int? move = game.ParseMove(line);
            if (move is null) output.WriteLine($"'{line}' is not a move");
            else if (!s.IsLegal(move.Value)) output.WriteLine($"{line} cannot be played: {(game is ConnectFour ? "that column is full" : "that cell is taken")}; try another");
            else return move;
        }
    }
}
