using System.CommandLine;
using Correctomatic.Cli.Keys;

namespace Correctomatic.Cli.Commands;

/// <summary><c>generate-keys</c>: the ES256 pair the notifier signs callbacks with and receivers verify with.</summary>
public static class GenerateKeysCommand
{
    public const string PasswordVariable = "PRIVATE_KEY_PASSWORD";

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Directory for privateKey.pem and publicKey.pem.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var force = new Option<bool>("--force") { Description = "Overwrite existing key files." };
        var encrypt = new Option<bool>("--encrypt") { Description = $"Encrypt the private key with the password in ${PasswordVariable}." };
        var command = new Command("generate-keys", "Generate an ES256 key pair (PEM) for signing callbacks and job tokens.") { output, force, encrypt };
        command.SetAction(parse =>
        {
            string? password = null;
            if (parse.GetValue(encrypt))
            {
                password = Environment.GetEnvironmentVariable(PasswordVariable);
                if (string.IsNullOrEmpty(password))
                {
                    Console.Error.WriteLine($"--encrypt needs the password in the environment variable {PasswordVariable}");
                    return ExitCodes.Usage;
                }
            }

            try
            {
                var (privatePath, publicPath) = KeyPairWriter.Write(parse.GetValue(output)!.FullName, password, parse.GetValue(force));
                Console.WriteLine($"wrote {privatePath} (private, mode 600{(password is null ? "" : ", encrypted")})");
                Console.WriteLine($"wrote {publicPath} (public: give it to callback receivers)");
                return ExitCodes.Ok;
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
