using System.CommandLine;

namespace Correctomatic.Cli.Commands;

/// <summary>The <c>correctomatic</c> command tree (issue #8). Settings (REDIS_URL, DOCKER_HOST, QUEUE_PREFIX) come from the environment and .env, as for the services.</summary>
public static class CorrectomaticCli
{
    public static RootCommand Create() =>
        new("correctomatic: operate and integrate with the Correctomatic pipeline.")
        {
            GenerateKeysCommand.Create(),
            SubmitCommand.Create(),
            QueuesCommand.Create(),
            DeadLettersCommand.Create(),
            ResetQueuesCommand.Create(),
            RemoveContainersCommand.Create(),
            TryCommand.Create(),
            ReceiverCommand.Create(),
            DashboardCommand.Create(),
            StatusCommand.Create(),
            TopCommand.Create(),
        };
}
