using System.Net;
using Correctomatic.Notifier.Delivery;

namespace Correctomatic.Tests.Unit.Notifier;

public sealed class RetryClassifierTests
{
    [Theory]
    [InlineData(200, AttemptKind.Delivered)]
    [InlineData(202, AttemptKind.Delivered)]
    [InlineData(204, AttemptKind.Delivered)]
    [InlineData(408, AttemptKind.Retry)]
    [InlineData(429, AttemptKind.Retry)]
    [InlineData(500, AttemptKind.Retry)]
    [InlineData(502, AttemptKind.Retry)]
    [InlineData(503, AttemptKind.Retry)]
    [InlineData(400, AttemptKind.Final)]
    [InlineData(401, AttemptKind.Final)]
    [InlineData(404, AttemptKind.Final)]
    [InlineData(410, AttemptKind.Final)]
    [InlineData(422, AttemptKind.Final)]
    [InlineData(301, AttemptKind.Final)]
    [InlineData(307, AttemptKind.Final)]
    public void Classify_Status_IsExpectedKind(int status, AttemptKind expected)
    {
        Assert.Equal(expected, RetryClassifier.Classify((HttpStatusCode)status));
    }
}
