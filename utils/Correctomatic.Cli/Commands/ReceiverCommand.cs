using System.CommandLine;
using System.Text.Json;
using Correctomatic.Cli.Receiver;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Cli.Commands;

/// <summary><c>receiver</c>: listens, verifies each callback's signature, prints the verified body; 401 for a bad signature.</summary>
public static class ReceiverCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen", "-l") { Description = "Address to listen on.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var publicKey = new Option<FileInfo?>("--public-key", "-k") { Description = "ES256 public key (PEM) the callbacks are signed with." };
        var secretVariable = new Option<string?>("--secret-env") { Description = "For HS256: the name of the environment variable holding the shared secret." };
        var json = CliOptions.Json();
        var command = new Command("receiver", "Receive callbacks, verify their signature and print the verified bodies.") { listen, publicKey, secretVariable, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            SigningKey key;
            try
            {
                key = LoadKey(parse.GetValue(publicKey), parse.GetValue(secretVariable));
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.Usage;
            }

            var asJson = parse.GetValue(json);
            await using var receiver = await CallbackReceiver.StartAsync(parse.GetValue(listen)!, key, TimeProvider.System,
                callback =>
                {
                    Console.WriteLine(asJson
                        ? JsonSerializer.Serialize(new { verified = true, callback.JobId, callback.Duplicate, body = JsonDocument.Parse(callback.Body).RootElement })
                        : $"verified callback for job {callback.JobId}{(callback.Duplicate ? " (duplicate delivery)" : "")}: {callback.Body}");
                    return Task.CompletedTask;
                },
                refused =>
                {
                    Console.Error.WriteLine(refused);
                    return Task.CompletedTask;
                }, cancellationToken);
            Console.Error.WriteLine($"receiver: listening on {receiver.Address} (Ctrl+C to stop)");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, receiver.Stopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop listening.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>An ES256 public key file, or an HS256 secret read from the named environment variable.</summary>
    public static SigningKey LoadKey(FileInfo? publicKey, string? secretVariable)
    {
        if (publicKey is not null)
        {
            return SigningKey.FromPemFile(publicKey.FullName);
        }

        if (!string.IsNullOrEmpty(secretVariable))
        {
            var secret = Environment.GetEnvironmentVariable(secretVariable);
            return string.IsNullOrEmpty(secret)
                ? throw new ArgumentException($"the environment variable {secretVariable} is empty")
                : SigningKey.FromSecret(secret);
        }

        throw new ArgumentException("give --public-key FILE (ES256) or --secret-env NAME (HS256)");
    }
}
