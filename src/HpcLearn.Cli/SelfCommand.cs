namespace HpcLearn.Cli;

/// <summary>
/// How a job script runs hpclearn: the very build that is running now, by absolute path, so a job
/// runs what was just tried on the login node. Not the repository's <c>./hpclearn</c> wrapper: it
/// rebuilds when sources changed, which would happen inside jobs (without network, and racing
/// between the tasks of an array). <c>HPCLEARN_COMMAND</c> (words separated by spaces) overrides it.
/// </summary>
public static class SelfCommand
{
    /// <summary>The command's words, program first.</summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue("HPCLEARN_COMMAND", out var custom) && custom.Trim().Length > 0)
            return custom.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string dll = typeof(CliApp).Assembly.Location;
        string? process = Environment.ProcessPath;
        string name = Path.GetFileNameWithoutExtension(process ?? "");
        // An apphost or a dotnet tool shim runs the CLI by itself.
        if (process is not null && name is "hpclearn" or "HpcLearn.Cli") return [process];
        // `dotnet HpcLearn.Cli.dll` (the ./hpclearn wrapper): the same dotnet, the same dll.
        if (process is not null && name == "dotnet") return [process, dll];
        // Hosted in another program (a test host): the SDK's dotnet, else the one on PATH.
        string dotnet = environment.GetValueOrDefault("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return [dotnet, dll];
    }
}
