using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Cli.Commands;

/// <summary>Runs a command body with its environment, turning the expected failures into a message and an exit code.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CliEnvironment, Task<int>> body)
    {
        try
        {
            await using var environment = CliEnvironment.Load();
            return await body(environment);
        }
        catch (InvalidSettingsException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisConnectionException or StackExchange.Redis.RedisTimeoutException)
        {
            await Console.Error.WriteLineAsync($"cannot reach Redis: {ex.Message}");
            return ExitCodes.Unavailable;
        }
        catch (DockerUnreachableException ex)
        {
            await Console.Error.WriteLineAsync($"cannot reach Docker: {ex.Message}");
            return ExitCodes.Unavailable;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisServerException or DockerApiException or InvalidInputException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return ExitCodes.Failed;
        }
    }
}
