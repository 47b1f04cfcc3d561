using System.Diagnostics;
using System.Text.Json;

namespace Correctomatic.Benchmarks.Docker;

/// <summary>The same lifecycle with curl over the same unix socket: one curl process per call, as a shell script would.</summary>
internal sealed class CurlLifecycle(string socket, string versionPrefix, string runLabel)
{
    // The same spec our lifecycle creates (image, label, `true`, network none, caps dropped, no-new-privileges), so the engine does the same work.
    private readonly string _createBody =
        ("{'Image':'" + DockerBenchmark.Image + "','Labels':{'" + OurLifecycle.BenchLabel + "':'" + runLabel + "'},'Env':[],'Cmd':['true'],"
         + "'NetworkDisabled':true,'Tty':false,'OpenStdin':false,'AttachStdin':false,'HostConfig':{'NetworkMode':'none','ReadonlyRootfs':false,"
         + "'Tmpfs':{},'Mounts':[],'CapDrop':['ALL'],'SecurityOpt':['no-new-privileges'],'Ulimits':[]}}").Replace('\'', '"');

    public async Task RunAsync()
    {
        var created = await CurlAsync("POST", "/containers/create", _createBody);
        using var doc = JsonDocument.Parse(created);
        var id = doc.RootElement.GetProperty("Id").GetString()!;
        await CurlAsync("POST", $"/containers/{id}/start");
        await CurlAsync("POST", $"/containers/{id}/wait?condition=not-running");
        await CurlAsync("GET", $"/containers/{id}/logs?stdout=true&stderr=true");
        await CurlAsync("DELETE", $"/containers/{id}?v=true&force=true");
    }

    private async Task<string> CurlAsync(string method, string path, string? body = null)
    {
        var psi = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-sS", "--fail-with-body", "--unix-socket", socket, "-X", method, "http://docker" + versionPrefix + path })
        {
            psi.ArgumentList.Add(a);
        }

        if (body is not null)
        {
            psi.ArgumentList.Add("-H");
            psi.ArgumentList.Add("Content-Type: application/json");
            psi.ArgumentList.Add("--data-binary");
            psi.ArgumentList.Add(body);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("curl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"curl {method} {path} exited {process.ExitCode}: {await stderr} {await stdout}");
    }
}
