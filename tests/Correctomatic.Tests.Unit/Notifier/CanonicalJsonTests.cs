using System.Text;
using System.Text.Json;
using Correctomatic.Notifier.Delivery;

namespace Correctomatic.Tests.Unit.Notifier;

public sealed class CanonicalJsonTests
{
    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Encoding.UTF8.GetString(CanonicalJson.ToUtf8Bytes(document.RootElement));
    }

    [Fact]
    public void ToUtf8Bytes_NestedObjects_SortsKeysAndDropsWhitespace()
    {
        var canonical = Canonical("""
            { "z": 1, "a": { "y": [3, 1, {"b": true, "a": null}], "x": "é" },
              "B": 2.5 }
            """);

        Assert.Equal("""{"B":2.5,"a":{"x":"é","y":[3,1,{"a":null,"b":true}]},"z":1}""", canonical);
    }

    [Fact]
    public void ToUtf8Bytes_SameContentDifferentOrder_SameBytes()
    {
        Assert.Equal(Canonical("""{"work_id":"7","success":true,"grade":7.98}"""), Canonical("""{"grade":7.98, "success":true, "work_id":"7"}"""));
    }

    [Fact]
    public void ToUtf8Bytes_DuplicateKey_Throws()
    {
        Assert.Throws<JsonException>(() => Canonical("""{"a":1,"a":2}"""));
    }
}
