using System.Net;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// Which HTTP answers are worth another attempt (issue #7): 5xx, 408 and 429 are transient; 2xx is delivered; anything
/// else (other 4xx; 3xx, since redirects are not followed; 1xx) is final. Judge0 never retried a 5xx; Correctomatic
/// gave up after about a minute — both lost grades.
/// </summary>
public static class RetryClassifier
{
    public static AttemptKind Classify(HttpStatusCode status)
    {
        var code = (int)status;
        return code switch
        {
            >= 200 and < 300 => AttemptKind.Delivered,
            408 or 429 => AttemptKind.Retry,
            >= 500 and < 600 => AttemptKind.Retry,
            _ => AttemptKind.Final,
        };
    }
}
