using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Schemas;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Benchmarks.Notifier;

/// <summary>CPU per callback of the notifier's pure steps (body → canonical → schema check; signature), to see where time goes.</summary>
internal static class NotifierParts
{
    public static void Run()
    {
        const string data = """{"job_id":"1-1","callback":"http://127.0.0.1:1/c","response":{"success":true,"work_id":"w","job_id":"1-1","status":"graded","grade":7.98,"comments":["ok"]}}""";
        var bodies = new CallbackBody(SchemaCatalog.Default);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key = SigningKey.FromPrivateKeyPem(ecdsa.ExportPkcs8PrivateKeyPem());
        var signer = new CallbackSigner(key, TimeProvider.System);
        var request = bodies.Parse(data).Request!;
        var json = Encoding.UTF8.GetString(request.Body.Span);
        Time("parse + canonical + schema", () => bodies.Parse(data));
        Time("schema validation alone", () => SchemaCatalog.Default.Validate(SchemaName.CorrectomaticResponse, json));
        Time("sign (ES256 JWT)", () => signer.Sign(request));
    }

    private static void Time(string what, Action action)
    {
        for (var i = 0; i < 2000; i++)
        {
            action();
        }

        const int n = 5000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            action();
        }

        Console.WriteLine($"  {what}: {clock.Elapsed.TotalMicroseconds / n:0.0} µs per callback (CPU time on a shared machine)");
    }
}
